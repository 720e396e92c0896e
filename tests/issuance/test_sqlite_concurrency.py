"""Bank callbacks at once on the embedded default (an SQLite file): they queue for the write
lock instead of failing with "database is locked"."""

import subprocess
import sys

import pytest
from django.conf import settings

CASE = "tests/issuance/sqlite_concurrency_case.py"


@pytest.mark.skipif(settings.USES_POSTGRES, reason="the SQLite default only")
def test_eight_bank_callbacks_at_once_on_sqlite_give_no_error_and_pay_once(
    project_env, migrated_sqlite
):
    """In its own pytest process, whose test database is a file (see the case's docstring):
    a copy of the migrated file, kept (``--reuse-db``) rather than migrated again."""
    env = project_env | {"TERANG_SQLITE_TEST_FILE": str(migrated_sqlite)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", CASE, "-q", "-p", "no:cacheprovider", "--reuse-db"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout
