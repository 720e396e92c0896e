"""A fixed-window counter per key in the shared cache (Redis in production).

``allow("tracking", ip, limit=30, window=600)`` is True for the first 30 calls from ``ip`` in
a 10-minute window, then False until the window ends. Works the same on the local-memory
cache of the embedded default.
"""

import time

from django.core.cache import cache


def client_address(request) -> str:
    """The address to count: REMOTE_ADDR (a proxy in front must set it, e.g. with
    gunicorn's --forwarded-allow-ips and a trusted X-Forwarded-For)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(scope: str, who: str, *, limit: int, window: int) -> bool:
    bucket = int(time.time() // window)
    key = f"ratelimit:{scope}:{who}:{bucket}"
    if cache.add(key, 1, timeout=window + 5):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 5)
        count = 1
    return count <= limit
