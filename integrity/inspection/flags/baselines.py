"""What "normal" looks like, for the rules that compare a file or an officer with peers.

Two baselines, each computed at most once a day and kept in ``FlagBaseline`` so that
evaluating one event costs a lookup, not a scan of history:

- ``fast:<type>``: the working time (hours) of the type's files issued in the last N
  days, as a sorted sample, for percentiles (rule FAST);
- ``share:<role>:<unit>``: how many files each officer of a role and unit handled in the
  last N days, for the chance that random assignment gives an officer a file (rule PAIR);
- ``steer:<role>:<unit>``: how many files each of those officers was handed by someone
  else's reassignment, for the chance of being handed a file (rule PAIR);
- ``stage:<stage>``: how long files waited in a stage (working hours from entering it to
  the act that moved them on) in the last N days, per officer who moved them, per type
  and for the whole stage, and as a share of each file's SOP budget, as sorted samples:
  how quick a desk usually is (rules QUEUE and PRESSURE).
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Subquery
from django.utils import timezone

from accounts.models import User
from integrity.inspection.flags.rules.common import (
    FORWARD_ACTIONS,
    HANDLING_ACTIONS,
    STAFF_ACTOR_ROLES,
    stage_entry,
)
from integrity.inspection.models import FlagBaseline
from permits.event_names import APPLICATION_REASSIGNED
from permits.models import Application, ApplicationEvent, Channel, SopUnit, Stage
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
    "type": {pk: [...]}, "share": {"all": [...], "by": {pk: [...]}}}``, each list
    ascending, ``by`` keyed by the officer (pk as a string) who moved it, ``type`` by the
    file's permit type. ``share`` is the time in the stage against what it is measured by
    (``stage_budget``: the file's promise, or a working day at desks that work in rounds),
    for files moved onwards whose SOP is counted in working days, walk-ins at the counter
    aside: comparable across types whose promises differ."""

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
            .values_list(
                "actor_id",
                "application__permit_type_id",
                "entered_at",
                "created_at",
                "action",
                "application__permit_type__sop_unit",
                "application__channel",
                "application__sop_budget",
                "application__waiting_since",
                "application__check_due_at",
            )
        )
        calendar = get_calendar()
        every, by, types, shares, shares_by = [], {}, {}, [], {}
        for row in exits.iterator(chunk_size=2000):
            actor_id, type_id, entered_at, left_at, action, unit, channel, *promise = row
            waited = calendar.working_time_between(entered_at, left_at)
            wait = round(waited.total_seconds() / 3600, 4)
            every.append(wait)
            by.setdefault(str(actor_id), []).append(wait)
            types.setdefault(str(type_id), []).append(wait)
            if action not in FORWARD_ACTIONS or unit != SopUnit.DAYS:
                continue
            if stage == Stage.SUBMITTED and channel == Channel.COUNTER:
                continue  # a walk-in, served at the desk by design
            budget = stage_budget(stage, *promise, calendar)
            if budget:
                share = round(waited / budget, 6)
                shares.append(share)
                shares_by.setdefault(str(actor_id), []).append(share)
        return {
            "all": sorted(every),
            "by": {pk: sorted(waits) for pk, waits in by.items()},
            "type": {pk: sorted(waits) for pk, waits in types.items()},
            "share": {
                "all": sorted(shares),
                "by": {pk: sorted(values) for pk, values in shares_by.items()},
            },
        }

    return _cached(f"stage:{stage}:{window_days}", compute)


# Desks that work in rounds or trips: their pace follows the calendar (the supervisor's
# approval rounds, the head's daily signing, inspection trips), not how much a file's
# promise allows, so a stay there is measured in working days.
ROUND_STAGES = frozenset({Stage.INSPECTION, Stage.APPROVAL, Stage.SIGNING})
WORKING_DAY = datetime.timedelta(hours=7.5)


def stage_budget(stage, sop_budget, waiting_since, check_due_at, calendar):
    """What a stay in ``stage`` is measured against: where the desk's work grows with the
    file (technical review), the file's SOP budget; at the counter, before the SOP clock
    runs, the completeness check's (from its waiting start to its due moment: about the
    same for every round of one type); at a desk that works in rounds or trips, a working
    day. None when the file has no such promise."""
    if stage in ROUND_STAGES:
        return WORKING_DAY
    if stage == Stage.SUBMITTED:
        if waiting_since is None or check_due_at is None:
            return None
        return calendar.working_time_between(waiting_since, check_due_at) or None
    return sop_budget or None


