"""Health, as a load balancer and an orchestrator ask for it (issue 20.9).

- ``/healthz/live``: the process serves requests (200, no dependency consulted): restart
  the container only when this fails.
- ``/healthz/ready`` (and ``/healthz``): the database answers, every migration is applied
  and the broker answers: send traffic only while this is 200; 503 otherwise.

JSON either way, so a person can read it too. Without ``REDIS_URL`` tasks run in process
and the broker is "in-process".
"""

import datetime

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

HEARTBEAT_KEY = "portal:heartbeat"


def record_heartbeat() -> None:
    cache.set(HEARTBEAT_KEY, timezone.now().isoformat(), timeout=None)


def database_status(db=connection) -> str:
    try:
        with db.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any failure means "not reachable"; the detail goes to the log
        return "error"
    return "ok"


def broker_status() -> str:
    if not settings.REDIS_URL:
        return "in-process"
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
    except redis.RedisError:
        return "error"
    return "ok"


_migrated = False  # once every migration is applied, this process need not look again


def migrations_status(db=connection) -> str:
    """ "ok" when the database holds every migration this code has, else "pending"."""
    global _migrated
    if _migrated:
        return "ok"
    try:
        executor = MigrationExecutor(db)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:  # the database is the one to blame; database_status reports it
        return "error"
    _migrated = not pending
    return "ok" if _migrated else "pending"


def last_heartbeat() -> str | None:
    try:
        return cache.get(HEARTBEAT_KEY)
    except Exception:  # the cache is Redis too; its outage is reported as the broker's
        return None


@never_cache
@require_safe
def live(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def ready(request):
    database = database_status()
    checks = {
        "database": database,
        "migrations": migrations_status() if database == "ok" else "unknown",
        "broker": broker_status(),
    }
    healthy = all(value in {"ok", "in-process"} for value in checks.values())
    body = {
        "status": "ok" if healthy else "error",
        **checks,
        "beat": last_heartbeat(),
        "time": timezone.now().astimezone(datetime.UTC).isoformat(),
    }
    return JsonResponse(body, status=200 if healthy else 503)
