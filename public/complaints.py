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

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import STAFF_ROLES, Role, User
from integrity.flags.engine import flag_raise
from outbox.services import Contact, contact_of, message_queue
from permits.models import (
    OPD,
    Application,
    ApplicationEvent,
    PermitType,
    Stage,
    normalise_tracking_code,
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
from worktime.calendar import get_calendar

EVIDENCE_FORMATS = ["pdf", "jpg", "png"]
CODE_LENGTH = 16  # 16 × log2(31) ≈ 79 bits: not guessable, and rate-limited besides
HANDLER_ROLES = frozenset({Role.SUPERVISOR, Role.HEAD})


class ComplaintRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- the follow-up code -------------------------------------------------------------------


def new_follow_up_code() -> str:
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_follow_up_code(text: str) -> str:
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def code_digest(code: str) -> str:
    return hashlib.sha256(normalise_follow_up_code(code).encode()).hexdigest()


def complaint_by_code(code: str) -> Complaint | None:
    normal = normalise_follow_up_code(code)
    raw = normal.replace("-", "")
    if len(raw) != CODE_LENGTH or any(ch not in TRACKING_ALPHABET for ch in raw):
        return None
    return Complaint.objects.filter(code_hash=code_digest(normal)).first()


# --- routing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Routing:
    route: str
    handler: User | None
    handler_unit: OPD | None


def office_unit() -> OPD | None:
    return OPD.objects.filter(code=settings.OFFICE_UNIT_CODE).first()


def unit_heads(unit: OPD | None, *, excluding=None):
    """The supervisors and head of ``unit`` (the people who handle its complaints)."""
    people = User.objects.filter(is_active=True, role__in=HANDLER_ROLES, unit=unit)
    if excluding is not None:
        people = people.exclude(pk=excluding.pk)
    return people


def auditors():
    return User.objects.filter(is_active=True, role=Role.AUDITOR)


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


def handlers_of(complaint: Complaint) -> list[User]:
    """Who must act on the complaint now (auditors are always told of inspectorate ones)."""
    if complaint.route == Route.INSPECTORATE:
        people = list(auditors())
    elif complaint.route == Route.SUPERVISOR:
        people = [complaint.handler, *auditors()]
    else:
        people = list(unit_heads(complaint.handler_unit, excluding=complaint.officer))
        people += list(auditors())
    if complaint.escalated_to is not None:
        people.append(complaint.escalated_to)
    seen, result = set(), []
    for person in people:
        if person.pk not in seen and not _is_concerned(person, complaint):
            seen.add(person.pk)
            result.append(person)
    return result


def _is_concerned(user, complaint: Complaint) -> bool:
    """The officer the complaint is about, or the officer holding the file it is about."""
    if complaint.officer_id == user.pk:
        return True
    app = complaint.application
    return app is not None and app.assigned_to_id == user.pk and not user.is_auditor


# --- who sees what --------------------------------------------------------------------------


def complaints_visible_to(user):
    """The complaints ``user`` may read. The inspectorate reads all; a supervisor those
    routed to them; a unit head those about their unit (never money, favours or conflicts
    of interest); anyone they were escalated to. Never one about oneself."""
    if not user.is_authenticated or not user.is_active:
        return Complaint.objects.none()
    if user.role == Role.AUDITOR:
        return Complaint.objects.all()
    if user.role not in HANDLER_ROLES:
        return Complaint.objects.none()
    mine = Q(route=Route.SUPERVISOR, handler=user) | Q(escalated_to=user)
    if user.unit_id:
        mine |= Q(route=Route.UNIT, handler_unit_id=user.unit_id)
    return (
        Complaint.objects.filter(mine).exclude(officer=user).exclude(application__assigned_to=user)
    )


def complaint_file(code: str) -> Application | None:
    """The submitted file a complaint names by its tracking code, or None (drafts and
    unknown codes alike: the caller shows one neutral message)."""
    normal = normalise_tracking_code(code or "")
    if len(normal.replace("-", "")) != 12:
        return None
    return (
        Application.objects.filter(tracking_code=normal)
        .exclude(state=Stage.DRAFT)
        .select_related("assigned_to")
        .first()
    )


def file_officers(application: Application | None) -> list[User]:
    """The staff who acted on ``application`` (the officers a complainant may name)."""
    if application is None:
        return []
    acted = ApplicationEvent.objects.filter(application=application, actor__isnull=False)
    return list(
        User.objects.filter(pk__in=acted.values("actor_id"), role__in=sorted(STAFF_ROLES))
        .exclude(role=Role.ADMIN)
        .order_by("full_name", "username")
    )


def complaints_of(user):
    """The complaints ``user`` made under their own account (never the anonymous ones)."""
    if not user.is_authenticated:
        return Complaint.objects.none()
    return Complaint.objects.filter(complainant=user, anonymous=False)


def complaint_public_entries(complaint: Complaint):
    """What the complainant reads of the record: not internal notes nor escalations."""
    return complaint.entries.filter(kind__in=sorted(ComplaintEntry.PUBLIC_KINDS)).order_by(
        "created_at", "id"
    )


def overdue_q(now) -> Q:
    """Complaints whose running deadline (forwarding or answer) has passed."""
    return Q(state=ComplaintState.RECEIVED, forward_due__lt=now) | Q(
        state=ComplaintState.FORWARDED, answer_due__lt=now
    )


def complaints_for_list(*, user, state: str = "", category: str = "", overdue=False, now=None):
    """The handler's list: what ``user`` may read, filtered, with what the rows show."""
    rows = complaints_visible_to(user).select_related("unit", "handler_unit")
    if state:
        rows = rows.filter(state=state)
    if category:
        rows = rows.filter(category=category)
    if overdue:
        rows = rows.filter(overdue_q(now or timezone.now()))
    return rows


def may_handle(user, complaint: Complaint) -> bool:
    return complaints_visible_to(user).filter(pk=complaint.pk).exists()


def may_see_complainant(user) -> bool:
    """Only the inspectorate ever reads who complained (when they gave a name)."""
    return user.is_authenticated and user.role == Role.AUDITOR


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
        item.file.save("evidence", uploaded, save=False)
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


def escalation_target(complaint: Complaint) -> User | None:
    """Who an overdue complaint goes up to: the supervisor's own supervisor, or the head of
    the office; nobody outside the inspectorate for the inspectorate's complaints."""
    if complaint.route == Route.INSPECTORATE:
        return None
    if complaint.route == Route.SUPERVISOR and complaint.handler.supervisor_id:
        target = complaint.handler.supervisor
    else:
        target = (
            User.objects.filter(is_active=True, role=Role.HEAD, unit=office_unit())
            .order_by("pk")
            .first()
        )
    # Never "up" to the person already handling it, nor to the person it is about.
    if target is None or target.pk == complaint.handler_id or _is_concerned(target, complaint):
        return None
    return target


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


def staff_url(complaint: Complaint) -> str:
    return settings.SITE_URL + reverse("complaints_staff:detail", args=[complaint.public_id])


def _notify_staff(person: User, kind: str, complaint: Complaint) -> None:
    """Tell a handler; the message names the complaint, never the complainant."""
    message_queue(
        kind=kind,
        recipient=person,
        context={"complaint": complaint, "url": staff_url(complaint)},
    )


def complainant_contact(complaint: Complaint) -> Contact | None:
    if complaint.anonymous:
        return None
    return contact_of(
        user=complaint.complainant if complaint.complainant_id else None,
        email=complaint.contact_email,
        phone=complaint.contact_phone,
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