SHARE_FLOOR = 1e-4  # a share of a promise taken as the least (about 8 s of a 3-day SOP)


def desk_quickest(
    stage: str, holder_id, *, window_days: int, pct: float, min_sample: int, memo: dict
) -> tuple[float | None, str]:
    """A desk's ordinary quickest: the ``pct``-th percentile of the shares of their promise
    that files spent in ``stage`` (``stage_waits``), from the holder's own files when they
    moved at least ``min_sample`` on, else from the whole stage's ("holder" or "stage");
    None when neither has enough. ``memo`` keeps the baseline for one evaluation.

    Read off the sample once the far-low stays are set aside (``robust_percentile``): a
    plain rank would be set by the very files a rule looks for (at a desk whose officer
    jumps one file in twenty, the 5th percentile is a jump), and a percentile computed
    from a fitted shape would be wrong for desks whose stays are not so shaped (a head
    who signs every day after two to fifteen hours: no stay under two)."""
    shares = desk_waits(stage, window_days, memo)["share"]
    own = shares["by"].get(str(holder_id), [])
    for sample, basis in ((own, "holder"), (shares["all"], "stage")):
        if len(sample) >= min_sample:
            return robust_percentile(sample, pct), basis
    return None, ""


def desk_waits(stage: str, window_days: int, memo: dict) -> dict:
    """``stage_waits``, looked up once per evaluation (``memo``: the context's)."""
    key = ("stage-waits", stage, window_days)
    if key not in memo:
        memo[key] = stage_waits(stage, window_days)
    return memo[key]


@dataclass(frozen=True)
class Stay:
    """A file's stay at a desk (from ``entry``, ``took`` working time), what it is
    measured by (``budget``) and the desk's ordinary quickest share (``quickest``, from the
    holder's or the stage's files: ``basis``)."""

    entry: ApplicationEvent
    took: datetime.timedelta
    budget: datetime.timedelta
    quickest: float
    basis: str

    def quick(self, margin: float) -> bool:
        """Far sooner than the desk ever moves a file: under ``margin`` × its quickest."""
        return self.took / self.budget < margin * self.quickest

    @property
    def took_hours(self) -> float:
        return self.took.total_seconds() / 3600

    @property
    def usual_hours(self) -> float:
        return self.quickest * self.budget.total_seconds() / 3600


def desk_stay(
    app, stage: str, holder_id, left_at, *, window_days, pct, min_sample, memo, calendar
) -> Stay | None:
    """The stay in ``stage`` that ``app`` ended at ``left_at`` under ``holder_id``, beside
    the desk's ordinary quickest (``desk_quickest``); None when the desk has too few files
    to know, the file has nothing to measure the stay by, or it never entered the stage."""
    quickest, basis = desk_quickest(
        stage, holder_id, window_days=window_days, pct=pct, min_sample=min_sample, memo=memo
    )
    if quickest is None:
        return None
    budget = stage_budget(stage, app.sop_budget, app.waiting_since, app.check_due_at, calendar)
    if not budget:
        return None
    entry = stage_entry(app.pk, stage, left_at, inclusive=False)
    if entry is None:
        return None
    took = calendar.working_time_between(entry.created_at, left_at)
    return Stay(entry=entry, took=took, budget=budget, quickest=quickest, basis=basis)


TRIM_SPREADS = 3  # how far under the logs' median a stay is set aside, in spreads


def robust_percentile(sample: list[float], pct: float) -> float:
    """The ``pct``-th percentile of a positive sample, leaving out the values more than
    ``TRIM_SPREADS`` spreads under the median of the logs (the spread: 1.4826 × the MAD of
    the logs, the standard deviation were they normal; values under ``SHARE_FLOOR`` count
    as it). Honest variation rarely goes that far (0.1% of a normal sample), the
    misconduct a rule looks for does; the median and the MAD barely move until half the
    sample is such. On a sample with no spread, what lies under the median is set aside."""
    logs = sorted(math.log(max(value, SHARE_FLOOR)) for value in sample)
    middle = median(logs)
    floor = middle - TRIM_SPREADS * 1.4826 * median_absolute_deviation(logs)
    kept = [value for value in logs if value >= floor]
    return math.exp(percentile(kept, pct))


def median(sample: list[float]) -> float:
    return percentile(sample, 50)


def median_absolute_deviation(sample: list[float]) -> float:
    """The median distance from the median: the spread half the sample lies within, which
    a few extreme values (the misconduct a rule looks for) barely move."""
    middle = median(sample)
    return median(sorted(abs(x - middle) for x in sample))
