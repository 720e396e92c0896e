"""The transparency dashboard's snapshots (``DashboardSnapshot``, one per period): the
figures of ``public.selectors.transparency.dashboard_compute`` kept so that the page costs a
lookup. A snapshot taken while its period was running is recomputed after the period
ended, and one older than ``MAX_AGE`` too.

Never inside a request, and one at a time (issue 20.5): a request that finds its period's
snapshot stale or missing claims the refresh (one conditional UPDATE: of any number of
requests at once, one wins) and enqueues it; every request serves what is stored
meanwhile, a period never computed a "being prepared" page. A claim that no task honoured
(the broker was down) lapses after ``CLAIM_TTL`` and the next request claims again; beat
refreshes the current periods every hour in any case."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from core.queue import enqueue
from public.models import DashboardSnapshot
from public.selectors.transparency import Period, dashboard_compute, period_month, period_year

MAX_AGE = datetime.timedelta(hours=3)
CLAIM_TTL = datetime.timedelta(minutes=10)


def dashboard_store(period: Period, *, now: datetime.datetime | None = None) -> DashboardSnapshot:
    """Compute the period's figures and keep them (a task's work, never a request's)."""
    now = now or timezone.now()
    snapshot, _created = DashboardSnapshot.objects.update_or_create(
        period=period.key,
        defaults={
            "data": dashboard_compute(period, now=now),
            "computed_at": now,
            "refresh_requested_at": None,
        },
    )
    return snapshot


def _stale(snapshot: DashboardSnapshot, period: Period, now: datetime.datetime) -> bool:
    if not snapshot.ready:
        return True
    ended_since = snapshot.computed_at < period.end <= now
    return ended_since or now - snapshot.computed_at > MAX_AGE


def dashboard_refresh_claim(period: Period, *, now: datetime.datetime) -> bool:
    """Claim the period's refresh: True for the one caller that should enqueue it."""
    DashboardSnapshot.objects.get_or_create(period=period.key)
    unclaimed = Q(refresh_requested_at__isnull=True) | Q(refresh_requested_at__lt=now - CLAIM_TTL)
    claimed = DashboardSnapshot.objects.filter(unclaimed, period=period.key).update(
        refresh_requested_at=now
    )
    return claimed == 1


def dashboard_get(period: Period, *, now: datetime.datetime | None = None) -> DashboardSnapshot:
    """The period's stored snapshot (one query when fresh). Stale or missing: the refresh
    is claimed and enqueued, and what is stored now is returned (with tasks in process,
    the demo's, that is the fresh one)."""
    now = now or timezone.now()
    snapshot = DashboardSnapshot.objects.filter(period=period.key).first()
    if snapshot is not None and not _stale(snapshot, period, now):
        return snapshot
    if dashboard_refresh_claim(period, now=now):
        from public.tasks import refresh_dashboard_period

        enqueue(refresh_dashboard_period, period.key)
    return DashboardSnapshot.objects.get(period=period.key)


def dashboard_refresh(*, now: datetime.datetime | None = None) -> int:
    """Recompute this month, this year and last month; returns the snapshots written."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    periods = {p.key: p for p in (period_month(today), period_year(today.year))}
    periods.setdefault(period_month(last_month).key, period_month(last_month))
    for period in periods.values():
        dashboard_store(period, now=now)
    return len(periods)
