"""The shared cache on Redis, degrading to "nothing cached" while Redis is unreachable.

Terang keeps only derived data in the cache (calendar and catalogue versions, rate-limit
counters), so a Redis outage must slow pages down, not break them or a transition in
progress: reads miss, writes are skipped, counters start again (rate limits fail open for
the outage). Each failure is logged.

An invalidation sent during an outage is lost, so nothing derived is cached for ever:
``DERIVED_SECONDS`` bounds how long a value may outlive a change the cache never heard of.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
OUTAGE = (RedisConnectionError, RedisTimeoutError, OSError)
DERIVED_SECONDS = 600


def _tolerant(name: str, fallback):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(ResilientRedisCache, self), name)(*args, **kwargs)
        except OUTAGE as exc:
            logger.warning("Cache unavailable (%s %s): %s", name, args[:1], exc)
            if isinstance(fallback, type) and issubclass(fallback, Exception):
                raise fallback(str(exc)) from exc
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    method.__name__ = name
    return method


class ResilientRedisCache(RedisCache):
    get = _tolerant("get", lambda key, default=None, version=None: default)
    get_many = _tolerant("get_many", {})
    add = _tolerant("add", False)
    set = _tolerant("set", None)
    set_many = _tolerant("set_many", [])
    touch = _tolerant("touch", False)
    delete = _tolerant("delete", False)
    delete_many = _tolerant("delete_many", None)
    has_key = _tolerant("has_key", False)
    incr = _tolerant("incr", ValueError)
    clear = _tolerant("clear", None)
