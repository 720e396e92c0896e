"""The shared cache on Redis, degrading to "nothing cached" while Redis is unreachable.

Terang keeps only derived data in the cache (calendar and catalogue versions, rate-limit
counters), so a Redis outage must slow pages down, not break them or a transition in
progress: reads miss, writes are skipped, counters start again (rate limits fail open for
the outage). Each failure is logged.

An invalidation sent during an outage is lost, so nothing derived is cached for ever:
``DERIVED_SECONDS`` bounds how long a value may outlive a change the cache never heard of.
"""

import logging
import time
import uuid

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
OUTAGE = (RedisConnectionError, RedisTimeoutError, OSError)
DERIVED_SECONDS = 600
# How long a process trusts the shared versions it read (the catalogue's, the calendar's)
# before asking Redis again: a page costs no round trip for them, and a change made in
# another process is seen within this many seconds (at once in the process that made it).
VERSION_RECHECK_SECONDS = 5.0
_versions: dict[str, tuple[str, float]] = {}


def shared_version(key: str) -> str:
    """The version of something every process derives data from, kept in the shared cache
    (a new one is made when the cache holds none, e.g. after an outage or expiry)."""
    now = time.time()
    held = _versions.get(key)
    if held is not None and 0 <= now - held[1] < VERSION_RECHECK_SECONDS:
        return held[0]
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(key, version, timeout=DERIVED_SECONDS)
        version = cache.get(key, version)
    _versions[key] = (version, now)
    return version


def shared_version_bump(key: str) -> str:
    """A new version: what every process derived from the old one is rebuilt. Inside a
    transaction, once more when it commits: a process that read the old rows under the
    version bumped before the commit would otherwise keep them under it."""
    version = _bump(key)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump(key))
    return version


def _bump(key: str) -> str:
    version = uuid.uuid4().hex
    cache.set(key, version, timeout=DERIVED_SECONDS)
    _versions[key] = (version, time.time())
    return version


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


class CacheUnavailable(ValueError):
    """``incr`` during an outage (a ValueError, as for a missing key, to older callers)."""


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
    incr = _tolerant("incr", CacheUnavailable)
    clear = _tolerant("clear", None)
