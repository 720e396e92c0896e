"""Each local day's closing head is recorded once, for auditors to check the chain against."""

import datetime
import zoneinfo

import pytest

from permits.services.context import Actor
from permits.services.events import event_record
from portal.schedules import SCHEDULES
from tests.factories import new_file
from trail.chain import GENESIS
from trail.models import ChainDay
from trail.selectors import chain_days_recent
from trail.services import chain_day_record
from trail.tasks import record_chain_day
from trail.verify import chain_verify

pytestmark = pytest.mark.django_db

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def wib(day, hour, minute=0):
    return datetime.datetime(2026, 3, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def days(office):
    """Events late on 2 March, just before and after midnight of 3 March (local time)."""
    app = new_file(office)
    at = [wib(2, 9), wib(2, 23, 59), wib(3, 0, 1), wib(3, 8)]
    return [
        event_record(application=app, action="test.day", actor=Actor(user=None), at=moment)
        for moment in at
    ]


def test_it_records_the_newest_event_before_local_midnight(days, time_machine):
    time_machine.move_to(wib(3, 0, 10), tick=False)
    record = chain_day_record()
    assert record.day == datetime.date(2026, 3, 2)
    assert (record.last_seq, record.head_hash) == (days[1].seq, days[1].hash)
    assert chain_verify().ok


def test_a_second_call_for_the_same_day_changes_nothing(days):
    first = chain_day_record(datetime.date(2026, 3, 2))
    event_record(
        application=days[0].application,
        action="test.later",
        actor=Actor(user=None),
        at=wib(2, 12),
    )  # back-dated into the recorded day: the record stays as it was
    again = chain_day_record(datetime.date(2026, 3, 2))
    assert again.pk == first.pk and again.last_seq == first.last_seq
    assert ChainDay.objects.count() == 1


def test_a_day_before_any_event_records_the_genesis(days):
    record = chain_day_record(datetime.date(2026, 3, 1))
    assert (record.last_seq, record.head_hash) == (0, GENESIS)
    assert chain_verify().ok


def test_the_task_records_yesterday(days, time_machine):
    time_machine.move_to(wib(4, 0, 10), tick=False)
    assert record_chain_day.delay().get() == "2026-03-03"
    assert ChainDay.objects.get().last_seq == days[3].seq


def test_it_runs_shortly_after_midnight_every_day():
    (schedule,) = [s for s in SCHEDULES if s.task == "trail.tasks.record_chain_day"]
    assert schedule.crontab == {"minute": "10", "hour": "0"}


def test_the_recent_days_newest_first(days):
    for day in (1, 3, 2):
        chain_day_record(datetime.date(2026, 3, day))
    assert [d.day.day for d in chain_days_recent(limit=2)] == [3, 2]


def test_a_recorded_day_is_append_only(days):
    record = chain_day_record(datetime.date(2026, 3, 2))
    record.last_seq = 1
    with pytest.raises(RuntimeError, match="append-only"):
        record.save()
    with pytest.raises(RuntimeError, match="append-only"):
        record.delete()
