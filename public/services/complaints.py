"""Complaint handling: routing, the follow-up code, the SP4N-LAPOR! deadlines, escalation,
and who may see what.

The rules (see ``public.models.complaints``):

* money, favours or a conflict of interest → the inspectorate only (``Route.INSPECTORATE``);
* about a named officer → the officer's direct supervisor, and the inspectorate;
* otherwise → the heads (supervisors and head) of the unit concerned, and the inspectorate.

The officer a complaint is about never sees it; no staff page names the complainant but the
inspectorate's, and only when the complainant gave a name. A complaint about an officer,
or about money, favours or a conflict of interest, also raises a COMPLAINT flag in the
auditors' queue.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.storage import StorageUnavailable, store
from integrity.inspection.flags.engine import flag_raise
from outbox.services import message_queue
from permits.models import (
    OPD,
    Application,
    PermitType,
)
from permits.models.application import TRACKING_ALPHABET
from permits.uploads import upload_inspect
from public.models import (
    INSPECTORATE_ONLY,
    Complaint,
    ComplaintEntry,
    ComplaintEvidence,
    ComplaintState,
    Route,
)
from public.selectors.complaints import (
    CODE_LENGTH,
    code_digest,
    complainant_contact,
    escalation_target,
    handlers_of,
    may_handle,
    office_unit,
    overdue_q,
    staff_url,
    unit_heads,
)
from worktime.calendar import get_calendar

EVIDENCE_FORMATS = ["pdf", "jpg", "png"]


class ComplaintRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- the follow-up code -------------------------------------------------------------------


def new_follow_up_code() -> str:
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


# --- routing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Routing:
    route: str
    handler: User | None
    handler_unit: OPD | None


def route_for(
    *, category: str, officer: User | None, unit: OPD | None, application: Application | None
) -> Routing:
    """Where a complaint goes (the module's rules)."""
    concerned = unit or (officer.unit if officer else None)
    if concerned is None and application is not None:
        concerned = application.assigned_to.unit if application.assigned_to else None
    concerned = concerned or office_unit()
    if category in INSPECTORATE_ONLY:
        return Routing(Route.INSPECTORATE, None, concerned)
    if officer is not None:
        supervisor = officer.supervisor if officer.supervisor_id else None
        if supervisor is None or not supervisor.is_active:
            supervisor = unit_heads(officer.unit, excluding=officer).order_by("-role", "pk").first()
        if supervisor is not None:
            return Routing(Route.SUPERVISOR, supervisor, officer.unit)
        return Routing(Route.INSPECTORATE, None, officer.unit)
    return Routing(Route.UNIT, None, concerned)


# --- who sees what --------------------------------------------------------------------------


# --- submission -----------------------------------------------------------------------------


def evidence_check(uploaded) -> tuple[str, str]:
    """(format, sha256) of an evidence file, or ``UploadRejected`` with the reason."""
    return upload_inspect(
        uploaded, formats=EVIDENCE_FORMATS, max_size_kb=settings.COMPLAINT_EVIDENCE_MAX_KB
    )


def _deadline(start, days: int):
    return get_calendar().add_working_days(start, days)


@transaction.atomic
def complaint_submit(
    *,
    subject: str,
    category: str,
    description: str,
    application: Application | None = None,
    officer: User | None = None,
    officer_description: str = "",
    unit: OPD | None = None,
    permit_type: PermitType | None = None,
    anonymous: bool = False,
    complainant: User | None = None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    evidence=(),
    now=None,
) -> tuple[Complaint, str]:
    """Register a complaint, route it, tell its handlers, and return it with the follow-up
    code (shown once to the complainant; only its hash is kept)."""
    now = now or timezone.now()
    if officer is not None and not officer.is_officer:
        raise ComplaintRefused(_("Pengaduan terhadap petugas hanya untuk pegawai layanan."))
    routing = route_for(category=category, officer=officer, unit=unit, application=application)
    if anonymous:
        complainant, contact_name, contact_email, contact_phone = None, "", "", ""
    code = new_follow_up_code()
    complaint = Complaint.objects.create(
        code_hash=code_digest(code),
        subject=subject,
        category=category,
        description=description.strip(),
        application=application,
        officer=officer,
        officer_description=officer_description.strip()[:200],
        unit=unit or (officer.unit if officer else None),
        permit_type=permit_type or (application.permit_type if application else None),
        route=routing.route,
        handler=routing.handler,
        handler_unit=routing.handler_unit,
        anonymous=anonymous,
        complainant=complainant,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        contact_phone=contact_phone.strip(),
        received_at=now,
        forward_due=_deadline(now, settings.COMPLAINT_FORWARD_WORKING_DAYS),
    )
    complaint.number = f"ADU/{timezone.localtime(now):%Y}/{complaint.pk:06d}"
    complaint.save(update_fields=["number"])
    for uploaded in evidence:
        fmt, digest = evidence_check(uploaded)
        item = ComplaintEvidence(
            complaint=complaint, format=fmt, size=uploaded.size, sha256=digest, uploaded_at=now
        )
        try:
            store(item.file, "evidence", uploaded)
        except StorageUnavailable as exc:  # the complaint is not saved without its evidence
            raise ComplaintRefused(exc.message) from exc
        item.save()
    ComplaintEntry.objects.create(
        complaint=complaint, kind=ComplaintEntry.Kind.RECEIVED, created_at=now
    )
    _flag(complaint)
    for person in handlers_of(complaint):
        _notify_staff(person, "complaint.received", complaint)
    _notify_complainant(complaint, "complaint.received", code=code)
    return complaint, code


def _flag(complaint: Complaint) -> None:
    if complaint.officer_id is None and complaint.category not in INSPECTORATE_ONLY:
        return
    who = complaint.officer.display_name if complaint.officer_id else ""
    flag_raise(
        rule="COMPLAINT",
        key=str(complaint.public_id),
        occurred_at=complaint.received_at,
        application=complaint.application,
        officer=complaint.officer,
        detail={
            "summary": " · ".join(
                str(part) for part in (complaint.number, complaint.category_label, who) if part
            ),
            "complaint": str(complaint.public_id),
            "category": complaint.category,
        },
    )


# --- handling -------------------------------------------------------------------------------


def _entry(complaint, kind, *, by=None, body="", at=None) -> ComplaintEntry:
    return ComplaintEntry.objects.create(
        complaint=complaint,
        kind=kind,
        author=by,
        author_role=getattr(by, "role", "") if by else "",
        body=body.strip(),
        created_at=at or timezone.now(),
    )


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def _require_handler(user, complaint: Complaint) -> None:
    if not may_handle(user, complaint):
        raise ComplaintRefused(_("Anda tidak menangani pengaduan ini."))


@transaction.atomic
def complaint_forward(*, complaint: Complaint, by: User, note: str = "", now=None) -> Complaint:
    """The handler has verified the complaint and takes it up (SP4N-LAPOR!'s "forwarded");
    the answer is due within COMPLAINT_ANSWER_WORKING_DAYS."""
    _require_handler(by, complaint)
    complaint = _locked(complaint)
    if complaint.state != ComplaintState.RECEIVED:
        raise ComplaintRefused(_("Pengaduan ini sudah diteruskan."))
    now = now or timezone.now()
    complaint.state = ComplaintState.FORWARDED
    complaint.forwarded_at = now
    complaint.answer_due = _deadline(now, settings.COMPLAINT_ANSWER_WORKING_DAYS)
    complaint.save(update_fields=["state", "forwarded_at", "answer_due"])
    _entry(complaint, ComplaintEntry.Kind.FORWARDED, by=by, body=note, at=now)
    _notify_complainant(complaint, "complaint.updated")
    return complaint


@transaction.atomic
def complaint_answer(*, complaint: Complaint, by: User, body: str, now=None) -> Complaint:
    """The handler answers the complainant; the complaint closes by itself after
    COMPLAINT_CLOSE_WORKING_DAYS unless the complainant writes back."""
    _require_handler(by, complaint)
    if not body.strip():
        raise ComplaintRefused(_("Tulis jawaban untuk pelapor."))
    complaint = _locked(complaint)
    if complaint.state == ComplaintState.CLOSED:
        raise ComplaintRefused(_("Pengaduan ini sudah selesai."))
    now = now or timezone.now()
    if complaint.state == ComplaintState.RECEIVED:
        complaint.forwarded_at = now
        _entry(complaint, ComplaintEntry.Kind.FORWARDED, by=by, at=now)
    complaint.state = ComplaintState.ANSWERED
    complaint.answered_at = now
    complaint.close_due = _deadline(now, settings.COMPLAINT_CLOSE_WORKING_DAYS)
    complaint.save(update_fields=["state", "forwarded_at", "answered_at", "close_due"])
    _entry(complaint, ComplaintEntry.Kind.REPLY, by=by, body=body, at=now)
    _notify_complainant(complaint, "complaint.updated")
    return complaint


@transaction.atomic
def complaint_note(*, complaint: Complaint, by: User, body: str) -> ComplaintEntry:
    """An internal note among the handlers (the complainant never reads it)."""
    _require_handler(by, complaint)
    if not body.strip():
        raise ComplaintRefused(_("Catatan tidak boleh kosong."))
    return _entry(complaint, ComplaintEntry.Kind.NOTE, by=by, body=body)


@transaction.atomic
def complaint_close(*, complaint: Complaint, by: User | None, outcome: str, now=None) -> Complaint:
    """Close with the outcome stated (``by`` None: closed by the system after the answer
    stood unanswered for COMPLAINT_CLOSE_WORKING_DAYS)."""
    if by is not None:
        _require_handler(by, complaint)
    if not outcome.strip():
        raise ComplaintRefused(_("Tulis hasil penanganan pengaduan."))
    complaint = _locked(complaint)
    if complaint.state == ComplaintState.CLOSED:
        raise ComplaintRefused(_("Pengaduan ini sudah selesai."))
    now = now or timezone.now()
    complaint.state = ComplaintState.CLOSED
    complaint.closed_at = now
    complaint.outcome = outcome.strip()
    complaint.save(update_fields=["state", "closed_at", "outcome"])
    _entry(complaint, ComplaintEntry.Kind.CLOSED, by=by, body=outcome, at=now)
    _notify_complainant(complaint, "complaint.updated")
    return complaint


@transaction.atomic
def complaint_message(*, complaint: Complaint, body: str, now=None) -> ComplaintEntry:
    """The complainant writes (from the follow-up page). After an answer this reopens the
    complaint: the handler must answer again within COMPLAINT_ANSWER_WORKING_DAYS."""
    if not body.strip():
        raise ComplaintRefused(_("Pesan tidak boleh kosong."))
    complaint = _locked(complaint)
    if complaint.state == ComplaintState.CLOSED:
        raise ComplaintRefused(
            _("Pengaduan ini sudah selesai. Bila masalahnya belum tuntas, buat pengaduan baru.")
        )
    now = now or timezone.now()
    entry = _entry(complaint, ComplaintEntry.Kind.FROM_COMPLAINANT, body=body, at=now)
    if complaint.state == ComplaintState.ANSWERED:
        complaint.state = ComplaintState.FORWARDED
        complaint.answer_due = _deadline(now, settings.COMPLAINT_ANSWER_WORKING_DAYS)
        complaint.close_due = None
        complaint.escalated_for = ""
        complaint.save(update_fields=["state", "answer_due", "close_due", "escalated_for"])
        _entry(complaint, ComplaintEntry.Kind.REOPENED, at=now)
    for person in handlers_of(complaint):
        _notify_staff(person, "complaint.message", complaint)
    return entry


# --- deadlines ------------------------------------------------------------------------------


def complaints_escalate(*, now=None) -> dict:
    """Escalate each complaint whose forwarding or answer deadline passed (once per
    deadline: a conditional update claims it), and close those whose answer stood
    unanswered past the closing deadline. Run by a periodic task."""
    now = now or timezone.now()
    counts = {"escalated": 0, "closed": 0}
    overdue = Complaint.objects.filter(overdue_q(now)).exclude(escalated_for=F("state"))
    for complaint in overdue.select_related("handler", "officer", "application"):
        with transaction.atomic():
            claimed = (
                Complaint.objects.filter(pk=complaint.pk, state=complaint.state)
                .exclude(escalated_for=complaint.state)
                .update(escalated_for=complaint.state)
            )
            if not claimed:
                continue
            target = escalation_target(complaint)
            if target is not None:
                Complaint.objects.filter(pk=complaint.pk).update(escalated_to=target)
                complaint.escalated_to = target
            complaint.escalated_for = complaint.state
            late = (
                _("batas diteruskan")
                if complaint.state == ComplaintState.RECEIVED
                else _("batas dijawab")
            )
            _entry(complaint, ComplaintEntry.Kind.ESCALATED, body=str(late), at=now)
            for person in handlers_of(complaint):
                _notify_staff(person, "complaint.escalated", complaint)
            counts["escalated"] += 1
    for complaint in Complaint.objects.filter(state=ComplaintState.ANSWERED, close_due__lt=now):
        complaint_close(
            complaint=complaint,
            by=None,
            outcome=_("Ditutup otomatis: pelapor tidak menanggapi jawaban dalam batas waktu."),
            now=now,
        )
        counts["closed"] += 1
    return counts


# --- messages -------------------------------------------------------------------------------


def _notify_staff(person: User, kind: str, complaint: Complaint) -> None:
    """Tell a handler; the message names the complaint, never the complainant."""
    message_queue(
        kind=kind,
        recipient=person,
        context={"complaint": complaint, "url": staff_url(complaint)},
    )


def _notify_complainant(complaint: Complaint, kind: str, *, code: str = "") -> None:
    """A complainant who gave a contact hears of each step; the code goes only to them (an
    anonymous one reads it once on screen)."""
    contact = complainant_contact(complaint)
    if contact is None:
        return
    message_queue(
        kind=kind,
        contact=contact,
        context={
            "complaint": complaint,
            "code": code,
            "url": settings.SITE_URL + reverse("complaints:follow"),
        },
    )
