"""Conflict-of-interest work: the register, matching, declarations, holds and cases.

Every write records who did it: register versions and declarations are rows written once
with their officer; matches and cases leave events on the file (``integrity.*``) and cases
keep field history. Messages go through the outbox.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import OVERSIGHT_ROLES, RESPONSIBLE_ROLES, STAFF_ROLES, Role, User
from accounts.selectors import responsible_staff
from integrity.matching import Party, party_match
from integrity.models import (
    SANCTION_LEVELS,
    Affiliation,
    AffiliationDeclaration,
    AppealStatus,
    CaseOrigin,
    CaseRoute,
    CaseState,
    ConflictCase,
    ConflictMatch,
    ConflictSource,
    Decision,
    FileDeclaration,
    GratificationReport,
    MatchReason,
    Measure,
    PressureFrom,
    Restriction,
    Sanction,
)
from outbox.services import contact_for, message_queue
from permits.assignment import least_loaded_officer
from permits.event_names import (
    INTEGRITY_CASE_DECIDED,
    INTEGRITY_CASE_OPENED,
    INTEGRITY_CASE_OVERDUE,
    INTEGRITY_CASE_REVIEWED,
    INTEGRITY_DECLARED_CLEAR,
    INTEGRITY_DECLARED_CONFLICT,
    INTEGRITY_GRATIFICATION_REPORTED,
    INTEGRITY_HELD,
    INTEGRITY_MATCH_FOUND,
)
from permits.models import FINAL_STAGES, Application
from permits.models.stages import STAGE_ROLE
from permits.services.context import ActionRefused, Actor
from permits.services.events import file_event
from trail.seals import seal_rows
from worktime.calendar import get_calendar

# Staff who declare (registers, conflicts on files): everyone in the office but the
# administrator of the system.
DECLARING_ROLES = RESPONSIBLE_ROLES

# --- the register ------------------------------------------------------------------------


def register_current(officer) -> AffiliationDeclaration | None:
    return officer.affiliation_declarations.order_by("-version").first()


@transaction.atomic
def register_declare(
    *, officer: User, items: Iterable[dict], note: str = "", actor: Actor
) -> AffiliationDeclaration:
    """A new version of ``officer``'s register (the old ones stay); open files are matched
    against it at once."""
    if actor.user is None or actor.user.pk != officer.pk:
        raise PermissionDenied(_("Register afiliasi hanya dapat dinyatakan oleh petugasnya."))
    items = [item for item in items if item.get("name", "").strip()]
    last = officer.affiliation_declarations.aggregate(v=Max("version"))["v"] or 0
    declaration = AffiliationDeclaration.objects.create(
        officer=officer,
        version=last + 1,
        renew_by=timezone.localdate() + datetime.timedelta(days=settings.AFFILIATION_RENEWAL_DAYS),
        note=note.strip(),
        nothing_to_declare=not items,
    )
    Affiliation.objects.bulk_create(
        Affiliation(declaration=declaration, **{k: (v or "").strip() for k, v in item.items()})
        for item in items
    )
    for app in Application.objects.exclude(state__in=sorted(FINAL_STAGES)):  # drafts too
        matches_refresh(app, officers=[officer])
    return declaration


def registers_overdue(officers) -> list[tuple[User, AffiliationDeclaration | None]]:
    """Staff among ``officers`` whose register is missing or past its renewal date."""
    today = timezone.localdate()
    latest = {
        d.officer_id: d
        for d in AffiliationDeclaration.objects.filter(officer__in=officers).order_by(
            "officer_id", "version"
        )
    }
    return [
        (officer, latest.get(officer.pk))
        for officer in officers
        if officer.pk not in latest or latest[officer.pk].renew_by < today
    ]


# --- matching ----------------------------------------------------------------------------


def _applicant_parties(app: Application) -> list[Party]:
    parties = [
        Party(app.applicant_name, app.applicant_nik, app.applicant_nib, "", app.applicant_address)
    ]
    if app.business_name:
        parties.append(Party(app.business_name, "", app.applicant_nib, "", app.applicant_address))
    if app.representative_name:
        parties.append(Party(app.representative_name, app.representative_nik, "", "", ""))
    return parties


def _officers_with_registers(officers=None):
    staff = User.objects.filter(is_active=True, role__in=sorted(STAFF_ROLES))
    if officers is not None:
        staff = staff.filter(pk__in=[o.pk for o in officers])
    return list(staff)


@transaction.atomic
def matches_refresh(app: Application, officers=None) -> list[ConflictMatch]:
    """Match the file's applicant (person, business, representative) against the registers
    in force of ``officers`` (default: all staff) and the officers themselves; keep
    ``ConflictMatch`` rows in step (new ones recorded as events on the file)."""
    staff = _officers_with_registers(officers)
    parties = _applicant_parties(app)
    latest_versions = (
        AffiliationDeclaration.objects.filter(officer__in=staff)
        .values("officer_id")
        .annotate(v=Max("version"))
    )
    current = Q()
    for row in latest_versions:
        current |= Q(declaration__officer_id=row["officer_id"], declaration__version=row["v"])
    items = (
        list(Affiliation.objects.filter(current).select_related("declaration"))
        if latest_versions
        else []
    )
    found: dict[tuple[int, str], ConflictMatch] = {}
    for officer in staff:
        if (app.applicant_id and app.applicant_id == officer.pk) or (
            officer.nik and officer.nik == app.applicant_nik
        ):
            found[(officer.pk, MatchReason.SELF)] = ConflictMatch(
                application=app, officer=officer, reason=MatchReason.SELF, detail="applicant"
            )
    restrictions = Restriction.objects.filter(officer__in=staff).filter(
        Q(nik=app.applicant_nik, nik__gt="") | Q(nib=app.applicant_nib, nib__gt="")
    )
    for restriction in restrictions:
        found[(restriction.officer_id, MatchReason.RESTRICTED)] = ConflictMatch(
            application=app,
            officer_id=restriction.officer_id,
            reason=MatchReason.RESTRICTED,
            detail=f"case {restriction.case_id}",
        )
    for item in items:
        affiliated = Party(item.name, item.nik, item.nib, item.npwp, item.address)
        for party in parties:
            match = party_match(party, affiliated)
            if match is None:
                continue
            key = (item.declaration.officer_id, match.reason)
            if key not in found or found[key].score < match.score:
                found[key] = ConflictMatch(
                    application=app,
                    officer_id=item.declaration.officer_id,
                    affiliation=item,
                    reason=match.reason,
                    score=match.score,
                    detail=match.detail[:200],
                )
    existing = ConflictMatch.objects.filter(application=app, officer__in=staff).exclude(
        reason=MatchReason.DECIDED
    )
    kept = {(m.officer_id, m.reason): m for m in existing}
    existing.exclude(pk__in=[m.pk for key, m in kept.items() if key in found]).delete()
    new = [m for key, m in found.items() if key not in kept]
    ConflictMatch.objects.bulk_create(new)
    for match in new:
        file_event(
            application=app,
            action=INTEGRITY_MATCH_FOUND,
            actor=Actor.system(),
            data={"officer": match.officer_id, "reason": match.reason, "detail": match.detail},
        )
    return list(ConflictMatch.objects.filter(application=app))


def officer_is_clear(officer, app: Application) -> bool:
    """The eligibility rule (permits.assignment): no match or decided conflict on this file."""
    if app.pk is None:
        return True
    return not ConflictMatch.objects.filter(application=app, officer=officer).exists()


# --- the per-file declaration ------------------------------------------------------------


def declaration_needed(app: Application, user) -> bool:
    """The officer holding the file has not declared on it yet."""
    return (
        user is not None
        and user.role in STAFF_ROLES
        and app.assigned_to_id == user.pk
        and not FileDeclaration.objects.filter(application=app, officer=user).exists()
    )


def declaration_guard(app: Application, user, action: str) -> None:
    """No declaration, no action (registered with permits' action guards)."""
    if declaration_needed(app, user):
        raise ActionRefused(
            _(
                "Nyatakan dulu ada atau tidaknya konflik kepentingan Anda pada berkas ini "
                "sebelum memprosesnya."
            )
        )


def acted_on(app: Application, user) -> bool:
    """``user`` did file work on ``app`` (a step, a check, an upload, a payment): the
    integrity record itself (declarations, cases, refused attempts) does not count."""
    return app.events.filter(actor=user).exclude(action__startswith="integrity.").exists()


def may_declare_conflict(app: Application, user, officers=None) -> bool:
    """The officer holding the file, and officers who acted on it, declare a conflict of
    their own (which holds the file). Anyone else reports a suspicion to a supervisor or
    the inspectorate (``integrity.suspicions``), who may open a case. ``officers``: the
    file's ``file_officers`` when the caller has them already."""
    if user is None or not user.is_active or user.role not in DECLARING_ROLES or app.is_final:
        return False
    if app.assigned_to_id == user.pk:
        return True
    if officers is not None:
        return any(officer.pk == user.pk for officer in officers)
    return acted_on(app, user)


@transaction.atomic
def file_declare(
    *,
    application: Application,
    actor: Actor,
    has_conflict: bool,
    nature: str = "",
    source: str = "",
    pressure_from: str = "",
    related_party: str = "",
    description: str = "",
) -> FileDeclaration:
    """The officer's declaration on a file; a conflict opens a case and holds the file.

    "No conflict" is declared once per officer and file: a second one (a double click, six
    at once) returns the first and records nothing (the file's row lock serialises them, a
    unique constraint backs it)."""
    user = actor.user
    app = Application.objects.select_for_update().get(pk=application.pk)
    if user is None or user.role not in DECLARING_ROLES:
        raise PermissionDenied
    if app.assigned_to_id != user.pk and not has_conflict:
        raise ActionRefused(_("Hanya petugas yang memegang berkas menyatakan tidak ada konflik."))
    if has_conflict and not may_declare_conflict(app, user):
        raise ActionRefused(
            _(
                "Hanya petugas yang memegang atau pernah memproses berkas ini yang menyatakan "
                "konflik kepentingan. Laporkan dugaan Anda kepada atasan atau Inspektorat."
            )
        )
    if has_conflict and not (source and nature and description.strip()):
        raise ActionRefused(
            _("Sebutkan sifat, sumber dan uraian konflik kepentingan, serta pihak terkait.")
        )
    if has_conflict and source == ConflictSource.PRESSURE and not pressure_from:
        raise ActionRefused(_("Sebutkan dari siapa tekanan itu datang."))
    if not has_conflict and (clear := _clear_declaration(app, user)):
        return clear
    try:
        with transaction.atomic():
            declaration = FileDeclaration.objects.create(
                application=app,
                officer=user,
                stage=app.state,
                has_conflict=has_conflict,
                nature=nature if has_conflict else "",
                source=source if has_conflict else "",
                pressure_from=pressure_from
                if has_conflict and source == ConflictSource.PRESSURE
                else "",
                related_party=related_party.strip() if has_conflict else "",
                description=description.strip() if has_conflict else "",
            )
    except IntegrityError:
        if has_conflict or not (clear := _clear_declaration(app, user)):
            raise
        return clear
    file_event(
        application=app,
        action=INTEGRITY_DECLARED_CONFLICT if has_conflict else INTEGRITY_DECLARED_CLEAR,
        actor=actor,
        data={"declaration": declaration.pk} if has_conflict else None,
    )
    if has_conflict:
        case_open(
            application=app,
            officer=user,
            actor=actor,
            origin=CaseOrigin.DECLARATION,
            note=description,
            declaration=declaration,
        )
    return declaration


def _clear_declaration(app: Application, user) -> FileDeclaration | None:
    return FileDeclaration.objects.filter(application=app, officer=user, has_conflict=False).first()


# --- cases -------------------------------------------------------------------------------


def file_officers(app: Application) -> list[User]:
    """Who has acted on or holds the file: the people a case may be about. The integrity
    record itself (a declaration, a review, a report) is not file work."""
    ids = set(
        app.events.exclude(actor=None)
        .exclude(action__startswith="integrity.")
        .values_list("actor_id", flat=True)
    )
    if app.assigned_to_id:
        ids.add(app.assigned_to_id)
    return list(User.objects.filter(pk__in=ids, role__in=sorted(STAFF_ROLES)).order_by("full_name"))


def _reviewer_for(officer) -> User | None:
    """The officer's direct supervisor; else a supervisor of their unit; else the head."""
    if officer.supervisor_id and officer.supervisor.is_active:
        return officer.supervisor
    supervisors = User.objects.filter(is_active=True).exclude(pk=officer.pk)
    return (
        supervisors.filter(role=Role.SUPERVISOR, unit_id=officer.unit_id).order_by("pk").first()
        or supervisors.filter(role=Role.HEAD).order_by("pk").first()
    )


def _heads(exclude=None):
    heads = User.objects.filter(is_active=True, role=Role.HEAD)
    return heads.exclude(pk=exclude.pk) if exclude else heads


def _auditors():
    return User.objects.filter(is_active=True, role=Role.AUDITOR)


def _one_level_above(person, *, officer) -> User | None:
    """Who stands above ``person``: their own direct supervisor, else the head of office
    (never ``person`` or the ``officer`` of the case); None when nobody does."""
    above = person.supervisor if person.supervisor_id else None
    if above is not None and above.is_active and above.pk not in {person.pk, officer.pk}:
        return above
    return (
        _heads().exclude(pk__in=[person.pk, officer.pk]).order_by("pk").first()
        if person.role != Role.HEAD
        else None
    )


def case_route(
    officer, declaration: FileDeclaration | None
) -> tuple[User | None, str, User | None]:
    """Who a case is about besides the officer, who handles it, and who reviews first:
    ``(named, route, reviewer)``.

    A conflict whose source is pressure from the officer's direct supervisor is reviewed one
    level above that supervisor; pressure from the head of office (or from a supervisor with
    nobody above them) goes to the inspectorate, which reviews and decides. The superior
    named never reviews, decides, is told of or sees the case.
    """
    pressure = declaration is not None and declaration.source == ConflictSource.PRESSURE
    if pressure and declaration.pressure_from == PressureFrom.SUPERVISOR:
        named = _reviewer_for(officer)
        if named is not None and named.role != Role.HEAD:
            above = _one_level_above(named, officer=officer)
            if above is not None:
                return named, CaseRoute.OFFICE, above
        if named is not None:
            return named, CaseRoute.INSPECTORATE, None
    if pressure and declaration.pressure_from == PressureFrom.HEAD:
        named = _heads(exclude=officer).order_by("pk").first()
        return named, CaseRoute.INSPECTORATE, None
    return None, CaseRoute.OFFICE, _reviewer_for(officer)


def _notify(user, kind: str, case: ConflictCase, **extra) -> None:
    if user is None:
        return
    context = {
        "case": case,
        "application": case.application,
        "site_url": settings.SITE_URL,
        **extra,
    }
    message_queue(kind=kind, context=context, contact=contact_for(user), application=None)


def _event(case: ConflictCase, action: str, actor: Actor, **data) -> None:
    app = case.application
    file_event(
        application=app,
        action=action,
        actor=actor,
        data={"case": str(case.public_id), **data},
    )


def _hold(app: Application, at, actor: Actor) -> None:
    if app.held_since is None:
        app.held_since = at
        app._history_user = actor.user
        app.save(update_fields=["held_since"])


def _release(app: Application, actor: Actor) -> None:
    if (
        app.held_since is not None
        and not app.conflict_cases.exclude(state=CaseState.CLOSED).exists()
    ):
        app.held_since = None
        app._history_user = actor.user
        app.save(update_fields=["held_since"])


def may_open_case(user) -> bool:
    return user is not None and user.is_active and user.role in OVERSIGHT_ROLES


@transaction.atomic
def case_open(
    *,
    application: Application,
    officer,
    actor: Actor,
    origin: str,
    note: str,
    declaration: FileDeclaration | None = None,
) -> ConflictCase:
    """Open a case on ``officer`` and ``application``: the file is held at once and the
    reviewer is told. Supervisors and auditors open one without a declaration."""
    user = actor.user
    if origin != CaseOrigin.DECLARATION:
        if not may_open_case(user) or user.pk == officer.pk:
            raise PermissionDenied(_("Hanya atasan atau Inspektorat yang dapat membuka kasus."))
        if not note.strip():
            raise ActionRefused(_("Tuliskan dugaan konflik kepentingannya."))
    app = Application.objects.select_for_update().get(pk=application.pk)
    if app.conflict_cases.filter(officer=officer).exclude(state=CaseState.CLOSED).exists():
        raise ActionRefused(_("Sudah ada kasus terbuka untuk petugas ini pada berkas ini."))
    now, calendar = timezone.now(), get_calendar()
    named, route, reviewer = case_route(officer, declaration)
    case = ConflictCase(
        application=app,
        officer=officer,
        origin=origin,
        declaration=declaration,
        opened_by=user,
        opened_at=now,
        opening_note=note.strip(),
        named=named,
        route=route,
        reviewer=reviewer,
        review_due=calendar.add_working_days(now, settings.CONFLICT_REVIEW_WORKING_DAYS),
        decision_due=calendar.add_working_days(now, settings.CONFLICT_DECISION_WORKING_DAYS),
    )
    case._history_user = user
    case.save()
    _hold(app, now, actor)
    _event(case, INTEGRITY_CASE_OPENED, actor, origin=origin, officer=officer.pk)
    _event(case, INTEGRITY_HELD, actor)
    for person in [case.reviewer] if route == CaseRoute.OFFICE else _auditors():
        _notify(person, "integrity.case_review", case)
    return case


def _handles(case: ConflictCase, user) -> bool:
    """``user`` is neither the officer nor the superior the case names."""
    return (
        user is not None
        and user.is_active
        and user.pk != case.officer_id
        and user.pk != case.named_id
    )


def may_review(case: ConflictCase, user) -> bool:
    if not _handles(case, user) or case.state != CaseState.REVIEW:
        return False
    if case.route == CaseRoute.INSPECTORATE:
        return user.role == Role.AUDITOR
    return user.pk == case.reviewer_id or user.role == Role.HEAD


@transaction.atomic
def case_review(
    *, case: ConflictCase, actor: Actor, real: bool, impact: str, recommendation: str, note: str
) -> ConflictCase:
    """The direct supervisor's initial review (telaah awal): is it real, its impact, the
    recommended measure; the head of office is asked to decide."""
    case = ConflictCase.objects.select_for_update().get(pk=case.pk)
    if not may_review(case, actor.user):
        raise PermissionDenied(_("Telaah awal dilakukan oleh atasan langsung petugas."))
    if not note.strip() or (real and recommendation not in Measure.values):
        raise ActionRefused(
            _("Tuliskan hasil telaah dan, bila konflik nyata, tindakan yang disarankan.")
        )
    case.review(
        by=actor.user,
        at=timezone.now(),
        real=real,
        impact=impact.strip(),
        recommendation=recommendation if real else "",
        note=note.strip(),
        due=case.decision_due,
    )
    case._history_user = actor.user
    case.save()
    _event(case, INTEGRITY_CASE_REVIEWED, actor, real=real, recommendation=recommendation)
    for person in _deciders(case):
        _notify(person, "integrity.case_decide", case)
    return case


def _deciders(case: ConflictCase):
    """Who is asked to decide: the heads of office, or the inspectorate when the case names
    the head; never the officer or the superior named."""
    people = _heads() if case.route == CaseRoute.OFFICE else _auditors()
    return people.exclude(pk__in=[case.officer_id, case.named_id or 0])


def may_decide(case: ConflictCase, user) -> bool:
    decider = Role.HEAD if case.route == CaseRoute.OFFICE else Role.AUDITOR
    return _handles(case, user) and case.state == CaseState.DECISION and user.role == decider


@transaction.atomic
def case_decide(
    *, case: ConflictCase, actor: Actor, decision: str, measure: str, reason: str
) -> ConflictCase:
    """The head of office decides. No conflict: the file is released to the same officer.
    Conflict: the measure is applied (the file goes to another eligible officer; a
    restriction keeps the officer off every file of this party; an escalation also goes to
    the inspectorate) and the file is released. The officer is told the decision."""
    case = ConflictCase.objects.select_for_update().select_related("application").get(pk=case.pk)
    if not may_decide(case, actor.user):
        raise PermissionDenied(
            _("Keputusan kasus diambil oleh Kepala Dinas (atau Inspektorat bila ia disebut).")
        )
    if decision not in Decision.values or not reason.strip():
        raise ActionRefused(_("Pilih keputusan dan tuliskan alasannya."))
    if decision == Decision.CONFLICT and measure not in Measure.values:
        raise ActionRefused(_("Pilih tindakan atas konflik kepentingan."))
    measure = measure if decision == Decision.CONFLICT else ""
    now = timezone.now()
    case.decide(by=actor.user, at=now, decision=decision, measure=measure, reason=reason.strip())
    case._history_user = actor.user
    case.save()
    app = Application.objects.select_for_update().get(pk=case.application_id)
    _event(case, INTEGRITY_CASE_DECIDED, actor, decision=decision, measure=measure)
    if decision == Decision.CONFLICT:
        ConflictMatch.objects.get_or_create(
            application=app,
            officer=case.officer,
            reason=MatchReason.DECIDED,
            defaults={"detail": f"case {case.public_id}"},
        )
        if measure == Measure.RESTRICT and (app.applicant_nik or app.applicant_nib):
            Restriction.objects.create(
                officer=case.officer, nik=app.applicant_nik, nib=app.applicant_nib, case=case
            )
        if measure == Measure.ESCALATE and case.route == CaseRoute.OFFICE:
            for auditor in _auditors():
                _notify(auditor, "integrity.case_escalated", case)
    _release(app, actor)
    if decision == Decision.CONFLICT and app.assigned_to_id == case.officer_id:
        _reassign_away(app, case, actor)
    _notify(case.officer, "integrity.case_decided_officer", case)
    return case


def _reassign_away(app: Application, case: ConflictCase, actor: Actor) -> None:
    from permits.services.applications import _assign

    role = STAGE_ROLE.get(app.state)
    officer = least_loaded_officer(app, app.state) if role else None
    _assign(app, officer, actor, timezone.now(), reason="conflict", note=str(case.public_id))


# --- what each person may see ------------------------------------------------------------


def cases_visible_to(user):
    """Auditors and the head see every case; supervisors those they review or of their
    staff; an officer their own (the decision, not who looked: see the case page). The
    superior a case names (pressure from them) never sees it."""
    cases = ConflictCase.objects.select_related("application", "officer")
    if user.role == Role.AUDITOR:
        return cases
    cases = cases.exclude(named=user)
    if user.role == Role.HEAD:
        return cases
    if user.role == Role.SUPERVISOR:
        return cases.filter(Q(reviewer=user) | Q(officer__supervisor=user) | Q(officer=user))
    return cases.filter(officer=user)


def escalate_overdue_cases(now=None) -> int:
    """Periodic: an overdue review goes to the head of office, an overdue decision to the
    inspectorate; once per step."""
    now = now or timezone.now()
    steps = (
        ("review", CaseState.REVIEW, "review_due", "review_escalated_at"),
        ("decision", CaseState.DECISION, "decision_due", "decision_escalated_at"),
    )
    count = 0
    for step, state, due, stamp in steps:
        overdue = ConflictCase.objects.filter(state=state, **{f"{due}__lt": now, stamp: None})
        for case in overdue:
            # A late review goes up to the heads; a late decision, and anything in a case
            # the inspectorate handles, to the inspectorate. Never to the superior named.
            upward = step == "review" and case.route == CaseRoute.OFFICE
            recipients = _heads() if upward else _auditors()
            for person in recipients.exclude(pk__in=[case.officer_id, case.named_id or 0]):
                _notify(person, "integrity.case_overdue", case, step=step)
            ConflictCase.objects.filter(pk=case.pk).update(**{stamp: now})
            seal_rows(ConflictCase, [case.pk])  # an update() sends no signal to seal it
            _event(case, INTEGRITY_CASE_OVERDUE, Actor.system(), step=step)
            count += 1
    return count


REMIND_BEFORE = datetime.timedelta(days=30)


def register_reminders_send(now=None) -> int:
    """Periodic: staff whose register is due within a month, overdue or missing are reminded,
    once per register version (once a month for those who never declared)."""
    from outbox.models import Message

    now = now or timezone.now()
    today = timezone.localtime(now).date()
    sent = 0
    for officer, declaration in registers_overdue(list(responsible_staff())) + _due_soon(today):
        since = declaration.declared_at if declaration else now - REMIND_BEFORE
        reminded = Message.objects.filter(
            recipient=officer, kind="integrity.register_renewal", created_at__gte=since
        ).exists()
        if reminded:
            continue
        message_queue(
            kind="integrity.register_renewal",
            context={"declaration": declaration, "site_url": settings.SITE_URL},
            contact=contact_for(officer),
        )
        sent += 1
    return sent


def _due_soon(today) -> list[tuple[User, AffiliationDeclaration]]:
    latest = {}
    for declaration in AffiliationDeclaration.objects.select_related("officer").order_by(
        "officer_id", "version"
    ):
        latest[declaration.officer_id] = declaration
    return [
        (d.officer, d)
        for d in latest.values()
        if today <= d.renew_by <= today + REMIND_BEFORE and d.officer.is_active
    ]


# --- gratification -------------------------------------------------------------------------

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


def gratifications_visible_to(user):
    reports = GratificationReport.objects.select_related("officer", "application")
    if user.role == Role.AUDITOR:
        return reports
    return reports.filter(officer=user)


# --- sanctions -----------------------------------------------------------------------------


def may_record_sanction(user) -> bool:
    return user is not None and user.is_active and user.role in {Role.HEAD, Role.AUDITOR}


@transaction.atomic
def sanction_record(*, actor: Actor, officer: User, **fields) -> Sanction:
    """Record a disciplinary decision (PP 94/2021); the kind must belong to the level."""
    if not may_record_sanction(actor.user):
        raise PermissionDenied(_("Hukuman disiplin dicatat oleh Kepala Dinas atau Inspektorat."))
    if fields["kind"] not in SANCTION_LEVELS.get(fields["level"], ()):
        raise ActionRefused(_("Jenis hukuman tidak sesuai tingkatnya (PP 94/2021 pasal 8)."))
    if not fields.get("legal_basis", "").strip() or not fields.get("decided_by", "").strip():
        raise ActionRefused(_("Isi dasar hukum dan pejabat yang memutus."))
    sanction = Sanction(officer=officer, recorded_by=actor.user, **fields)
    sanction._history_user = actor.user
    sanction.save()
    return sanction


@transaction.atomic
def sanction_appeal_update(*, sanction: Sanction, actor: Actor, status: str) -> Sanction:
    if not may_record_sanction(actor.user) or status not in AppealStatus.values:
        raise PermissionDenied
    sanction.appeal_status = status
    sanction._history_user = actor.user
    sanction.save(update_fields=["appeal_status"])
    return sanction


def sanctions_visible_to(user):
    """Only the officer concerned, their supervisors and auditors (and the head) see them."""
    sanctions = Sanction.objects.select_related("officer", "recorded_by")
    if user.role in {Role.AUDITOR, Role.HEAD}:
        return sanctions
    if user.role == Role.SUPERVISOR:
        return sanctions.filter(Q(officer__supervisor=user) | Q(officer=user))
    return sanctions.filter(officer=user)
