"""The event head's lock is taken once in a transaction: an event takes it together with its
seq (one ``UPDATE … RETURNING``), and the seals written before the same transaction commits
take only their own head. A rollback, of the whole transaction or to a savepoint, may release
the lock: the next seal takes it again, and so does a transaction after a commit."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from permits.models import Application
from permits.services.context import Actor
from permits.services.events import event_record
from tests.factories import new_file
from trail.models import ChainHead, Seal
from trail.verify import chain_verify

HEAD_TABLE = ChainHead._meta.db_table


def head_statements(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if f'UPDATE "{HEAD_TABLE}"' in q["sql"]]


def is_seal_lock(sql: str) -> bool:
    """The seal chain's own take of the event head: seq set to itself, nothing returned."""
    return "RETURNING" not in sql and '"seq" = "trail_chainhead"."seq"' in sql


def history_write(app) -> None:
    """A sealed write with no event: the file saved as it is leaves a field-history row."""
    Application.objects.get(pk=app.pk).save()


@pytest.mark.django_db
def test_an_event_and_the_seals_after_it_take_the_event_head_once(office):
    app = new_file(office)
    seals = Seal.objects.count()
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        event_record(application=app, action="test.noted", actor=Actor(user=None))
        history_write(app)
    statements = head_statements(captured)
    assert len(statements) == 2, statements  # the advance with its read, then the new hash
    assert "RETURNING" in statements[0]
    assert not any(is_seal_lock(sql) for sql in statements)
    assert Seal.objects.count() == seals + 1
    assert chain_verify().ok


@pytest.mark.django_db
def test_after_a_rollback_to_a_savepoint_the_seals_take_the_event_head_again(office):
    app = new_file(office)
    head_before = ChainHead.objects.get().seq
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            event_record(application=app, action="test.undone", actor=Actor(user=None))
            raise RuntimeError("rolled back to the savepoint")
        history_write(app)
    statements = head_statements(captured)
    assert len(statements) == 3, statements
    assert is_seal_lock(statements[-1])
    assert ChainHead.objects.get().seq == head_before
    assert chain_verify().ok


@pytest.mark.django_db(transaction=True)
def test_a_transaction_after_a_commit_takes_the_event_head_again(office):
    app = new_file(office)
    with transaction.atomic():
        event_record(application=app, action="test.noted", actor=Actor(user=None))
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        history_write(app)
    statements = head_statements(captured)
    assert len(statements) == 1, statements
    assert is_seal_lock(statements[0])
    assert chain_verify().ok
