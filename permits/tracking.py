"""What the public tracking page says about a file, in plain words.

The tracking code stands for the applicant: whoever holds it sees where the file is, who
holds it (name and role, so the public can hold them to account), the SOP promise and what
is still missing; personal data is masked. Nothing here tells whether another code exists.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from core.masking import mask_name, mask_nik
from core.moments import LONG, moment_iso, moment_text
from permits.event_names import (
    APPLICATION_APPROVED,
    APPLICATION_COMPLETED,
    APPLICATION_EXPIRED,
    APPLICATION_INSPECTED,
    APPLICATION_PAID,
    APPLICATION_REJECTED,
    APPLICATION_RESUBMITTED,
    APPLICATION_RETURNED,
    APPLICATION_REVIEWED,
    APPLICATION_SIGNED,
    APPLICATION_SUBMITTED,
    APPLICATION_VERIFICATION_STARTED,
    APPLICATION_WITHDRAWN,
)
from permits.models import Application, CheckStatus, Stage
from permits.models.stages import EVENT_ACTIONS
from permits.sla import RUNNING, ClockState, ClockStatus, check_status, clock_status
from permits.sla import CheckStatus as CheckClock
from worktime.calendar import get_calendar

# The file's own steps, as the timeline shows them (transitions only, not every check).
PUBLIC_ACTIONS = {
    APPLICATION_SUBMITTED: _("Permohonan diajukan"),
    APPLICATION_VERIFICATION_STARTED: _("Pemeriksaan kelengkapan dimulai"),
    APPLICATION_RETURNED: _("Dikembalikan untuk dilengkapi"),
    APPLICATION_RESUBMITTED: _("Diajukan kembali setelah dilengkapi"),
    APPLICATION_COMPLETED: _("Berkas dinyatakan lengkap; waktu SOP mulai berjalan"),
    APPLICATION_REVIEWED: _("Kajian teknis selesai"),
    APPLICATION_INSPECTED: _("Peninjauan lapangan selesai"),
    APPLICATION_PAID: _("Retribusi dibayar"),
    APPLICATION_APPROVED: _("Disetujui"),
    APPLICATION_SIGNED: _("Ditandatangani; izin terbit"),
    APPLICATION_REJECTED: _("Ditolak"),
    APPLICATION_WITHDRAWN: _("Dicabut oleh pemohon"),
    APPLICATION_EXPIRED: _("Kedaluwarsa: tidak dilengkapi tepat waktu"),
}
assert set(PUBLIC_ACTIONS) == set(EVENT_ACTIONS.values()), "every transition needs a public label"

STAGE_EXPLANATIONS = {
    Stage.SUBMITTED: _("Berkas Anda sudah diterima dan menunggu diperiksa petugas loket."),
    Stage.VERIFICATION: _("Petugas loket sedang memeriksa kelengkapan berkas Anda."),
    Stage.RETURNED: _(
        "Berkas dikembalikan kepada Anda. Lengkapi kekurangan di bawah ini, lalu ajukan "
        "kembali; waktu SOP berhenti sampai Anda melakukannya."
    ),
    Stage.TECHNICAL_REVIEW: _("Petugas teknis sedang mengkaji permohonan Anda."),
    Stage.INSPECTION: _("Petugas teknis menjadwalkan atau melakukan peninjauan lapangan."),
    Stage.AWAITING_PAYMENT: _(
        "Menunggu pembayaran retribusi; waktu SOP berhenti sampai pembayaran diterima."
    ),
    Stage.APPROVAL: _("Permohonan Anda menunggu persetujuan atasan yang berwenang."),
    Stage.SIGNING: _("Izin Anda menunggu tanda tangan Kepala Dinas."),
    Stage.ISSUED: _("Izin Anda sudah terbit."),
    Stage.REJECTED: _("Permohonan Anda ditolak. Alasan dan dasar hukumnya ada di bawah."),
    Stage.WITHDRAWN: _("Permohonan ini sudah Anda cabut."),
    Stage.EXPIRED: _(
        "Berkas ini kedaluwarsa karena tidak dilengkapi dalam batas waktu. Anda dapat "
        "mengajukan permohonan baru."
    ),
}


# A file held for a conflict-of-interest review, said plainly and without detail. What it
# says of the SOP clock is true of this file: before the file was declared complete the
# clock has not started; after, it runs on.
HELD_BEFORE_COMPLETION = _(
    "Pemeriksaan berkas Anda dihentikan sementara untuk pemeriksaan internal kantor; "
    "waktu SOP belum berjalan dan baru dimulai setelah berkas dinyatakan lengkap."
)
HELD_EXPLANATION = _(
    "Berkas Anda sedang dalam pemeriksaan internal kantor. Waktu SOP tetap berjalan; "
    "keterlambatan karena pemeriksaan ini menjadi tanggung jawab kantor."
)
HELD_PLAIN = _("Berkas Anda sedang dalam pemeriksaan internal kantor.")


def held_explanation(status: ClockStatus) -> str:
    """The one sentence a held file's applicant reads (tracking page and their own file
    page); a paused clock is explained beside the badge, as for any paused file."""
    if status.state == ClockState.NOT_STARTED:
        return str(HELD_BEFORE_COMPLETION)
    return str(HELD_EXPLANATION if status.state in RUNNING else HELD_PLAIN)


@dataclass
class TimelineStep:
    at: datetime.datetime
    label: str
    note: str = ""
    iso: str = ""
    when: str = ""  # "23 Nov 2026, 20.29", local time (core.moments)


@dataclass(frozen=True)
class Problem:
    """A requirement the applicant must still fix: its name, verdict and the officer's note."""

    name: str
    status_label: str
    note: str = ""


