"""SOP reminders: files due within one working day and files already late.

Run by a periodic task. Outside working time it does nothing, so messages arrive when
someone can act on them. Each officer gets one message listing their files; each late
file is escalated to the holder's supervisor, and its applicant gets an apology with the
date the office now aims for. A file earns each reminder once per
deadline (``SlaReminder``), however often the task runs. The reminder is also written
to the file's record, so auditors see who was told and when.
"""

from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import Role, User
from outbox.services import message_queue
from permits.models import Application, ReminderKind, SlaReminder
from permits.models.stages import OPEN_STAGES
from permits.services.context import Actor
from permits.services.events import event_record
from permits.services.notices import applicant_notify
from permits.sla import due_soon_cutoff
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


def sla_reminders_send(*, now=None) -> dict[str, int]:
    now = now or timezone.now()
    calendar = get_calendar()
    if not calendar.is_working_time(now):
        return {"due_soon": 0, "late": 0}
    due = list(
        _unreminded(ReminderKind.DUE_SOON).filter(
            sop_deadline__gte=now, sop_deadline__lte=due_soon_cutoff(now, calendar)
        )
    )
    late = list(_unreminded(ReminderKind.LATE).filter(sop_deadline__lt=now))

    with transaction.atomic():
        by_officer = defaultdict(list)
        for app in due:
            by_officer[app.assigned_to].append(app)
        for officer, files in by_officer.items():
            _remind(officer, files, ReminderKind.DUE_SOON, "sla.due_soon", now)

        recipients: dict[int, User] = {}
        by_supervisor = defaultdict(list)
        for app in late:
            holder = app.assigned_to
            if holder.pk not in recipients:
                recipients[holder.pk] = escalation_recipient(holder)
            by_supervisor[recipients[holder.pk]].append(app)
        for supervisor, files in by_supervisor.items():
            _remind(supervisor, files, ReminderKind.LATE, "sla.late", now)
        new_date = calendar.add_working_days(now, settings.LATE_APOLOGY_WORKING_DAYS)
        for app in late:
            applicant_notify(app, "file.late", new_date=new_date)
    return {"due_soon": len(due), "late": len(late)}


def _remind(recipient: User, files: list[Application], kind: str, template: str, now) -> None:
    message_queue(
        recipient=recipient,
        kind=template,
        context={"files": files, "now": now},
        application=files[0] if len(files) == 1 else None,
    )
    for app in files:
        SlaReminder.objects.create(
            application=app, kind=kind, deadline=app.sop_deadline, recipient=recipient
        )
        event_record(
            application=app,
            action=f"sla.{'escalated' if kind == ReminderKind.LATE else 'reminded'}",
            actor=Actor.system(),
            data={"recipient": recipient.pk, "deadline": app.sop_deadline.isoformat()},
            at=now,
        )
