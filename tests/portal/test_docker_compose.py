"""There is no Docker engine here: check the compose file's shape instead of running it."""

import ipaddress

import yaml
from django.conf import settings

ROOT = settings.BASE_DIR


def load():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_it_declares_the_six_services_with_health_checks():
    services = load()["services"]
    assert set(services) == {"caddy", "web", "worker", "beat", "postgres", "redis"}
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


def test_only_the_tls_proxy_is_published_and_gunicorn_stays_internal():
    services = load()["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"caddy"}
    assert services["caddy"]["image"].startswith("caddy:2")
    assert {"80:80", "443:443"} <= set(services["caddy"]["ports"])
    assert services["web"]["expose"] == ["8000"]


def test_caddy_terminates_tls_and_forwards_to_gunicorn():
    caddyfile = (ROOT / "Caddyfile").read_text()
    assert "reverse_proxy web:8000" in caddyfile
    assert "tls {$CADDY_TLS:internal}" in caddyfile
    mounts = load()["services"]["caddy"]["volumes"]
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in mounts


def test_the_app_trusts_forwarded_headers_from_caddy_only():
    compose = load()
    services = compose["services"]
    caddy_address = services["caddy"]["networks"]["edge"]["ipv4_address"]
    subnet = compose["networks"]["edge"]["ipam"]["config"][0]["subnet"]
    assert ipaddress.ip_address(caddy_address) in ipaddress.ip_network(subnet)
    for name in ("web", "worker", "beat"):
        assert services[name]["environment"]["TRUSTED_PROXIES"] == caddy_address
    assert f"--forwarded-allow-ips {caddy_address}" in services["web"]["command"]
    assert "edge" in services["web"]["networks"]
    for name in ("postgres", "redis", "worker", "beat"):
        assert "edge" not in services[name].get("networks", [])


def test_the_image_leaves_out_the_developers_files_and_secrets():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".venv", "var", ".git", ".env", "test-artifacts", "staticfiles"} <= ignored


def test_the_signing_volume_is_created_for_the_app_user_before_it_is_declared():
    dockerfile = (ROOT / "Dockerfile").read_text()
    made = dockerfile.index("mkdir -p /app/var/media /app/var/signing")
    owned = dockerfile.index("chown -R terang /app/var")
    declared = dockerfile.index('VOLUME ["/app/var/media", "/app/var/signing"]')
    assert made < owned < declared < dockerfile.index("USER terang")
