"""Gratification reports (UU 20/2001 pasal 12C): received, reported to the KPK
within 30 working days."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import STAFF_ROLES, Role, User
from integrity.conflicts.models import GratificationReport
from outbox.services import contact_for, message_queue
from permits.event_names import INTEGRITY_GRATIFICATION_REPORTED
from permits.models import Application
from permits.services.context import ActionRefused, Actor
from permits.services.events import file_event
from worktime.calendar import get_calendar

KPK_REPORT_WORKING_DAYS = 30  # UU 20/2001 pasal 12C ayat (2)


@transaction.atomic
def gratification_report(
    *,
    actor: Actor,
    what: str,
    estimated_value: int,
    giver: str,
    accepted: bool,
    received_on: datetime.date,
    application: Application | None = None,
    note: str = "",
) -> GratificationReport:
    """An officer reports a gift or an offer; the KPK deadline is 30 working days from the
    day it was received; the inspectorate is told."""
    user = actor.user
    if user is None or user.role not in STAFF_ROLES:
        raise PermissionDenied
    if received_on > timezone.localdate():
        raise ActionRefused(_("Tanggal diterima tidak boleh di masa depan."))
    calendar = get_calendar()
    start = timezone.make_aware(datetime.datetime.combine(received_on, datetime.time(12)))
    due = timezone.localtime(calendar.add_working_days(start, KPK_REPORT_WORKING_DAYS)).date()
    report = GratificationReport(
        officer=user,
        application=application,
        received_on=received_on,
        what=what.strip(),
        estimated_value=estimated_value,
        giver=giver.strip(),
        accepted=accepted,
        kpk_due=due,
        note=note.strip(),
    )
    report._history_user = user
    report.save()
    if application is not None:
        file_event(
            application=application,
            action=INTEGRITY_GRATIFICATION_REPORTED,
            actor=actor,
            data={"report": str(report.public_id), "accepted": accepted},
        )
    for auditor in User.objects.filter(is_active=True, role=Role.AUDITOR):
        message_queue(
            kind="integrity.gratification",
            context={"report": report, "site_url": settings.SITE_URL},
            contact=contact_for(auditor),
        )
    return report


@transaction.atomic
def gratification_kpk_reported(
    *, report: GratificationReport, actor: Actor, reported_on: datetime.date, reference: str
) -> GratificationReport:
    """The report to the KPK was made (by the officer, or recorded by the inspectorate)."""
    user = actor.user
    if user is None or (user.pk != report.officer_id and user.role != Role.AUDITOR):
        raise PermissionDenied
    if not reference.strip():
        raise ActionRefused(_("Isi nomor laporan KPK."))
    report = GratificationReport.objects.select_for_update().get(pk=report.pk)
    report.kpk_reported_on, report.kpk_reference = reported_on, reference.strip()
    report._history_user = user
    report.save(update_fields=["kpk_reported_on", "kpk_reference"])
    return report
