"""``bench/seed.py`` (issue 20.4) writes with COPY behind the ORM: what it leaves must be
what the services would have left, or every page measured on it measures something else.
Run on the test database: every event chained and every document version sealed
(``verify_audit_trail`` passes), registration numbers unique and in order within each year,
no file from the future, and the open files only among those received in the last 45 days."""

from __future__ import annotations

import subprocess
import sys

import psycopg2
import pytest
from django.conf import settings

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

FILES = 300


@pytest.fixture
def seeded(project_env):
    """The seed run on the test database itself: migrated already, empty at the start of a
    transactional test and emptied after it (a database of its own cost a migration)."""
    database = settings.DATABASES["default"]
    user, host = database["USER"] or "postgres", database["HOST"] or "127.0.0.1"
    url = f"postgres://{user}@{host}:{database['PORT'] or 5432}/{database['NAME']}"
    env = project_env | {"DEBUG": "1", "DATABASE_URL": url}
    env.pop("REDIS_URL", None)
    seed = subprocess.run(
        [sys.executable, "bench/seed.py", "--files", str(FILES), "--applicants", "50"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert seed.returncode == 0, seed.stderr[-3000:]
    connection = psycopg2.connect(url)
    yield env, connection
    connection.close()


def rows(connection, sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def test_the_seeded_office_verifies_and_keeps_its_shape(seeded):
    env, connection = seeded
    verify = subprocess.run(
        [sys.executable, "manage.py", "verify_audit_trail"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "sealed row(s) match their seals" in verify.stdout
    # The per-day figures were rebuilt from the files the seed wrote.
    check = subprocess.run(
        [sys.executable, "manage.py", "rebuild_figures", "--check"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    [(received, submitted)] = rows(
        connection,
        "SELECT (SELECT sum(received) FROM permits_dailytypefigures), "
        "(SELECT count(*) FROM permits_application WHERE submitted_at IS NOT NULL)",
    )
    assert received == submitted > 0
    [(files, old_open, future)] = rows(
        connection,
        "SELECT count(*), count(*) FILTER (WHERE finished_at IS NULL "
        "AND created_at < now() - interval '45 days'), count(*) FILTER (WHERE created_at > now()) "
        "FROM permits_application",
    )
    assert (files, old_open, future) == (FILES, 0, 0)
    [(documents, sealed)] = rows(
        connection,
        "SELECT (SELECT count(*) FROM permits_document), "
        "(SELECT count(*) FROM trail_seal WHERE model = 'permits.document')",
    )
    assert documents == sealed > 0
    # Red flags on finished files only, each raised when its file finished.
    [(flags, misplaced)] = rows(
        connection,
        "SELECT count(*), count(*) FILTER (WHERE a.finished_at IS NULL "
        "OR f.occurred_at <> a.finished_at) FROM integrity_flag f "
        "JOIN permits_application a ON a.id = f.application_id",
    )
    assert flags > 0 and misplaced == 0
    # Numbers run 1, 2, 3 … within each year, in the order the files came in.
    numbered = rows(
        connection,
        "SELECT registration_number FROM permits_application ORDER BY created_at, id",
    )
    by_year: dict[str, list[int]] = {}
    for (number,) in numbered:
        _, year, serial = number.split("-")
        by_year.setdefault(year, []).append(int(serial))
    for serials in by_year.values():
        assert serials == list(range(1, len(serials) + 1))
    # The events of each file are chained in its own order and pointing at it.
    [(orphans,)] = rows(
        connection,
        "SELECT count(*) FROM permits_applicationevent e LEFT JOIN permits_application a "
        "ON a.id = e.application_id WHERE a.id IS NULL",
    )
    assert orphans == 0
