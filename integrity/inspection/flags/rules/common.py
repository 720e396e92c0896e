"""What several rules share: who counts as staff, a file's events, working-day arithmetic."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from accounts.models import Role
from permits.event_names import (
    APPLICATION_APPROVED,
    APPLICATION_ASSIGNED,
    APPLICATION_COMPLETED,
    APPLICATION_INSPECTED,
    APPLICATION_REASSIGNED,
    APPLICATION_REJECTED,
    APPLICATION_RETURNED,
    APPLICATION_REVIEWED,
    APPLICATION_SIGNED,
    APPLICATION_VERIFICATION_STARTED,
    INTEGRITY_HELD,
)
from permits.models import Application, ApplicationEvent, CheckStatus, PermitType, Stage

# People who process files (the acts the rules judge); not applicants, auditors or the system.
STAFF_ACTOR_ROLES = frozenset(
    {Role.COUNTER, Role.TECHNICAL, Role.SUPERVISOR, Role.HEAD, Role.CASHIER}
)
BAD_CHECKS = frozenset({CheckStatus.MISSING, CheckStatus.INVALID})

# Transitions that move a file onwards (its officer did the work of the stage).
FORWARD_ACTIONS = frozenset(
    {
        APPLICATION_VERIFICATION_STARTED,
        APPLICATION_COMPLETED,
        APPLICATION_REVIEWED,
        APPLICATION_INSPECTED,
        APPLICATION_APPROVED,
        APPLICATION_SIGNED,
    }
)
# Acts by which an officer handles a file (PAIR counts these).
HANDLING_ACTIONS = FORWARD_ACTIONS | {APPLICATION_RETURNED, APPLICATION_REJECTED}

WAITING_STAGES = frozenset(
    {Stage.SUBMITTED, Stage.TECHNICAL_REVIEW, Stage.INSPECTION, Stage.APPROVAL, Stage.SIGNING}
)


def hours(td: datetime.timedelta | None) -> float | None:
    return None if td is None else round(td.total_seconds() / 3600, 2)


def last_event(application_id: int, before, **filters) -> ApplicationEvent | None:
    """The file's latest event matching ``filters`` at or before ``before`` (one indexed
    lookup on the file's timeline)."""
    return (
        ApplicationEvent.objects.filter(
            application_id=application_id, created_at__lte=before, **filters
        )
        .order_by("-created_at", "-id")
        .first()
    )


def stage_entry(
    application_id: int, stages, moment, *, inclusive: bool = True
) -> ApplicationEvent | None:
    """The file's latest entry into ``stages`` (a stage, or a set of stages one queue
    forms), coming from outside them, at or before ``moment`` (strictly before it when not
    ``inclusive``): when it began to wait there."""
    group = [stages] if isinstance(stages, str) else sorted(stages)
    at = {"created_at__lte" if inclusive else "created_at__lt": moment}
    return (
        ApplicationEvent.objects.filter(application_id=application_id, to_state__in=group, **at)
        .exclude(from_state__in=group)
        .order_by("-created_at", "-id")
        .first()
    )


ASSIGNMENT_ACTIONS = (APPLICATION_ASSIGNED, APPLICATION_REASSIGNED)


def holder_at(application_id: int, moment) -> int | None:
    """The officer (pk) who held the file at ``moment``, from its assignment events."""
    event = last_event(application_id, moment, action__in=ASSIGNMENT_ACTIONS)
    return event.data.get("to") if event is not None else None


def holders_at(application_ids: list[int], moment) -> dict[int, int | None]:
    """Who held each of these files at ``moment`` (one query over their assignments)."""
    if not application_ids:
        return {}
    rows = (
        ApplicationEvent.objects.filter(
            application_id__in=application_ids,
            action__in=ASSIGNMENT_ACTIONS,
            created_at__lte=moment,
        )
        .order_by("application_id", "created_at", "id")
        .values_list("application_id", "data")
    )
    return {application_id: data.get("to") for application_id, data in rows}


