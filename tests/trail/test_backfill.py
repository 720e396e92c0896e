"""The migration that introduced the chain links the events that existed before it, oldest
first (created_at, then id)."""

import datetime
import importlib
import itertools
import zoneinfo
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from permits.services.context import Actor
from permits.services.events import event_record
from tests.factories import new_file
from tests.trail.kit import behind_the_back, chain
from trail.chain import GENESIS, event_hash
from trail.models import ChainHead
from trail.verify import chain_verify

pytestmark = pytest.mark.django_db

migration = importlib.import_module("permits.migrations.0011_event_chain")
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def test_it_chains_existing_rows_in_time_order(office, monkeypatch):
    app = new_file(office)
    same_moment = datetime.datetime(2026, 3, 2, 8, 0, 0, 500, tzinfo=WIB)
    for hour, note in [(11, "c"), (9, "a"), (None, "b1"), (None, "b2"), (12, "d")]:
        at = same_moment if hour is None else datetime.datetime(2026, 3, 2, hour, tzinfo=WIB)
        event_record(application=app, action="test.old", actor=Actor(user=None), note=note, at=at)
    with behind_the_back() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the backfill drops a trigger
        # As before the migration: no links (seq moved out of the way: it is required).
        cursor.execute(
            "UPDATE permits_applicationevent SET seq = seq + 1000000, prev_hash = '', hash = ''"
        )
        cursor.execute("DELETE FROM trail_chainhead")
    monkeypatch.setattr(migration, "CHUNK", 2)  # several chunks, and one left over

    migration.chain_backfill(apps, SimpleNamespace(connection=connection))

    events = chain()
    expected = sorted(events, key=lambda e: (e.created_at, e.pk))
    assert [e.pk for e in events] == [e.pk for e in expected]
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == GENESIS
    for before, event in itertools.pairwise(events):
        assert event.prev_hash == before.hash
    assert all(event_hash(e) == e.hash for e in events)
    assert [e.note for e in events if e.action == "test.old"] == ["b1", "b2", "a", "c", "d"]
    head = ChainHead.objects.get()
    assert (head.seq, head.hash) == (events[-1].seq, events[-1].hash)
    assert chain_verify().ok


def test_an_empty_log_leaves_an_empty_chain():
    migration.chain_backfill(apps, SimpleNamespace(connection=connection))
    assert (ChainHead.objects.get().seq, ChainHead.objects.get().hash) == (0, GENESIS)
    assert chain_verify().ok
