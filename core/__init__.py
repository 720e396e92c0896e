"""The toolbox every app may use: cache, queue, rate limits, prepared queries, masking,
moments, the security middleware, error views and the health check. Depends on no app of
Terang (only Django and the libraries), so that anything may sit on it."""
