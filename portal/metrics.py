"""``/metrics``: Prometheus's view of Terang (issue 20.9).

Request latency and counts per view come from django-prometheus's middleware. Read at
each scrape, from the database and the broker: the tasks waiting in each Celery queue, the
outbox's backlog (messages not yet sent, and how long the oldest has waited), and the
files open and late per unit (OPD). A scrape costs three grouped queries and one Redis
round trip.

The endpoint answers only a scraper holding ``METRICS_TOKEN`` (``Authorization: Bearer``);
without the setting it does not exist (404). Under gunicorn with several workers, set
``PROMETHEUS_MULTIPROC_DIR`` to a directory the workers share: the request metrics of
every worker are then summed (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import hmac
import logging
import os

import redis
from django.conf import settings
from django.db.models import Count, Min, Q
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from outbox.models import Message, MessageStatus
from permits.models import OPEN_STAGES, Application

logger = logging.getLogger(__name__)


def queue_lengths() -> dict[str, int] | None:
    """Tasks waiting per Celery queue (the Redis list of each), or None if the broker is
    not reachable; {} when tasks run in process."""
    if not settings.REDIS_URL:
        return {}
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    names = [queue.name for queue in settings.CELERY_TASK_QUEUES]
    try:
        with client.pipeline(transaction=False) as pipe:
            for name in names:
                pipe.llen(name)
            return dict(zip(names, pipe.execute(), strict=True))
    except redis.RedisError as exc:
        logger.warning("metrics: broker unreachable: %s", exc)
        return None


class OfficeCollector:
    """The office's gauges, read at each scrape."""

    def collect(self):
        now = timezone.now()
        lengths = queue_lengths()
        up = GaugeMetricFamily("terang_broker_up", "1 if the Celery broker answered the scrape.")
        up.add_metric([], 0 if lengths is None else 1)
        yield up
        waiting = GaugeMetricFamily(
            "terang_queue_length", "Tasks waiting in a Celery queue.", labels=["queue"]
        )
        for name, length in sorted((lengths or {}).items()):
            waiting.add_metric([name], length)
        yield waiting

        backlog = GaugeMetricFamily(
            "terang_outbox_backlog", "Messages not yet sent, per channel.", labels=["channel"]
        )
        oldest = GaugeMetricFamily(
            "terang_outbox_oldest_seconds",
            "How long the oldest unsent message has waited, in seconds.",
        )
        rows = (
            Message.objects.filter(status=MessageStatus.PENDING)
            .values("channel")
            .annotate(n=Count("id"), first=Min("created_at"))
            .order_by("channel")
        )
        first = None
        for row in rows:
            backlog.add_metric([row["channel"]], row["n"])
            first = row["first"] if first is None else min(first, row["first"])
        oldest.add_metric([], (now - first).total_seconds() if first else 0)
        yield backlog
        yield oldest

        open_files = GaugeMetricFamily(
            "terang_files_open", "Files open (submitted, not finished), per unit.", labels=["unit"]
        )
        late_files = GaugeMetricFamily(
            "terang_files_late",
            "Open files past their SOP deadline or their completeness check's, per unit.",
            labels=["unit"],
        )
        late = Q(clock_running_since__isnull=False, sop_deadline__lt=now) | Q(check_due_at__lt=now)
        rows = (
            Application.objects.filter(state__in=OPEN_STAGES)
            .values("permit_type__opd__code")
            .annotate(n=Count("id"), late=Count("id", filter=late))
            .order_by("permit_type__opd__code")
        )
        for row in rows:
            open_files.add_metric([row["permit_type__opd__code"]], row["n"])
            late_files.add_metric([row["permit_type__opd__code"]], row["late"])
        yield open_files
        yield late_files


def _registry():
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


@never_cache
@require_safe
def metrics(request):
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return HttpResponse(status=401, headers={"WWW-Authenticate": "Bearer"})
    office = CollectorRegistry(auto_describe=False)
    office.register(OfficeCollector())
    body = generate_latest(_registry()) + generate_latest(office)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
