"""There is no Docker engine here: check the compose file's shape instead of running it."""

import yaml
from django.conf import settings

ROOT = settings.BASE_DIR


def load():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_it_declares_the_five_services_with_health_checks():
    services = load()["services"]
    assert set(services) == {"web", "worker", "beat", "postgres", "redis"}
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no health check"


def test_the_databases_use_official_images_and_volumes():
    compose = load()
    services = compose["services"]
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert any("/var/lib/postgresql/data" in v for v in services["postgres"]["volumes"])
    assert {"pgdata", "media"} <= set(compose["volumes"])


def test_web_worker_and_beat_run_the_project_on_postgres_and_redis():
    services = load()["services"]
    assert "gunicorn portal.wsgi:application" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A portal worker")
    assert "django_celery_beat.schedulers:DatabaseScheduler" in services["beat"]["command"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://")
        assert env["DEBUG"] == "0"
        assert any(v.endswith(":/app/var/media") for v in services[name]["volumes"])
        assert set(services[name]["depends_on"]) == {"postgres", "redis"}


def test_the_dockerfile_builds_from_python_311_with_weasyprint_libraries():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("FROM python:3.11")
    assert "libpango-1.0-0" in dockerfile and "libharfbuzz-subset0" in dockerfile
    assert "requirements.txt" in dockerfile
