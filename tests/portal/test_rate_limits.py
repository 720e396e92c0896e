"""Rate limits (core.ratelimit): exact in one process, shared between processes through
the cache, and no round trip to the cache for a visitor at an ordinary pace."""

import datetime
import logging
import time

import pytest
import time_machine
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from core.ratelimit import LOCAL_SHARE, Limiter
from tests.conftest import DEAD_REDIS_CACHES

LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def shared_cache():
    with override_settings(CACHES=LOCAL_CACHE):
        cache.clear()
        yield cache


@pytest.mark.parametrize("limit", [1, 5, 60])
def test_one_process_allows_exactly_the_limit_in_a_window(shared_cache, limit):
    limiter = Limiter()
    start = timezone.now().replace(minute=0, second=1)
    with time_machine.travel(start, tick=False) as clock:
        answers = [limiter.allow("t", "a", limit=limit, window=600) for _ in range(limit + 3)]
        assert answers == [True] * limit + [False] * 3
        clock.shift(datetime.timedelta(seconds=600))  # the next window
        assert limiter.allow("t", "a", limit=limit, window=600)
    assert not Limiter().allow("t", "a", limit=0, window=600)


def test_an_ordinary_pace_costs_no_round_trip_to_the_cache(caplog):
    """Against a Redis where nothing listens: the first tenth of the limit is allowed
    without touching it (no warning is logged); the next request asks it."""
    limiter = Limiter()
    limit = 60
    with override_settings(CACHES=DEAD_REDIS_CACHES), caplog.at_level(logging.WARNING):
        for _ in range(limit // LOCAL_SHARE):
            assert limiter.allow("t", "a", limit=limit, window=600)
        assert "Cache unavailable" not in caplog.text
        assert limiter.allow("t", "a", limit=limit, window=600)
        assert "Cache unavailable" in caplog.text


def test_two_processes_share_the_limit_through_the_cache(shared_cache):
    first, second = Limiter(), Limiter()
    limit, share = 20, 20 // LOCAL_SHARE
    start = timezone.now().replace(minute=0, second=1)
    with time_machine.travel(start, tick=False):
        assert all(first.allow("t", "a", limit=limit, window=600) for _ in range(15))
        first.flush()
        answers = [second.allow("t", "a", limit=limit, window=600) for _ in range(8)]
        assert answers == [True] * 5 + [False] * 3  # 15 + 5: the shared limit
        # What the first process has not heard yet: at most its share beyond the limit.
        beyond = [first.allow("t", "a", limit=limit, window=600) for _ in range(5)]
        assert 0 < sum(beyond) <= share
        first.flush()
        assert not first.allow("t", "a", limit=limit, window=600)


def test_counts_are_shared_in_the_background(shared_cache, settings):
    settings.RATELIMIT_FLUSH_SECONDS = 0.05
    limiter = Limiter()
    assert limiter.allow("t", "b", limit=100, window=600)
    assert limiter.allow("t", "b", limit=100, window=600)
    key = next(k for k in limiter._counts if k.startswith("ratelimit:t:b:"))
    deadline = time.monotonic() + 5
    while cache.get(key) != 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert cache.get(key) == 2


def test_an_ipv6_visitor_is_counted_by_its_64(shared_cache):
    """Addresses in one /64 are one visitor (a phone may take any of them); the next /64
    is someone else; IPv4 addresses count one by one."""
    limiter = Limiter()
    mine = [f"2001:db8:1:2::{n:x}" for n in range(1, 5)]
    assert [limiter.allow("t", who, limit=3, window=600) for who in mine] == [True] * 3 + [False]
    assert limiter.allow("t", "2001:db8:1:3::1", limit=3, window=600)
    assert all(limiter.allow("t", f"198.51.100.{n}", limit=1, window=600) for n in range(1, 5))
