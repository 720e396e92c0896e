"""There is no Docker engine here: check the compose file's shape instead of running it."""

import ipaddress

import yaml
from django.conf import settings

ROOT = settings.BASE_DIR


def load():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


APPS = ("web", "worker", "worker-rendering", "worker-messages", "worker-flags", "beat")


def test_it_declares_its_services_with_health_checks():
    services = load()["services"]
    assert set(services) == {
        *("migrate", "caddy", "pgbouncer", "postgres", "redis", "minio", "bucket"),
        *APPS,
    }
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no health check"


def test_the_databases_use_official_images_and_volumes():
    compose = load()
    services = compose["services"]
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert any("/var/lib/postgresql/data" in v for v in services["postgres"]["volumes"])
    assert {"pgdata", "objects"} <= set(compose["volumes"])
    assert any(v.startswith("objects:") for v in services["minio"]["volumes"])


def test_every_image_is_pinned_and_minio_comes_from_where_it_still_exists():
    services = load()["services"]
    for name, service in services.items():
        image = service.get("image", "")
        if image.startswith("terang:"):
            continue  # built here from the Dockerfile
        assert ":" in image and not image.endswith(":latest"), f"{name}: {image} is not pinned"
    # MinIO deleted minio/minio and minio/mc from Docker Hub (September 2026).
    for name in ("minio", "bucket"):
        assert services[name]["image"].startswith("quay.io/minio/"), services[name]["image"]


def test_web_workers_and_beat_run_the_project_through_pgbouncer_and_redis():
    services = load()["services"]
    assert "gunicorn portal.wsgi:application" in services["web"]["command"]
    assert "django_celery_beat.schedulers:DatabaseScheduler" in services["beat"]["command"]
    for name in APPS:
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://terang:terang@pgbouncer:")
        assert env["DATABASE_POOLING"] == "transaction"
        assert env["REDIS_URL"].startswith("redis://")
        assert env["DEBUG"] == "0"
        # Files in the shared bucket, not on a volume one host alone would see.
        assert env["STORAGE_BUCKET"] and env["STORAGE_ENDPOINT_URL"] == "http://minio:9000"
        assert not any("/app/var/media" in v for v in services[name]["volumes"])
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
        assert set(services[name]["depends_on"]) == {"migrate", "pgbouncer", "redis", "minio"}
    assert services["pgbouncer"]["environment"]["POOL_MODE"] == "transaction"


def test_migrations_run_once_and_no_replica_migrates():
    services = load()["services"]
    assert "manage.py migrate" in services["migrate"]["command"]
    assert services["migrate"]["restart"] == "no"
    # Migrations go straight to PostgreSQL, not through the pool.
    assert "@postgres:5432/" in services["migrate"]["environment"]["DATABASE_URL"]
    for name in APPS:
        assert "migrate" not in services[name]["command"]


def test_a_worker_per_queue_and_every_queue_has_one():
    services = load()["services"]
    consumed = set()
    for name in APPS:
        command = services[name]["command"]
        if command.startswith("celery -A portal worker"):
            queues = command.split("-Q ", 1)[1].split()[0].split(",")
            consumed |= set(queues)
    assert consumed == {queue.name for queue in settings.CELERY_TASK_QUEUES}
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    assert routed <= consumed
    assert services["beat"]["deploy"]["replicas"] == 1


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
    assert "dynamic a web 8000" in caddyfile  # every replica of web
    assert "lb_try_duration" in caddyfile  # a request a stopping replica refused is retried
    assert "header_up X-Request-ID" in caddyfile
    assert "tls {$CADDY_TLS:internal}" in caddyfile
    mounts = load()["services"]["caddy"]["volumes"]
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in mounts


def test_the_app_trusts_forwarded_headers_from_caddy_only():
    compose = load()
    services = compose["services"]
    caddy_address = services["caddy"]["networks"]["edge"]["ipv4_address"]
    subnet = compose["networks"]["edge"]["ipam"]["config"][0]["subnet"]
    assert ipaddress.ip_address(caddy_address) in ipaddress.ip_network(subnet)
    for name in APPS:
        assert services[name]["environment"]["TRUSTED_PROXIES"] == caddy_address
    assert f"--forwarded-allow-ips {caddy_address}" in services["web"]["command"]
    assert "edge" in services["web"]["networks"]
    for name in ("postgres", "pgbouncer", "redis", "minio", "bucket", *APPS[1:]):
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
