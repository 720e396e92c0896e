"""Events written through the services form one linear chain that verifies."""

import itertools

import pytest
from django.db import transaction

from permits.models import ApplicationEvent
from permits.services.context import Actor
from permits.services.events import event_record
from tests.factories import new_file
from tests.trail.kit import chain
from trail.chain import GENESIS, chain_bulk_fill, event_hash
from trail.models import ChainHead
from trail.verify import chain_verify

pytestmark = pytest.mark.django_db


def test_each_event_links_to_the_one_before_with_no_gap(files):
    events = chain()
    assert len(events) > 20
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == GENESIS
    for before, event in itertools.pairwise(events):
        assert event.prev_hash == before.hash
    assert all(event_hash(e) == e.hash for e in events)


def test_the_head_points_at_the_newest_event(files):
    newest = chain()[-1]
    head = ChainHead.objects.get()
    assert (head.seq, head.hash) == (newest.seq, newest.hash)


def test_an_intact_chain_verifies(files):
    report = chain_verify(chunk_size=7)  # several chunks
    assert report.ok, report.problem
    assert report.checked == ApplicationEvent.objects.count()
    newest = chain()[-1]
    assert (report.head_seq, report.head_hash) == (newest.seq, newest.hash)


def test_an_empty_chain_verifies():
    report = chain_verify()
    assert report.ok
    assert (report.checked, report.head_seq, report.head_hash) == (0, 0, GENESIS)


def test_a_rolled_back_event_gives_its_seq_back(office):
    app = new_file(office)
    before = ChainHead.objects.get().seq
    with pytest.raises(RuntimeError), transaction.atomic():
        event_record(application=app, action="test.undone", actor=Actor(user=None))
        raise RuntimeError("rolled back")
    event = event_record(application=app, action="test.kept", actor=Actor(user=None))
    assert event.seq == before + 1
    assert chain_verify().ok


def test_bulk_filled_events_continue_the_chain(office):
    app = new_file(office)
    rows = [
        ApplicationEvent(application=app, action=f"test.bulk_{i}", actor_role="system")
        for i in range(5)
    ]
    with transaction.atomic():
        ApplicationEvent.objects.bulk_create(chain_bulk_fill(rows))
    event_record(application=app, action="test.after", actor=Actor(user=None))
    assert chain_verify().ok
    assert [e.action for e in chain()[-6:]] == [*(r.action for r in rows), "test.after"]
