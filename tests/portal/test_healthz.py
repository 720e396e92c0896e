import pytest

pytestmark = pytest.mark.django_db


def test_it_reports_ok_when_database_and_broker_answer(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] == ("ok" if settings.REDIS_URL else "in-process")
    assert response["Cache-Control"].startswith("max-age=0")


def test_it_reports_503_when_the_broker_is_unreachable(client, settings):
    # Port 9 (discard) has no Redis behind it: a real refused connection, not a mock.
    settings.REDIS_URL = "redis://127.0.0.1:9/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() | {"time": None, "beat": None} == {
        "status": "error",
        "database": "ok",
        "migrations": "ok",
        "broker": "error",
        "time": None,
        "beat": None,
    }


def test_an_unreachable_database_is_reported_as_an_error():
    # A real PostgreSQL connection to a port where nothing listens: refused, not mocked.
    from django.db.utils import ConnectionHandler

    from core.health import database_status

    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "HOST": "127.0.0.1",
                "PORT": "9",
                "NAME": "terang",
                "USER": "terang",
                "OPTIONS": {"connect_timeout": 2},
            }
        }
    )
    assert database_status(handler["default"]) == "error"


def test_it_refuses_post(client):
    assert client.post("/healthz").status_code == 405


def test_it_shows_the_last_beat_heartbeat(client):
    from portal.tasks import heartbeat

    heartbeat.delay()
    assert client.get("/healthz").json()["beat"]


def test_liveness_consults_nothing(client, settings):
    # The broker is down and the process still serves: alive, not ready.
    settings.REDIS_URL = "redis://127.0.0.1:9/0"
    assert client.get("/healthz/live").json() == {"status": "ok"}
    assert client.get("/healthz/ready").status_code == 503


def test_readiness_names_its_checks(client, settings):
    body = client.get("/healthz/ready").json()
    assert body["database"] == "ok"
    assert body["migrations"] == "ok"
    assert body["broker"] == ("ok" if settings.REDIS_URL else "in-process")


def test_a_database_missing_a_migration_is_not_ready(monkeypatch):
    # The database forgets the newest migration it holds (the test's transaction rolls the
    # delete back): the check reads the database's own record, as a new release would meet it.
    from django.db.migrations.recorder import MigrationRecorder

    from core import health

    monkeypatch.setattr(health, "_migrated", False)
    newest = MigrationRecorder.Migration.objects.filter(app="permits").latest("id")
    newest.delete()
    assert health.migrations_status() == "pending"
    assert health._migrated is False  # asked again next time
    newest.save()
    assert health.migrations_status() == "ok"
