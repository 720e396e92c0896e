"""An event read back from the database hashes to the hash stored with it, whatever it holds
(on SQLite and on PostgreSQL: their JSON, address and time types differ)."""

import datetime
import hashlib
import json
import zoneinfo

import pytest

from permits.models import ApplicationEvent
from permits.services.context import Actor
from permits.services.events import event_record
from tests.factories import new_file
from trail.chain import event_content, event_hash

pytestmark = pytest.mark.django_db

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")

NOTES = [
    "",
    "Dokumen ditolak — “tanda tangan” tidak sah ✓ 日本語 🙂\nbaris dua\r\n\ttab \\ \" '",
]
DATA = [
    {},
    {
        "z": 1,
        "a": [1, 2.0, 2.5, -0.25, True, False, None, "x", {"nested": {"deep": [[], {}]}}],
        "float": 0.1,
        "whole": 3.0,
        "tiny": 1.5e-07,
        "large": 1e16,
        "huge": 1e300,
        "big_int": 10**20,
        "negative": -42,
        "bool": True,
        "null": None,
        "text": "é ñ 中 \u00a0",
        "tuple": (1, "two"),
        7: "an int key",
    },
]
ADDRESSES = [
    None,
    "",
    "203.0.113.7",
    "2001:DB8:0:0:0:0:0:1",
    "2001:db8:0:1:1:1:1:1",
    "::ffff:192.0.2.1",
    "fe80::1:0:0:1",
]
TIMES = [
    None,
    datetime.datetime(2026, 3, 2, 9, 15, 30, 123456, tzinfo=TOKYO),
    datetime.datetime(2026, 11, 1, 1, 30, 0, 7, tzinfo=NEW_YORK),
    datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.UTC),
]


def record(office, *, note="", data=None, ip=None, at=None, user_agent="pytest"):
    app = new_file(office)
    return event_record(
        application=app,
        action="test.round_trip",
        actor=Actor(user=office.counter, ip=ip, user_agent=user_agent),
        note=note,
        data=data,
        at=at,
    )


def assert_round_trip(event):
    stored = ApplicationEvent.objects.get(pk=event.pk)
    assert stored.hash == event.hash
    assert event_hash(stored) == stored.hash, (event_content(event), event_content(stored))


@pytest.mark.parametrize("note", NOTES)
def test_notes_in_any_script(office, note):
    assert_round_trip(record(office, note=note))


@pytest.mark.parametrize("data", DATA)
def test_nested_json_with_every_kind_of_value(office, data):
    assert_round_trip(record(office, data=data))


@pytest.mark.parametrize("ip", ADDRESSES)
def test_ipv4_and_ipv6_addresses_however_written(office, ip):
    assert_round_trip(record(office, ip=ip))


@pytest.mark.parametrize("at", TIMES)
def test_microsecond_times_in_any_time_zone(office, at):
    assert_round_trip(record(office, at=at))


def test_the_system_as_actor_and_everything_at_once(office):
    app = new_file(office)
    event = event_record(
        application=app,
        action="test.everything",
        actor=Actor(user=None, ip="2001:DB8::0:1", user_agent="Mozilla/5.0 (X11; Linux) ☃"),
        from_state="draft",
        to_state="submitted",
        note=NOTES[1],
        data=DATA[1],
        at=TIMES[1],
    )
    assert event.actor_id is None
    assert_round_trip(event)


def test_the_hash_covers_every_field_and_the_previous_hash(office):
    event = ApplicationEvent.objects.get(pk=record(office, data={"a": 1}).pk)
    original = event_hash(event)
    changes = {
        "seq": event.seq + 1,
        "application_id": event.application_id + 1,
        "action": "test.other",
        "actor_id": None,
        "actor_role": "head",
        "created_at": event.created_at + datetime.timedelta(microseconds=1),
        "from_state": "x",
        "to_state": "y",
        "note": "n",
        "data": {"a": 2},
        "ip_address": "192.0.2.1",
        "user_agent": "other",
        "prev_hash": "f" * 64,
    }
    for name, value in changes.items():
        kept = getattr(event, name)
        setattr(event, name, value)
        assert event_hash(event) != original, name
        setattr(event, name, kept)
    assert event_hash(event) == original


def test_the_canonical_form_is_documented_json():
    event = ApplicationEvent(
        seq=1,
        application_id=7,
        action="a.b",
        actor_id=None,
        actor_role="system",
        created_at=datetime.datetime(2026, 3, 2, 7, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta")),
        note="é",
        data={"b": 1.0, "a": [0.5]},
        ip_address="2001:DB8::1",
        prev_hash="0" * 64,
    )
    content = event_content(event)
    assert content["created_at"] == "2026-03-02T00:00:00.000000+00:00"
    assert content["data"] == {"a": [0.5], "b": 1}
    assert content["ip_address"] == "2001:db8::1"
    canonical = (
        '{"action":"a.b","actor":null,"actor_role":"system","application":7,'
        '"created_at":"2026-03-02T00:00:00.000000+00:00","data":{"a":[0.5],"b":1},'
        '"from_state":"","ip_address":"2001:db8::1","note":"é",'
        f'"prev":"{"0" * 64}","seq":1,"to_state":"","user_agent":""}}'
    )
    assert json.loads(canonical) == content
    assert event_hash(event) == hashlib.sha256(canonical.encode()).hexdigest()
