"""What the cache holds while Redis is down (issue 16, point 1): rate limits fail open
(the write must land; the limits that guard secrets count in the database too), and a
change whose invalidation the outage swallowed shows within ``DERIVED_SECONDS``."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from core.cache import DERIVED_SECONDS
from core.ratelimit import allow
from permits.selectors.catalogue import catalogue_choices
from tests.conftest import DEAD_REDIS_CACHES
from tests.factories import OPDFactory, PermitTypeFactory
from worktime import calendar
from worktime.models import DayOverride

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 12, 7)
# Redis "up" in the tests that travel in time: a cache whose expiry follows this process's
# clock (a real Redis server keeps its own).
LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_rate_limits_hold_in_each_process_while_redis_is_down(redis_down, caplog):
    """The shared count cannot be reached: the process counts alone, the page still
    answers (allowed or refused, never an error)."""
    answers = [allow("complaint", "198.51.100.7", limit=2, window=3600) for _ in range(5)]
    assert answers == [True, True, False, False, False]
    assert "Cache unavailable" in caplog.text


@override_settings(CACHES=LOCAL_CACHE)
def test_a_day_off_saved_while_redis_is_down_lands_and_reaches_every_process():
    assert calendar.get_calendar().is_working_day(MONDAY)
    kept_by_another_process = dict(calendar._cached)
    with override_settings(CACHES=DEAD_REDIS_CACHES):
        DayOverride.objects.create(date=MONDAY, kind=DayOverride.Kind.DAY_OFF, name="Cuti bersama")
        assert not calendar.get_calendar().is_working_day(MONDAY)  # this process knows
    calendar._cached.update(kept_by_another_process)  # a process idle during the outage
    later = timezone.now() + datetime.timedelta(seconds=DERIVED_SECONDS + 1)
    with time_machine.travel(later):
        assert not calendar.get_calendar().is_working_day(MONDAY)


@override_settings(CACHES=LOCAL_CACHE)
def test_a_permit_type_added_while_redis_is_down_reaches_the_filters():
    office = OPDFactory(code="DINKES")
    PermitTypeFactory(opd=office, name_id="Izin Apotek")
    assert [name for _pk, name in catalogue_choices()[0]] == ["Izin Apotek"]
    with override_settings(CACHES=DEAD_REDIS_CACHES):
        PermitTypeFactory(opd=office, name_id="Izin Klinik")
    later = timezone.now() + datetime.timedelta(seconds=DERIVED_SECONDS + 1)
    with time_machine.travel(later):
        names = [name for _pk, name in catalogue_choices()[0]]
    assert names == ["Izin Apotek", "Izin Klinik"]


def test_a_task_sent_while_the_broker_is_down_fails_at_once_without_waiting(
    redis_down, monkeypatch
):
    """With the broker down, sending a task tries once and gives up: the request that sent
    it is not held by kombu's retries (they slept about six seconds a task), and what was
    not sent is already in the database for the sweeps."""
    from kombu.utils import functional

    from core.queue import enqueue
    from outbox.tasks import deliver_messages

    waits = []
    monkeypatch.setattr(functional, "sleep", lambda seconds: waits.append(seconds))
    assert enqueue(deliver_messages) is False
    assert waits == []


@override_settings(CACHES=LOCAL_CACHE)
def test_a_shared_version_is_read_from_the_cache_at_most_every_few_seconds():
    """A page asks for the catalogue's and the calendar's versions; the process keeps what
    it read for VERSION_RECHECK_SECONDS (no round trip to Redis per page), sees another
    process's change after that, and its own change at once."""
    from django.core.cache import cache

    from core.cache import VERSION_RECHECK_SECONDS, shared_version, shared_version_bump

    key = "tests:shared-version"
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        first = shared_version(key)
        cache.set(key, "changed-by-another-process")
        clock.shift(VERSION_RECHECK_SECONDS - 0.5)
        assert shared_version(key) == first  # not asked again yet
        clock.shift(1)
        assert shared_version(key) == "changed-by-another-process"
        mine = shared_version_bump(key)
        assert shared_version(key) == mine  # this process's own change, at once
        assert cache.get(key) == mine
