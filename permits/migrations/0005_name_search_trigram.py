"""PostgreSQL only: trigram indexes so the worklist's name search does not scan every file.

Django's ``icontains`` compiles to ``UPPER(column::text) LIKE UPPER(%q%)``; the indexes are on
that same expression. ``pg_trgm`` ships with PostgreSQL; creating the extension needs a role
allowed to (the database owner on PostgreSQL 13+ for trusted extensions). Without it the
search still works, only slower, so a refusal is reported and skipped rather than fatal.
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

INDEXES = {
    "app_name_trgm": "applicant_name",
    "app_business_trgm": "business_name",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            for name, column in INDEXES.items():
                schema_editor.execute(
                    f"CREATE INDEX IF NOT EXISTS {name} ON permits_application "
                    f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
                )
    except DatabaseError as exc:
        logger.warning("pg_trgm unavailable (%s): name search will scan the table.", exc)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("permits", "0004_worklist_indexes")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
