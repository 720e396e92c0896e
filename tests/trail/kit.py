"""Shared by the trail tests: the chain as stored, and a way to change the event log as
someone with database access would: raw SQL, on PostgreSQL with the refusing triggers
switched off for the session (the files with events are ``conftest``'s fixtures)."""

from __future__ import annotations

from contextlib import contextmanager
from io import StringIO

from django.core.management import call_command
from django.db import connection

from permits.models import ApplicationEvent
from trail.chain import event_hash

EVENTS = ApplicationEvent._meta.db_table


@contextmanager
def behind_the_back():
    """A cursor for raw tampering. On PostgreSQL it first does what a DBA would to get past
    the triggers (``session_replication_role = replica``) and undoes it afterwards."""
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET session_replication_role = replica")
        try:
            yield cursor
        finally:
            if postgres:
                cursor.execute("RESET session_replication_role")


def chain() -> list[ApplicationEvent]:
    return list(ApplicationEvent.objects.order_by("seq"))


def forged_copy(source: ApplicationEvent, **changes) -> ApplicationEvent:
    """An unsaved copy of ``source`` with ``changes``; its hash recomputed unless given."""
    copy = ApplicationEvent.objects.get(pk=source.pk)
    copy.pk = None
    for name, value in changes.items():
        setattr(copy, name, value)
    if "hash" not in changes:
        copy.hash = event_hash(copy)
    return copy


def insert_raw(event: ApplicationEvent) -> None:
    """Insert ``event`` with raw SQL, as its fields say (bypassing the application)."""
    fields = [f for f in ApplicationEvent._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    values = [f.get_db_prep_save(getattr(event, f.attname), connection) for f in fields]
    marks = ", ".join(["%s"] * len(fields))
    with behind_the_back() as cursor:
        # Identifiers from the model, not from input.
        cursor.execute(f"INSERT INTO {EVENTS} ({columns}) VALUES ({marks})", values)  # noqa: S608


def verify() -> tuple[int, str]:
    """``verify_audit_trail``'s exit code and what it said (stderr when it failed)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit_trail", stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, err.getvalue()
    return 0, out.getvalue()
