"""The transparency dashboard's snapshots (``DashboardSnapshot``, one per period): the
figures of ``public.selectors.transparency.dashboard_compute`` kept so that the page costs a
lookup. A snapshot taken while its period was running is recomputed on the first request
after the period ended, and one older than ``MAX_AGE`` on the next request."""

from __future__ import annotations

import datetime

from django.utils import timezone

from public.models import DashboardSnapshot
from public.selectors.transparency import Period, dashboard_compute, period_month, period_year

MAX_AGE = datetime.timedelta(hours=3)


def dashboard_store(period: Period, *, now: datetime.datetime | None = None) -> DashboardSnapshot:
    now = now or timezone.now()
    snapshot, _created = DashboardSnapshot.objects.update_or_create(
        period=period.key,
        defaults={"data": dashboard_compute(period, now=now), "computed_at": now},
    )
    return snapshot


def _stale(snapshot: DashboardSnapshot, period: Period, now: datetime.datetime) -> bool:
    ended_since = snapshot.computed_at < period.end <= now
    return ended_since or now - snapshot.computed_at > MAX_AGE


def dashboard_get(period: Period, *, now: datetime.datetime | None = None) -> DashboardSnapshot:
    """The period's snapshot: stored one (one query), or computed and stored now."""
    now = now or timezone.now()
    snapshot = DashboardSnapshot.objects.filter(period=period.key).first()
    if snapshot is None or _stale(snapshot, period, now):
        snapshot = dashboard_store(period, now=now)
    return snapshot


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
