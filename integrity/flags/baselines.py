"""What "normal" looks like, for the rules that compare a file or an officer with peers.

Two baselines, each computed at most once a day and kept in ``FlagBaseline`` so that
evaluating one event costs a lookup, not a scan of history:

- ``fast:<type>``: the working time (hours) of the type's files issued in the last N
  days, as a sorted sample, for percentiles (rule FAST);
- ``share:<role>:<unit>``: how many files each officer of a role and unit handled in the
  last N days, for the chance that random assignment gives an officer a file (rule PAIR).
"""

from __future__ import annotations

import datetime
import math

from django.db.models import Count, F
from django.utils import timezone

from accounts.models import User
from integrity.flags.rules.common import HANDLING_ACTIONS
from integrity.models import FlagBaseline
from permits.models import Application, ApplicationEvent, Stage

MAX_AGE = datetime.timedelta(hours=24)


def _cached(key: str, compute):
    now = timezone.now()
    row = FlagBaseline.objects.filter(key=key).first()
    if row is not None and now - row.computed_at < MAX_AGE:
        return row.value
    value = compute()
    FlagBaseline.objects.update_or_create(key=key, defaults={"value": value, "computed_at": now})
    return value


def type_durations(permit_type_id: int, window_days: int) -> list[float]:
    """Working hours used by the type's files issued in the window, ascending."""

    def compute():
        since = timezone.now() - datetime.timedelta(days=window_days)
        used = Application.objects.filter(
            permit_type_id=permit_type_id,
            state=Stage.ISSUED,
            finished_at__gte=since,
            clock_started_at__isnull=False,
        ).values_list("work_used", flat=True)
        return sorted(round(td.total_seconds() / 3600, 4) for td in used)

    return _cached(f"fast:{permit_type_id}:{window_days}", compute)


def percentile(sample: list[float], pct: float) -> float:
    """The ``pct``-th percentile by linear interpolation between closest ranks."""
    position = (len(sample) - 1) * pct / 100
    low, high = math.floor(position), math.ceil(position)
    return sample[low] + (sample[high] - sample[low]) * (position - low)


def officer_shares(role: str, unit_id: int | None, window_days: int) -> dict[str, int]:
    """Files handled in the window by each officer (pk as a string) of ``role`` and unit."""

    def compute():
        since = timezone.now() - datetime.timedelta(days=window_days)
        officers = User.objects.filter(role=role, unit_id=unit_id).values("pk")
        rows = (
            ApplicationEvent.objects.filter(
                action__in=sorted(HANDLING_ACTIONS),
                created_at__gte=since,
                actor_id__in=officers,
            )
            .values(officer=F("actor_id"))
            .annotate(files=Count("application_id", distinct=True))
        )
        return {str(row["officer"]): row["files"] for row in rows}

    return _cached(f"share:{role}:{unit_id}:{window_days}", compute)


def binomial_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p): the chance of at least ``k`` of ``n`` files going
    to one officer when each goes to them with probability ``p``."""
    if k <= 0:
        return 1.0
    if p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    return min(1.0, sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1)))
