"""What several rules share: who counts as staff, a file's events, working-day arithmetic."""

from __future__ import annotations

import datetime

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
)
from permits.models import ApplicationEvent, CheckStatus, Stage

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
