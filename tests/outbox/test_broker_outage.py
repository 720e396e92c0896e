"""A real Redis stopped and started again: a transition commits while the broker is down,
and its message reaches the applicant once the broker is back and a worker sweeps."""

import shutil
import socket
import subprocess
import sys
import textwrap

import pytest

# A fresh process with its own environment and database: the same on either pass.
pytestmark = pytest.mark.judged_once

SCRIPT = textwrap.dedent(
    """
    import subprocess, sys, time
    import django
    django.setup()
    from django.core import mail
    from django.core.management import call_command
    from django.db import transaction
    call_command("migrate", verbosity=0)  # a copy of a migrated file: checked, not redone

    from accounts.models import Role, User
    from outbox.models import Message
    from permits.services.applications import application_create, application_submit
    from permits.services.context import Actor
    from tests.factories import OPDFactory, PermitTypeFactory

    port = sys.argv[1]
    office = OPDFactory(code="DPMPTSP")
    counter = User.objects.create(username="loket", role=Role.COUNTER, unit=office)
    permit_type = PermitTypeFactory(opd=office, needs_technical_review=False)
    actor = Actor(user=counter)
    draft = application_create(
        permit_type=permit_type, actor=actor, applicant_name="Siti Rahmawati",
        applicant_nik="3201014101900001", applicant_email="siti@contoh.id",
        applicant_address="Jl. Merdeka 1",
    )
    # The broker is down: the submission still commits.
    with transaction.atomic():
        application_submit(application=draft, actor=actor)
    message = Message.objects.get(kind="file.received")
    print("state after commit:", type(draft).objects.get(pk=draft.pk).state)
    print("message after commit:", message.status)

    # The broker comes back; a worker consumes the sweep from it.
    redis = subprocess.Popen(
        ["redis-server", "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        import redis as redis_client
        for _ in range(100):
            try:
                redis_client.Redis(port=int(port)).ping()
                break
            except redis_client.ConnectionError:
                time.sleep(0.05)
        from celery.contrib.testing.worker import start_worker
        from outbox.tasks import deliver_messages
        from portal.celery import app
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            deliver_messages.delay()
            for _ in range(200):
                message.refresh_from_db()
                if message.status == "sent":
                    break
                time.sleep(0.1)
        print("message after the broker is back:", message.status, len(mail.outbox))
        print("to:", mail.outbox[0].to if mail.outbox else None)
    finally:
        redis.terminate()
        redis.wait(timeout=10)
    """
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server")
def test_a_transition_commits_with_redis_down_and_its_message_follows_when_it_is_back(
    tmp_path, project_env, migrated_sqlite
):
    port = free_port()  # nothing listens here until the script starts Redis
    env = {
        **project_env,
        "DEBUG": "1",  # the embedded default, as `make demo` runs it
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "TERANG_VAR_DIR": str(tmp_path),
        "REDIS_URL": f"redis://127.0.0.1:{port}/0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(port)],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "state after commit: submitted" in result.stdout
    assert "message after commit: pending" in result.stdout
    assert "message after the broker is back: sent 1" in result.stdout
    assert "to: ['siti@contoh.id']" in result.stdout
