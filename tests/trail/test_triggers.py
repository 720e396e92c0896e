"""On PostgreSQL the database itself refuses UPDATE and DELETE on append-only tables."""

import pytest
from django.db import InternalError, connection, transaction

from tests.trail.kit import EVENTS, behind_the_back, chain
from trail.triggers import TRIGGER, guarded_tables, triggers_install

pytestmark = pytest.mark.django_db


def refused(sql, params) -> str:
    with pytest.raises(InternalError) as raised, transaction.atomic(), connection.cursor() as c:
        c.execute(sql, params)
    return str(raised.value)


def test_it_guards_the_event_log_the_append_only_records_and_every_history_table():
    tables = set(guarded_tables())
    assert {
        "permits_applicationevent",
        "permits_fileview",
        "permits_filemessage",
        "issuance_registerday",
        "issuance_bankcallback",
        "integrity_affiliationdeclaration",
        "trail_chainday",
        "permits_historicalapplication",
        "accounts_historicaluser",
        "worktime_historicalservicehours",
        "issuance_historicalpermit",
    } <= tables
    assert "trail_chainhead" not in tables
    assert "permits_application" not in tables


@pytest.mark.postgres
def test_every_guarded_table_has_the_trigger():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s AND t.tgenabled = 'O'",
            [TRIGGER],
        )
        armed = {name for (name,) in cursor.fetchall()}
    assert set(guarded_tables()) <= armed


@pytest.mark.postgres
def test_an_update_or_delete_of_an_event_is_refused(files):
    event = chain()[3]
    assert "permits_applicationevent is append-only: UPDATE refused" in refused(
        "UPDATE permits_applicationevent SET note = 'x' WHERE id = %s", [event.pk]
    )
    assert "permits_applicationevent is append-only: DELETE refused" in refused(
        "DELETE FROM permits_applicationevent WHERE id = %s", [event.pk]
    )
    assert chain()[3].note == event.note  # and the test database is still usable


@pytest.mark.postgres
def test_an_update_or_delete_of_a_history_row_is_refused(files):
    app = files[0]
    row = app.history.first()
    assert "permits_historicalapplication is append-only: UPDATE refused" in refused(
        "UPDATE permits_historicalapplication SET applicant_name = 'x' WHERE history_id = %s",
        [row.history_id],
    )
    assert "permits_historicalapplication is append-only: DELETE refused" in refused(
        "DELETE FROM permits_historicalapplication WHERE history_id = %s", [row.history_id]
    )
    assert app.history.filter(history_id=row.history_id).exists()


@pytest.mark.postgres
def test_a_queryset_update_is_refused_too(files):
    from permits.models import ApplicationEvent

    with pytest.raises(InternalError, match="append-only"), transaction.atomic():
        ApplicationEvent.objects.filter(pk=chain()[0].pk).update(note="x")


@pytest.mark.postgres
def test_installing_again_rearms_a_disabled_trigger_and_leaves_the_rest(files):
    assert triggers_install() == []
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE wants no pending check
        cursor.execute(f"ALTER TABLE permits_applicationevent DISABLE TRIGGER {TRIGGER}")
    assert triggers_install() == [EVENTS]
    assert "append-only" in refused(
        "DELETE FROM permits_applicationevent WHERE id = %s", [chain()[0].pk]
    )


@pytest.mark.postgres
def test_the_dbas_way_round_it_is_what_the_chain_catches(files):
    with behind_the_back() as cursor:
        cursor.execute(
            "UPDATE permits_applicationevent SET note = 'x' WHERE id = %s", [chain()[0].pk]
        )
    assert chain()[0].note == "x"


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite has no such trigger")
def test_it_does_nothing_on_sqlite():
    assert triggers_install() == []
