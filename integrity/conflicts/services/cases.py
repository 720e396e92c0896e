"""Conflict cases: opened on a declaration, a match or a report, reviewed and decided
one level above the officer; the file is held while a case is open."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import OVERSIGHT_ROLES, STAFF_ROLES, Role, User
from integrity.conflicts.models import (
    CaseOrigin,
    CaseRoute,
    CaseState,
    ConflictCase,
    ConflictMatch,
    ConflictSource,
    Decision,
    FileDeclaration,
    MatchReason,
    Measure,
    PressureFrom,
    Restriction,
)
from outbox.services import contact_for, message_queue
from permits.assignment import least_loaded_officer
from permits.event_names import (
    INTEGRITY_CASE_DECIDED,
    INTEGRITY_CASE_OPENED,
    INTEGRITY_CASE_OVERDUE,
    INTEGRITY_CASE_REVIEWED,
    INTEGRITY_HELD,
)
from permits.models import Application
from permits.models.stages import STAGE_ROLE
from permits.services.context import ActionRefused, Actor
from permits.services.events import file_event
from trail.seals import seal_rows
from worktime.calendar import get_calendar


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
