"""What "normal" looks like, for the rules that compare a file or an officer with peers.

Two baselines, each computed at most once a day and kept in ``FlagBaseline`` so that
evaluating one event costs a lookup, not a scan of history:

- ``fast:<type>``: the working time (hours) of the type's files issued in the last N
  days, as a sorted sample, for percentiles (rule FAST);
- ``share:<role>:<unit>``: how many files each officer of a role and unit handled in the
  last N days, for the chance that random assignment gives an officer a file (rule PAIR);
- ``steer:<role>:<unit>``: how many files each of those officers was handed by someone
  else's reassignment, for the chance of being handed a file (rule PAIR);
- ``wait:<stage>``: how long files waited in a stage (working hours from entering it to
  the act that moved them on) in the last N days, per officer who moved them and for the
  whole stage, as sorted samples, for the usual spread of waits (rule QUEUE).
"""

from __future__ import annotations

import datetime
import math

from django.db.models import Count, F, OuterRef, Subquery
from django.utils import timezone

from accounts.models import User
from integrity.flags.rules.common import HANDLING_ACTIONS, STAFF_ACTOR_ROLES
from integrity.models import FlagBaseline
from permits.event_names import APPLICATION_REASSIGNED
from permits.models import Application, ApplicationEvent, Stage
from worktime.calendar import get_calendar

MAX_AGE = datetime.timedelta(hours=24)


def _cached(key: str, compute):
    now = timezone.now()
    row = FlagBaseline.objects.filter(key=key).first()
    # Computed within the day, and not after now (a clock set back, a replayed history).
    if row is not None and datetime.timedelta(0) <= now - row.computed_at < MAX_AGE:
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


def officer_steered(role: str, unit_id: int | None, window_days: int) -> dict[str, int]:
    """Files handed in the window to each officer (pk as a string) of ``role`` and unit by
    someone else's reassignment, not by the automatic assignment."""

    def compute():
        since = timezone.now() - datetime.timedelta(days=window_days)
        officers = set(User.objects.filter(role=role, unit_id=unit_id).values_list("pk", flat=True))
        handed: dict[str, set] = {}
        rows = ApplicationEvent.objects.filter(
            action=APPLICATION_REASSIGNED, created_at__gte=since
        ).values_list("application_id", "actor_id", "data")
        for application_id, actor_id, data in rows.iterator(chunk_size=2000):
            to = (data or {}).get("to")
            if to in officers and actor_id != to:
                handed.setdefault(str(to), set()).add(application_id)
        return {pk: len(files) for pk, files in handed.items()}

    return _cached(f"steer:{role}:{unit_id}:{window_days}", compute)


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


def stage_waits(stage: str, window_days: int) -> dict:
    """Working hours each file waited in ``stage`` before an officer moved it on (onwards,
    back to the applicant or rejected) in the window: ``{"all": [...], "by": {pk: [...]},
    "type": {pk: [...]}}``, each list ascending, ``by`` keyed by the officer (pk as a
    string) who moved it, ``type`` by the file's permit type."""

    def compute():
        since = timezone.now() - datetime.timedelta(days=window_days)
        entry = (
            ApplicationEvent.objects.filter(
                application_id=OuterRef("application_id"),
                to_state=stage,
                created_at__lt=OuterRef("created_at"),
            )
            .exclude(from_state=stage)
            .order_by("-created_at", "-id")
        )
        exits = (
            ApplicationEvent.objects.filter(
                from_state=stage,
                action__in=sorted(HANDLING_ACTIONS),
                actor_role__in=sorted(STAFF_ACTOR_ROLES),
                created_at__gte=since,
            )
            .exclude(to_state=stage)
            .annotate(entered_at=Subquery(entry.values("created_at")[:1]))
            .filter(entered_at__isnull=False)
            .values_list("actor_id", "application__permit_type_id", "entered_at", "created_at")
        )
        calendar = get_calendar()
        every, by, types = [], {}, {}
        for actor_id, type_id, entered_at, left_at in exits.iterator(chunk_size=2000):
            waited = calendar.working_time_between(entered_at, left_at)
            wait = round(waited.total_seconds() / 3600, 4)
            every.append(wait)
            by.setdefault(str(actor_id), []).append(wait)
            types.setdefault(str(type_id), []).append(wait)
        return {
            "all": sorted(every),
            "by": {pk: sorted(waits) for pk, waits in by.items()},
            "type": {pk: sorted(waits) for pk, waits in types.items()},
        }

    return _cached(f"wait:{stage}:{window_days}", compute)


def median(sample: list[float]) -> float:
    return percentile(sample, 50)


def median_absolute_deviation(sample: list[float]) -> float:
    """The median distance from the median: the spread half the sample lies within, which
    a few extreme values (the misconduct a rule looks for) barely move."""
    middle = median(sample)
    return median(sorted(abs(x - middle) for x in sample))