@dataclass(frozen=True)
class StaffView:
    """One staff view as the applicant sees it: when, which role, which unit."""

    viewed_at: datetime.datetime
    role_label: str
    unit_name: str
    kind: str
    iso: str = ""
    when: str = ""


@dataclass(frozen=True)
class AgencyWait:
    """An agency's recommendation as the applicant sees it: asked, answered or late (not
    its verdict: that is the office's to weigh, and the decision says it)."""

    agency: str
    answered: bool
    late: bool = False
    working_days_late: int = 0  # whole working days past its due day


@dataclass(frozen=True)
class VisitPlan:
    """The field inspection's appointment as the applicant sees it."""

    at: datetime.datetime
    when: str  # "Senin, 14 Desember 2026, 10.00"
    status: str  # proposed, move_asked, confirmed
    wished: str = ""  # the time the applicant asked for instead
    wished_at: datetime.datetime | None = None


@dataclass
class Tracking:
    app: Application
    status: ClockStatus
    explanation: str
    applicant_masked: str
    nik_masked: str
    timeline: list[TimelineStep]
    problems: list[Problem] = field(default_factory=list)
    views: list = field(default_factory=list)
    working_days_left: int | None = None  # negative: late by that many working days
    paused_because: str = ""
    check: CheckClock | None = None  # the completeness check's deadline, while it waits
    agencies: list[AgencyWait] = field(default_factory=list)  # technical team, in review
    visit: VisitPlan | None = None  # the field inspection's appointment, in inspection
    source: str = ""  # the digest of the rows it was made from (the page's kept render)

    @property
    def working_days_late(self) -> int:
        return max(0, -(self.working_days_left or 0))


def tracking_for(
    app: Application, events, problems=(), views=(), *, recommendations=(), visit=(), now=None
) -> Tracking:
    """The page's words from plain rows: ``events`` (action, at, note), ``problems``
    (requirement name id/en, status, note), ``views`` (at, role, kind, unit id/en) and
    ``recommendations`` (agency name id/en, due, signed) and ``visit`` (the open site
    visit's appointment, status and wished time, as zero or one row)."""
    now = now or timezone.now()
    calendar = get_calendar()
    status = clock_status(app, now, calendar)
    days_left = None
    if status.deadline is not None:
        today = timezone.localtime(now).date()
        days_left = calendar.working_days_between(today, timezone.localtime(status.deadline).date())
    paused = ""
    if status.state == ClockState.PAUSED:
        paused = (
            _("menunggu Anda melengkapi berkas")
            if app.state == Stage.RETURNED
            else _("menunggu pembayaran retribusi")
        )
    timeline = [
        TimelineStep(
            at,
            str(PUBLIC_ACTIONS[action]),
            note if action == APPLICATION_RETURNED else "",
            moment_iso(at),
            moment_text(at),
        )
        for action, at, note in events
    ]
    english = (translation.get_language() or "id").startswith("en")
    staff_views = [
        StaffView(
            at,
            str(Role(role).label),
            (name_en if english and name_en else name_id) or "",
            kind,
            moment_iso(at),
            moment_text(at),
        )
        for at, role, kind, name_id, name_en in views
    ]
    return Tracking(
        app=app,
        status=status,
        explanation=held_explanation(status)
        if app.held_since
        else str(STAGE_EXPLANATIONS[app.state]),
        applicant_masked=mask_name(app.applicant_name),
        nik_masked=mask_nik(app.applicant_nik),
        timeline=timeline,
        problems=[
            Problem(
                (name_en if english and name_en else name_id), str(CheckStatus(status).label), note
            )
            for name_id, name_en, status, note in problems
            if status in {CheckStatus.MISSING, CheckStatus.INVALID}
        ],
        working_days_left=days_left,
        paused_because=str(paused),
        views=staff_views,
        check=check_status(app, now, calendar),
        agencies=[
            AgencyWait(
                (name_en if english and name_en else name_id),
                answered=signed is not None,
                late=signed is None and due < now,
                working_days_late=_working_days_past(due, now, calendar) if signed is None else 0,
            )
            for name_id, name_en, due, signed in recommendations
        ],
        visit=next(
            (
                VisitPlan(at, moment_text(at, LONG), status, moment_text(wished, LONG), wished)
                for at, status, wished in visit
            ),
            None,
        ),
    )


def _working_days_past(due, now, calendar) -> int:
    """Whole working days from ``due``'s day to ``now``'s (0 on the day itself or before)."""
    today, due_day = timezone.localtime(now).date(), timezone.localtime(due).date()
    return max(0, calendar.working_days_between(due_day, today))
