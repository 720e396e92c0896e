"""SOP reminders: files due within one working day and files already late; and the
completeness check: the counter officer holding a file is told when its check falls due
within two working hours, and again once it is overdue (the overdue check is recorded as
``sla.check_overdue``, which the LATE rule flags).

Run by a periodic task. Outside working time it does nothing, so messages arrive when
someone can act on them. Each officer gets one message listing their files; each late
file is escalated to the holder's supervisor, and its applicant gets an apology with the
date the office now aims for. A file earns each reminder once per deadline (``SlaReminder``:
the SOP deadline, or the check's), however often the task runs. The reminder is also written
to the file's record, so auditors see who was told and when.
"""

from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import Role, User
from outbox.services import message_queue
from permits.event_names import SLA_CHECK_OVERDUE, SLA_CHECK_REMINDED, SLA_ESCALATED, SLA_REMINDED
from permits.models import Application, ReminderKind, SlaReminder
from permits.models.stages import OPEN_STAGES
from permits.services.context import Actor
from permits.services.events import event_record
from permits.services.notices import applicant_notify
from permits.sla import check_due_soon_cutoff, due_soon_cutoff
from worktime.calendar import get_calendar


def escalation_recipient(officer: User) -> User:
    """Whom to tell that ``officer`` holds a late file.

    The direct supervisor; else (for staff below supervisors) a supervisor of their unit; else
    a head of office (an acting head, for the head); else, with nobody above, the officer.
    """
    if officer.supervisor_id and officer.supervisor.is_active:
        return officer.supervisor
    others = User.objects.filter(is_active=True).exclude(pk=officer.pk)
    unit_supervisor = None
    if officer.role not in {Role.SUPERVISOR, Role.HEAD}:
        unit_supervisor = (
            others.filter(role=Role.SUPERVISOR, unit_id=officer.unit_id).order_by("pk").first()
        )
    return unit_supervisor or others.filter(role=Role.HEAD).order_by("pk").first() or officer


def _unreminded(kind: str):
    already = SlaReminder.objects.filter(
        application=OuterRef("pk"), kind=kind, deadline=OuterRef("sop_deadline")
    )
    return (
        Application.objects.filter(
            state__in=OPEN_STAGES,
            clock_running_since__isnull=False,
            assigned_to__isnull=False,
        )
        .filter(~Exists(already))
        .select_related("permit_type", "applicant", "assigned_to__supervisor")
        .order_by("sop_deadline")
    )


def _unchecked(kind: str):
    """Files waiting for their completeness check not yet reminded of ``kind``."""
    already = SlaReminder.objects.filter(
        application=OuterRef("pk"), kind=kind, deadline=OuterRef("check_due_at")
    )
    return (
        Application.objects.filter(check_due_at__isnull=False, assigned_to__isnull=False)
        .filter(~Exists(already))
        .select_related("permit_type", "assigned_to")
        .order_by("check_due_at")
    )


def sla_reminders_send(*, now=None) -> dict[str, int]:
    now = now or timezone.now()
    calendar = get_calendar()
    if not calendar.is_working_time(now):
        return {"due_soon": 0, "late": 0, "check_due_soon": 0, "check_late": 0}
    due = list(
        _unreminded(ReminderKind.DUE_SOON).filter(
            sop_deadline__gte=now, sop_deadline__lte=due_soon_cutoff(now, calendar)
        )
    )
    late = list(_unreminded(ReminderKind.LATE).filter(sop_deadline__lt=now))
    check_soon = list(
        _unchecked(ReminderKind.CHECK_SOON).filter(
            check_due_at__gte=now, check_due_at__lte=check_due_soon_cutoff(now, calendar)
        )
    )
    check_late = list(_unchecked(ReminderKind.CHECK_LATE).filter(check_due_at__lt=now))

    with transaction.atomic():
        _remind_holders(check_soon, ReminderKind.CHECK_SOON, now)
        _remind_holders(check_late, ReminderKind.CHECK_LATE, now)
        _remind_holders(due, ReminderKind.DUE_SOON, now)

        recipients: dict[int, User] = {}
        by_supervisor = defaultdict(list)
        for app in late:
            holder = app.assigned_to
            if holder.pk not in recipients:
                recipients[holder.pk] = escalation_recipient(holder)
            by_supervisor[recipients[holder.pk]].append(app)
        for supervisor, files in by_supervisor.items():
            _remind(supervisor, files, ReminderKind.LATE, now)
        new_date = calendar.add_working_days(now, settings.LATE_APOLOGY_WORKING_DAYS)
        for app in late:
            applicant_notify(app, "file.late", new_date=new_date)
    return {
        "due_soon": len(due),
        "late": len(late),
        "check_due_soon": len(check_soon),
        "check_late": len(check_late),
    }


def _remind_holders(files: list[Application], kind: str, now) -> None:
    """One message to each officer holding some of ``files``."""
    by_officer = defaultdict(list)
    for app in files:
        by_officer[app.assigned_to].append(app)
    for officer, mine in by_officer.items():
        _remind(officer, mine, kind, now)


# Each kind of reminder: its message template, the event it records, the deadline it is for.
REMINDERS = {
    ReminderKind.DUE_SOON: ("sla.due_soon", SLA_REMINDED, "sop_deadline"),
    ReminderKind.LATE: ("sla.late", SLA_ESCALATED, "sop_deadline"),
    ReminderKind.CHECK_SOON: ("sla.check_due_soon", SLA_CHECK_REMINDED, "check_due_at"),
    ReminderKind.CHECK_LATE: ("sla.check_late", SLA_CHECK_OVERDUE, "check_due_at"),
}


def _remind(recipient: User, files: list[Application], kind: str, now) -> None:
    template, action, deadline_field = REMINDERS[kind]
    message_queue(
        recipient=recipient,
        kind=template,
        context={"files": files, "now": now},
        application=files[0] if len(files) == 1 else None,
    )
    for app in files:
        deadline = getattr(app, deadline_field)
        SlaReminder.objects.create(
            application=app, kind=kind, deadline=deadline, recipient=recipient
        )
        event_record(
            application=app,
            action=action,
            actor=Actor.system(),
            data={"recipient": recipient.pk, "deadline": deadline.isoformat()},
            at=now,
        )
