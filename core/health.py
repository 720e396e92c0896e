"""``/healthz``: is the database reachable, and the broker?

200 when both answer, 503 otherwise; JSON either way, so a load balancer and a person can
both read it. Without ``REDIS_URL`` tasks run in process and the broker is "in-process".
"""

import datetime

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
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


def last_heartbeat() -> str | None:
    try:
        return cache.get(HEARTBEAT_KEY)
    except Exception:  # the cache is Redis too; its outage is reported as the broker's
        return None


@never_cache
@require_safe
def healthz(request):
    checks = {"database": database_status(), "broker": broker_status()}
    healthy = all(value in {"ok", "in-process"} for value in checks.values())
    body = {
        "status": "ok" if healthy else "error",
        **checks,
        "beat": last_heartbeat(),
        "time": timezone.now().astimezone(datetime.UTC).isoformat(),
    }
    return JsonResponse(body, status=200 if healthy else 503)