def sop_unit(permit_type_id: int, memo: dict) -> str:
    """How the type's SOP is counted (hours or working days), looked up once per
    evaluation (``memo``: the context's)."""
    key = ("sop-unit", permit_type_id)
    if key not in memo:
        memo[key] = (
            PermitType.objects.filter(pk=permit_type_id).values_list("sop_unit", flat=True).first()
        )
    return memo[key]


def waiting_in_hands(
    officer_id: int,
    stages,
    *,
    entered_before: datetime.datetime,
    moment: datetime.datetime,
    window_days: int,
    until: datetime.datetime | None = None,
    limit: int = 50,
) -> list[tuple[int, int, datetime.datetime]]:
    """Files waiting in ``stages`` (a stage, or the set of stages one queue forms) in
    ``officer_id``'s hands at ``moment`` that entered them before ``entered_before`` and had
    not left them by ``until`` (``moment`` unless a later one is asked: the end of a
    sitting), oldest entry first, at most ``limit``: ``[(file pk, entry event pk, entry
    moment)]``.

    Only files submitted within ``window_days`` before ``moment`` and not finished by then.
    Never a file under an integrity hold at any time since its entry (it waits on the
    inspectorate, not on the officer). A file returned to the applicant left the stage: it
    waits again from its resubmission. Cost follows the office's recent volume, not the
    length of its history: the candidates are an index range of recent files, each probed
    on its own timeline."""
    group = [stages] if isinstance(stages, str) else sorted(stages)
    until = until or moment
    entry = (
        ApplicationEvent.objects.filter(
            application_id=OuterRef("pk"), to_state__in=group, created_at__lt=entered_before
        )
        .exclude(from_state__in=group)
        .order_by("-created_at", "-id")
    )
    left = ApplicationEvent.objects.filter(
        application_id=OuterRef("pk"),
        from_state__in=group,
        created_at__gt=OuterRef("entry_at"),
        created_at__lte=until,
    ).exclude(to_state__in=group)
    held = ApplicationEvent.objects.filter(
        application_id=OuterRef("pk"),
        action=INTEGRITY_HELD,
        created_at__gte=OuterRef("entry_at"),
        created_at__lte=until,
    )
    # Only files ever given to this officer by then (then: who held each at the moment).
    given = ApplicationEvent.objects.filter(
        application_id=OuterRef("pk"),
        action__in=ASSIGNMENT_ACTIONS,
        data__to=officer_id,
        created_at__lte=moment,
    )
    rows = list(
        Application.objects.filter(
            submitted_at__gte=moment - datetime.timedelta(days=window_days),
            submitted_at__lt=entered_before,
        )
        .exclude(held_since__lte=moment)
        .filter(Q(finished_at__isnull=True) | Q(finished_at__gt=moment))
        .filter(Exists(given))
        .annotate(
            entry_id=Subquery(entry.values("pk")[:1]),
            entry_at=Subquery(entry.values("created_at")[:1]),
        )
        .filter(entry_id__isnull=False)
        .exclude(Exists(left))
        .exclude(Exists(held))
        .order_by("entry_at", "pk")
        .values_list("pk", "entry_id", "entry_at")[:limit]
    )
    holders = holders_at([pk for pk, _entry, _at in rows], moment)
    return [row for row in rows if holders.get(row[0]) == officer_id]


def deadlines_at(application_ids: list[int], moment: datetime.datetime) -> dict:
    """The deadline each file had at ``moment`` (its field history): the SOP deadline while
    its clock ran, else the completeness check's; a file with neither is left out. As it
    stood before anything done at that very moment: an act's own change (a signature stops
    the clock and clears the deadline) is saved at or after the moment its event records.
    One query, one history row per file."""
    if not application_ids:
        return {}
    latest = (
        Application.history.model.objects.filter(id=OuterRef("pk"), history_date__lt=moment)
        .order_by("-history_date", "-history_id")
        .annotate(due=Coalesce("sop_deadline", "check_due_at"))
        .values("due")[:1]
    )
    rows = (
        Application.objects.filter(pk__in=application_ids)
        .annotate(due=Subquery(latest))
        .values_list("pk", "due")
    )
    return {pk: due for pk, due in rows if due is not None}
