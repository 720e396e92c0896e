"""The worklist's name search reads indexes bounded by the open files (issue 20.5): on
PostgreSQL the trigram indexes over open files exist, and the search's count reads them
rather than the whole history's; their condition is today's list of open stages."""

import importlib

import pytest
from django.db import connection

from permits.models import OPEN_STAGES

pytestmark = pytest.mark.django_db

OPEN_SEARCH = importlib.import_module("permits.migrations.0017_open_name_search")


def test_the_indexes_cover_exactly_the_open_stages():
    assert list(OPEN_SEARCH.OPEN) == sorted(OPEN_STAGES), (
        "OPEN_STAGES changed: add a migration that rebuilds the open-files search indexes"
    )


@pytest.mark.postgres
def test_the_open_files_search_indexes_exist_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'permits_application'"
        )
        indexes = dict(cursor.fetchall())
    for name, column in OPEN_SEARCH.INDEXES.items():
        assert f"upper(({column})::text) gin_trgm_ops" in indexes[name]
        assert "WHERE" in indexes[name] and "'verification'" in indexes[name]
        assert f"{column} IS NOT NULL" in indexes[name]  # a list without a search: not these
