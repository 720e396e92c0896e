"""PostgreSQL only: trigram indexes over the open files alone, for the worklist's name
search (which only ever looks at open files unless a stage is chosen).

The indexes of 0005 cover every file: a common name then matches a bitmap the size of the
whole history (100 000 rows at 1 000 000 files), which the search's count has to read.
These cover the files the worklist shows, whatever the history's length. Without pg_trgm
(see 0005) nothing is created and the search still works.

Their condition also says ``column IS NOT NULL`` (always true: the columns are NOT NULL).
A search's ``UPPER(column) LIKE …`` implies it, so the planner takes these for a search;
a list without a search does not, so it keeps walking the open files in deadline order
(``app_open_all``) instead of reading a whole GIN index and sorting: with the bare open-
stage condition PostgreSQL chose that for the worklist's page 40 (2.7 ms became 7 ms).
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

# permits.models.stages.OPEN_STAGES, sorted, as it stood when this migration was written
# (the open-files indexes of 0004 use the same list).
OPEN = (
    "approval", "awaiting_payment", "inspection", "returned", "signing", "submitted",
    "technical_review", "verification",
)  # fmt: skip
INDEXES = {
    "app_open_name_trgm": "applicant_name",
    "app_open_business_trgm": "business_name",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    states = ", ".join(f"'{state}'" for state in OPEN)
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            for name, column in INDEXES.items():
                schema_editor.execute(
                    f"CREATE INDEX IF NOT EXISTS {name} ON permits_application "
                    f"USING gin ((UPPER({column}::text)) gin_trgm_ops) "
                    f"WHERE state IN ({states}) AND {column} IS NOT NULL"
                )
    except DatabaseError as exc:
        logger.warning("pg_trgm unavailable (%s): name search will scan the open files.", exc)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("permits", "0016_period_indexes")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
