"""PostgreSQL triggers that refuse UPDATE and DELETE on the tables written once.

The ORM already refuses to save an append-only row twice (``AppendOnlyModel``), but a
queryset's ``update()``/``delete()``, raw SQL or a psql session would not; the trigger
refuses them from any client. Guarded: every ``AppendOnlyModel`` (the file event log, file
views and messages, the integrity registers, the public register, ``ChainDay``…) and every
django-simple-history table. TRUNCATE, which only test flushes use, fires no row trigger.

A superuser can still switch triggers off (``SET session_replication_role = replica``);
the event chain and the seals of every other record the audit relies on
(``manage.py verify_audit_trail``) show what was changed that way.
"""

from __future__ import annotations

from django.apps import apps
from django.db import connections, transaction
from simple_history.models import HistoricalChanges

from trail.models import AppendOnlyModel

FUNCTION = "trail_refuse_change"
TRIGGER = "trail_append_only"

FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END
$$
"""


def guarded_tables() -> list[str]:
    """The tables of every append-only and every historical model, sorted."""
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models()
            if model._meta.managed
            and not model._meta.proxy
            and issubclass(model, AppendOnlyModel | HistoricalChanges)
        }
    )


def triggers_install(using: str = "default") -> list[str]:
    """Install the refusing trigger on every guarded table that exists and lacks it enabled;
    return those tables. Idempotent, PostgreSQL only (elsewhere it does nothing).

    A trigger already in place is left alone (recreating it would lock a busy table at
    every deploy); one that was disabled is dropped and created again.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    existing = set(connection.introspection.table_names())
    tables = [table for table in guarded_tables() if table in existing]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(FUNCTION_SQL)
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s AND t.tgenabled = 'O' AND c.relname = ANY(%s) "
            "AND pg_table_is_visible(c.oid)",
            [TRIGGER, tables],
        )
        armed = {name for (name,) in cursor.fetchall()}
        missing = [table for table in tables if table not in armed]
        for table in missing:
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quoted}")
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {quoted} "
                f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
            )
    return missing
