"""What the public side reads: complaints and who may see them."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import STAFF_ROLES, Role, User
from outbox.services import Contact, contact_of
from permits.models import (
    OPD,
    Application,
    ApplicationEvent,
    Stage,
    normalise_tracking_code,
)
from permits.models.application import TRACKING_ALPHABET
from public.models import (
    Complaint,
    ComplaintEntry,
    ComplaintState,
    Route,
)

CODE_LENGTH = 16  # 16 × log2(31) ≈ 79 bits: not guessable, and rate-limited besides


HANDLER_ROLES = frozenset({Role.SUPERVISOR, Role.HEAD})


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


def staff_url(complaint: Complaint) -> str:
    return settings.SITE_URL + reverse("complaints_staff:detail", args=[complaint.public_id])


def complainant_contact(complaint: Complaint) -> Contact | None:
    if complaint.anonymous:
        return None
    return contact_of(
        user=complaint.complainant if complaint.complainant_id else None,
        email=complaint.contact_email,
        phone=complaint.contact_phone,
    )
