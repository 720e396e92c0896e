"""Backup and restore (docs/operations.md): a PostgreSQL dump of a database holding files,
events, seals, a permit and a sealed register, restored into a new database, passes
``verify_audit_trail`` and ``verify_register`` there, with the same chain head. What an
auditor re-checks after a restore is what the office had."""

from __future__ import annotations

import datetime
import subprocess
import uuid
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection

from issuance.services.register import register_seal
from permits.models import ApplicationEvent, Stage
from tests.factories import fire, new_file, walk

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def pg(*args: str, **kwargs) -> subprocess.CompletedProcess:
    database = settings.DATABASES["default"]
    env = {"PGHOST": database["HOST"] or "127.0.0.1", "PGPORT": str(database["PORT"] or 5432),
           "PGUSER": database["USER"] or "postgres"}  # fmt: skip
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    return subprocess.run(args, env=env, capture_output=True, text=True, check=True, **kwargs)


def manage(project_env, database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = project_env | {"DEBUG": "1", "DATABASE_URL": database_url}
    env.pop("REDIS_URL", None)
    return subprocess.run(
        [str(settings.BASE_DIR / ".venv" / "bin" / "python"), "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def restored(office, tmp_path):
    """Two files carried to their permits yesterday, the register sealed today; the database
    dumped (``pg_dump -Fc``) and restored into a new one (``pg_restore``). Yields its URL."""
    with time_machine.travel(datetime.datetime(2026, 11, 18, 9, tzinfo=JAKARTA)):
        for _ in range(2):
            app = walk(office, new_file(office, office.simple_type), Stage.SIGNING)
            fire(app, "sign", app.assigned_to)
    with time_machine.travel(datetime.datetime(2026, 11, 19, 1, tzinfo=JAKARTA)):
        assert register_seal()
    source = connection.settings_dict["NAME"]
    dump = tmp_path / "terang.dump"
    pg("pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source)
    target = f"terang_restore_{uuid.uuid4().hex[:8]}"
    pg("createdb", target)
    try:
        pg("pg_restore", "--no-owner", "--exit-on-error", f"--dbname={target}", str(dump))
        database = settings.DATABASES["default"]
        user, host = database["USER"] or "postgres", database["HOST"] or "127.0.0.1"
        yield f"postgres://{user}@{host}:{database['PORT'] or 5432}/{target}"
    finally:
        pg("dropdb", "--force", target)


def test_a_restored_dump_passes_both_verifiers_with_the_same_head(restored, project_env):
    head = ApplicationEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    trail = manage(project_env, restored, "verify_audit_trail", f"--expect={head[0]}:{head[1]}")
    assert trail.returncode == 0, trail.stdout + trail.stderr
    register = manage(project_env, restored, "verify_register")
    assert register.returncode == 0, register.stdout + register.stderr
    figures = manage(project_env, restored, "rebuild_figures", "--check")
    assert figures.returncode == 0, figures.stdout + figures.stderr
    assert "The figures agree with the files." in figures.stdout


def test_a_row_changed_in_the_restored_copy_is_caught(restored, project_env):
    """The check is a real one: the same dump with one event's note rewritten behind the
    triggers' back does not pass."""
    database = settings.DATABASES["default"]
    target = restored.rsplit("/", 1)[1]
    pg(
        "psql", "--quiet", f"--dbname={target}", "--command",
        "SET session_replication_role = replica; "
        "UPDATE permits_applicationevent SET note = 'diubah' "
        "WHERE id = (SELECT min(id) FROM permits_applicationevent);",
    )  # fmt: skip
    assert database["ENGINE"].endswith("postgresql")
    trail = manage(project_env, restored, "verify_audit_trail")
    assert trail.returncode == 1, trail.stdout + trail.stderr
