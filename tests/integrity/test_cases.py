"""Conflict-of-interest cases end to end: no action before the declaration, a declared
conflict holds the file on every transition, the supervisor's initial review, the head of
office's decision and its measures, cases opened without a declaration, overdue escalation
and field history."""

from __future__ import annotations

import datetime
import uuid

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from integrity.conflicts.services.cases import case_open, escalate_overdue_cases
from integrity.conflicts.services.declarations import declaration_needed, file_declare
from integrity.models import (
    CaseOrigin,
    CaseState,
    ConflictCase,
    ConflictMatch,
    FileDeclaration,
    MatchReason,
    Restriction,
)
from outbox.models import Message
from permits.assignment import officer_may_take
from permits.models import Application, CheckStatus, Stage
from permits.models.stages import RULES
from permits.services.applications import (
    application_reassign,
    application_submit,
    transition_fire,
)
from permits.services.checks import check_update
from permits.services.context import HELD_MESSAGE, ActionRefused, Actor
from permits.tracking import HELD_BEFORE_COMPLETION, HELD_EXPLANATION
from tests.factories import (
    CONFLICT,
    act,
    decide,
    declared_case,
    hold,
    mark_all_ok,
    new_file,
    pay,
    return_file,
    review,
    submitted,
    upload_mandatory,
    walk,
)

pytestmark = pytest.mark.django_db


def kinds_to(user) -> list[str]:
    return list(Message.objects.filter(recipient=user).values_list("kind", flat=True))


def snapshot(app) -> tuple:
    fresh = Application.objects.get(pk=app.pk)
    events = fresh.events.exclude(action="integrity.held_attempt")
    return fresh.state, events.count(), fresh.assigned_to_id


# --- no declaration, no action ---------------------------------------------------------------


def test_the_holder_cannot_act_before_declaring(office):
    app = submitted(office)
    holder = app.assigned_to
    assert holder == office.counter
    assert declaration_needed(app, holder)
    before = snapshot(app)
    with pytest.raises(ActionRefused, match="Nyatakan dulu"):
        transition_fire(application=app, name="begin_verification", actor=act(holder))
    assert snapshot(app) == before
    file_declare(application=app, actor=act(holder), has_conflict=False)
    assert not declaration_needed(app, holder)
    declaration = FileDeclaration.objects.get(application=app, officer=holder)
    assert declaration.has_conflict is False and declaration.stage == Stage.SUBMITTED
    assert app.events.filter(action="integrity.declared_clear", actor=holder).exists()
    app = transition_fire(application=app, name="begin_verification", actor=act(holder))
    assert app.state == Stage.VERIFICATION
    assert not ConflictCase.objects.filter(application=app).exists()


def test_a_new_holder_must_declare_before_checking_requirements(office):
    app = walk(office, submitted(office), Stage.VERIFICATION)  # the counter declared
    application_reassign(
        application=app, officer=office.counter2, actor=act(office.supervisor), reason="cuti"
    )
    app.refresh_from_db()
    assert app.assigned_to == office.counter2 and declaration_needed(app, office.counter2)
    check = app.checks.first()
    events = app.events.count()
    with pytest.raises(ActionRefused, match="Nyatakan dulu"):
        check_update(check=check, status=CheckStatus.OK, note="", actor=act(office.counter2))
    check.refresh_from_db()
    assert check.status == CheckStatus.PENDING and check.checked_by is None
    assert app.events.count() == events
    file_declare(application=app, actor=act(office.counter2), has_conflict=False)
    check_update(check=check, status=CheckStatus.OK, note="", actor=act(office.counter2))
    check.refresh_from_db()
    assert check.status == CheckStatus.OK


@pytest.mark.parametrize("who", ["counter2", "technical", "supervisor", "cashier"])
def test_someone_who_does_not_hold_the_file_is_not_asked_to_declare(office, who):
    app = submitted(office)
    user = getattr(office, who)
    assert not declaration_needed(app, user)
    with pytest.raises(PermissionDenied):
        transition_fire(application=app, name="begin_verification", actor=act(user))
    assert Application.objects.get(pk=app.pk).state == Stage.SUBMITTED


def test_only_the_holder_declares_no_conflict(office):
    app = submitted(office)
    with pytest.raises(ActionRefused):
        file_declare(application=app, actor=act(office.counter2), has_conflict=False)
    for outsider in (office.applicant, office.auditor, office.admin):
        with pytest.raises(PermissionDenied):
            file_declare(application=app, actor=act(outsider), has_conflict=False)
    assert not FileDeclaration.objects.filter(application=app).exists()


# --- declaring a conflict ------------------------------------------------------------------


def test_declaring_a_conflict_opens_a_case_and_holds_the_file(office):
    app = submitted(office)
    officer = app.assigned_to
    declaration = file_declare(application=app, actor=act(officer), has_conflict=True, **CONFLICT)
    assert declaration.has_conflict and declaration.officer == officer
    assert (declaration.nature, declaration.source) == ("potential", "family")
    assert declaration.related_party == "Siti Rahmawati"
    case = ConflictCase.objects.get(application=app)
    assert case.state == CaseState.REVIEW
    assert case.officer == officer and case.origin == CaseOrigin.DECLARATION
    assert case.declaration == declaration and case.opened_by == officer
    assert case.reviewer == officer.supervisor == office.supervisor
    assert case.review_due > case.opened_at and case.decision_due > case.review_due
    app.refresh_from_db()
    assert app.held_since is not None
    assert app.state == Stage.SUBMITTED and app.assigned_to == officer
    actions = set(app.events.values_list("action", flat=True))
    assert {"integrity.declared_conflict", "integrity.case_opened", "integrity.held"} <= actions
    opened = app.events.get(action="integrity.case_opened")
    assert opened.data["case"] == str(case.public_id) and opened.actor == officer
    assert kinds_to(office.supervisor) == ["integrity.case_review"]
    assert not Message.objects.filter(kind="integrity.case_review").exclude(
        recipient=office.supervisor
    )


@pytest.mark.parametrize("missing", ["source", "nature", "description"])
def test_a_conflict_declaration_needs_its_nature_source_and_description(office, missing):
    app = submitted(office)
    details = {**CONFLICT, missing: "   " if missing == "description" else ""}
    with pytest.raises(ActionRefused, match="Sebutkan sifat"):
        file_declare(application=app, actor=act(app.assigned_to), has_conflict=True, **details)
    app.refresh_from_db()
    assert app.held_since is None
    assert not FileDeclaration.objects.filter(application=app).exists()
    assert not ConflictCase.objects.filter(application=app).exists()
    assert not Message.objects.filter(kind__startswith="integrity.").exists()


# --- the hold, on every transition ----------------------------------------------------------

# transition -> (its source stage, who could fire it there were the file not held)
HOLD_MATRIX = {
    "submit": (Stage.DRAFT, "applicant"),
    "begin_verification": (Stage.SUBMITTED, "assigned"),
    "return_to_applicant": (Stage.VERIFICATION, "assigned"),
    "resubmit": (Stage.RETURNED, "applicant"),
    "declare_complete": (Stage.VERIFICATION, "assigned"),
    "finish_review": (Stage.TECHNICAL_REVIEW, "assigned"),
    "finish_inspection": (Stage.INSPECTION, "assigned"),
    "confirm_payment": (Stage.AWAITING_PAYMENT, "cashier"),
    "approve": (Stage.APPROVAL, "assigned"),
    "sign": (Stage.SIGNING, "assigned"),
    "reject": (Stage.APPROVAL, "assigned"),
    "withdraw": (Stage.TECHNICAL_REVIEW, "applicant"),
    "expire": (Stage.RETURNED, "system"),
}


def test_the_hold_matrix_names_every_transition():
    assert set(HOLD_MATRIX) == set(RULES)


def file_in(office, stage) -> Application:
    app = new_file(office, office.full_type)
    if stage == Stage.DRAFT:
        upload_mandatory(office, app)
        return app
    if stage == Stage.RETURNED:
        return return_file(office, walk(office, app, Stage.VERIFICATION))
    app = walk(office, app, stage)
    if stage == Stage.VERIFICATION:  # complete, so declare_complete would go through
        mark_all_ok(app, app.assigned_to)
    return app


def model_kwargs(name) -> dict:
    if name == "return_to_applicant":
        return {"applicant_deadline": timezone.now() + datetime.timedelta(days=14)}
    if name == "reject":
        return {"reason": "Tidak sesuai tata ruang.", "legal_basis": "Perda 1/2024"}
    return {}


@pytest.mark.parametrize("name", list(HOLD_MATRIX))
def test_a_held_file_moves_on_no_transition(office, name):
    source, who = HOLD_MATRIX[name]
    app = file_in(office, source)
    assert app.state == source
    user = {"assigned": app.assigned_to, "system": None, "applicant": office.applicant}.get(
        who, office.cashier
    )
    if name == "return_to_applicant":  # a finding the return needs
        check = app.checks.get(requirement__code="STR")
        check_update(check=check, status="invalid", note="STR kedaluwarsa.", actor=act(user))
    assert app.may_fire(name, user), "the persona could fire it before the hold"
    hold(office, app)
    before = snapshot(app)

    app.refresh_from_db()
    assert app.held_since is not None
    assert not app.may_fire(name, user)
    with pytest.raises(PermissionDenied):
        getattr(app, name)(by=user, at=timezone.now(), **model_kwargs(name))
    assert app.state == source

    fresh = Application.objects.get(pk=app.pk)
    actor = act(user) if user else Actor.system()
    with pytest.raises(ActionRefused) as refused:
        if name == "confirm_payment":
            pay(office, fresh)
        else:
            transition_fire(application=fresh, name=name, actor=actor, **model_kwargs(name))
    assert str(refused.value) == str(HELD_MESSAGE)
    assert snapshot(app) == before
    # The attempt itself is on the record (rule HELD raises a flag on it).
    attempt = app.events.get(action="integrity.held_attempt")
    assert attempt.data == {"action": "confirm_payment" if name == "confirm_payment" else name}
    assert attempt.actor_id == (user.pk if user else None)


def test_a_held_submission_keeps_its_draft_unnumbered(office):
    app = file_in(office, Stage.DRAFT)
    hold(office, app)
    with pytest.raises(ActionRefused, match="ditahan"):
        application_submit(application=app, actor=act(office.applicant))
    app.refresh_from_db()
    assert app.state == Stage.DRAFT and app.registration_number is None


def test_a_held_payment_leaves_the_bill_unpaid(office):
    from issuance.models import Bill

    app = file_in(office, Stage.AWAITING_PAYMENT)
    hold(office, app)
    with pytest.raises(ActionRefused, match="ditahan"):
        pay(office, app)
    bill = Bill.objects.get(application=app)
    assert bill.status == "unpaid" and bill.paid_at is None


def test_requirements_are_not_checked_while_held(office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    hold(office, app)
    check = app.checks.first()
    with pytest.raises(ActionRefused) as refused:
        check_update(check=check, status=CheckStatus.OK, note="", actor=act(app.assigned_to))
    assert str(refused.value) == str(HELD_MESSAGE)
    check.refresh_from_db()
    assert check.status == CheckStatus.PENDING


def test_the_sop_clock_keeps_running_while_held(office):
    app = walk(office, new_file(office), Stage.TECHNICAL_REVIEW)
    assert app.clock.state not in {"paused", "not_started"}
    deadline = app.sop_deadline
    hold(office, app)
    app.refresh_from_db()
    assert app.held_since is not None
    assert app.clock.state != "paused"
    assert app.clock_running_since is not None and app.sop_deadline == deadline
    with time_machine.travel(deadline + datetime.timedelta(hours=1), tick=False):
        assert app.clock.state == "late"  # the delay of the review is the office's


def test_a_held_returned_file_is_not_expired_by_the_periodic_task(office):
    from permits.services.applications import applications_expire_overdue

    app = file_in(office, Stage.RETURNED)
    hold(office, app)
    later = app.applicant_deadline + datetime.timedelta(days=1)
    assert applications_expire_overdue(now=later) == 0
    assert Application.objects.get(pk=app.pk).state == Stage.RETURNED


# --- public tracking -------------------------------------------------------------------------


def tracking_page(app) -> str:
    visitor = Client(REMOTE_ADDR=f"2001:db8:{uuid.uuid4().hex[:4]}::1")
    response = visitor.get(f"/lacak/{app.tracking_code}/")
    assert response.status_code == 200
    return response.content.decode()


def test_tracking_a_held_file_says_internal_review_without_naming_anyone(office):
    # The case is on the counter officer who verified the file; the technical officer holds it.
    app = walk(office, new_file(office), Stage.TECHNICAL_REVIEW)
    case = case_open(
        application=app,
        officer=office.counter,
        actor=act(office.auditor),
        origin=CaseOrigin.AUDITOR,
        note="Pola: pemohon yang sama selalu dilayani petugas ini.",
    )
    body = tracking_page(app)
    assert str(HELD_EXPLANATION) in body
    assert case.officer.display_name not in body
    assert "konflik kepentingan" not in body.lower()


def test_tracking_a_file_held_on_its_holders_declaration_does_not_name_the_holder(office):
    app = walk(office, submitted(office), Stage.VERIFICATION)
    case = declared_case(app)
    body = tracking_page(app)
    assert str(HELD_BEFORE_COMPLETION) in body  # held before completion: no clock yet
    assert "konflik kepentingan" not in body.lower()
    assert case.officer.display_name not in body


# --- the initial review ------------------------------------------------------------------


def test_the_reviewer_reviews_and_the_heads_are_asked_to_decide(office):
    case = declared_case(submitted(office))
    case = review(case, office.supervisor)
    assert case.state == CaseState.DECISION
    assert case.reviewer == office.supervisor and case.reviewed_at is not None
    assert case.review_conflict_real is True and case.review_recommendation == "reassign"
    assert case.review_note == "Pemohon sepupu istrinya."
    assert kinds_to(office.head) == ["integrity.case_decide"]
    assert kinds_to(office.head2) == ["integrity.case_decide"]
    assert case.application.events.filter(action="integrity.case_reviewed").exists()
    assert Application.objects.get(pk=case.application_id).held_since is not None


def test_the_head_may_review_in_the_supervisors_place(office):
    case = review(declared_case(submitted(office)), office.head)
    assert case.state == CaseState.DECISION and case.reviewer == office.head


@pytest.mark.parametrize(
    "who", ["counter", "counter2", "supervisor2", "auditor", "applicant", "cashier", "admin"]
)
def test_nobody_else_reviews(office, who):
    case = declared_case(submitted(office))
    assert case.officer == office.counter
    with pytest.raises(PermissionDenied):
        review(case, getattr(office, who))
    case = ConflictCase.objects.get(pk=case.pk)
    assert case.state == CaseState.REVIEW and case.reviewed_at is None and case.review_note == ""
    assert not Message.objects.filter(kind="integrity.case_decide").exists()


def test_a_review_needs_a_note_and_a_real_conflict_a_recommendation(office):
    case = declared_case(submitted(office))
    with pytest.raises(ActionRefused, match="hasil telaah"):
        review(case, office.supervisor, note="  ")
    with pytest.raises(ActionRefused, match="tindakan yang disarankan"):
        review(case, office.supervisor, recommendation="")
    case = ConflictCase.objects.get(pk=case.pk)
    assert case.state == CaseState.REVIEW
    case = review(case, office.supervisor, real=False, recommendation="")
    assert case.state == CaseState.DECISION and case.review_conflict_real is False


# --- the decision ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["supervisor", "counter", "counter2", "auditor", "applicant", "cashier", "admin"]
)
def test_only_a_head_decides(office, who):
    case = review(declared_case(submitted(office)), office.supervisor)
    with pytest.raises(PermissionDenied):
        decide(case, getattr(office, who))
    case = ConflictCase.objects.get(pk=case.pk)
    assert case.state == CaseState.DECISION and case.decider is None
    assert Application.objects.get(pk=case.application_id).held_since is not None


def test_a_head_does_not_decide_their_own_case(office):
    app = walk(office, new_file(office, office.simple_type), Stage.SIGNING)
    head = app.assigned_to
    other = office.head2 if head == office.head else office.head
    case = declared_case(app)
    assert case.officer == head and case.reviewer == office.supervisor  # the unit's supervisor
    case = review(case, office.supervisor)
    assert kinds_to(head) == []  # the head concerned is not asked to decide
    with pytest.raises(PermissionDenied):
        decide(case, head)
    case = decide(case, other)
    app.refresh_from_db()
    assert case.state == CaseState.CLOSED and app.held_since is None
    assert app.assigned_to == other


def test_a_decision_needs_a_reason_and_a_conflict_a_measure(office):
    case = review(declared_case(submitted(office)), office.supervisor)
    with pytest.raises(ActionRefused):
        decide(case, office.head, reason=" ")
    with pytest.raises(ActionRefused):
        decide(case, office.head, decision="maybe")
    with pytest.raises(ActionRefused):
        decide(case, office.head, measure="")
    case = ConflictCase.objects.get(pk=case.pk)
    assert case.state == CaseState.DECISION


def test_no_conflict_releases_the_file_to_the_same_officer(office):
    app = submitted(office)
    officer = app.assigned_to
    case = decide(
        review(declared_case(app), office.supervisor, real=False, recommendation=""),
        office.head,
        decision="no_conflict",
        measure="reassign",  # ignored without a conflict
        reason="Hubungan jauh; tidak memengaruhi.",
    )
    assert case.state == CaseState.CLOSED and case.decision == "no_conflict"
    assert case.measure == "" and case.decider == office.head
    app.refresh_from_db()
    assert app.held_since is None and app.assigned_to == officer
    assert not ConflictMatch.objects.filter(application=app).exists()
    assert "integrity.case_decided_officer" in kinds_to(officer)
    app = transition_fire(application=app, name="begin_verification", actor=act(officer))
    assert app.state == Stage.VERIFICATION


def test_a_conflict_reassigns_the_file_and_keeps_the_officer_away(office):
    app = submitted(office)
    assert app.assigned_to == office.counter
    case = decide(review(declared_case(app), office.supervisor), office.head)
    assert case.decision == "conflict" and case.measure == "reassign"
    app.refresh_from_db()
    assert app.held_since is None
    assert app.assigned_to == office.counter2
    match = ConflictMatch.objects.get(application=app, officer=office.counter)
    assert match.reason == MatchReason.DECIDED
    assert not officer_may_take(office.counter, app)
    reassigned = app.events.get(action="application.reassigned")
    assert reassigned.data["from"] == office.counter.pk and reassigned.data["to"] == (
        office.counter2.pk
    )
    assert reassigned.data["reason"] == "conflict"
    told = Message.objects.get(recipient=office.counter, kind="integrity.case_decided_officer")
    assert "Konflik nyata." in told.body and "ada konflik kepentingan" in told.body
    assert office.supervisor.display_name not in told.body  # not who reviewed
    assert not Restriction.objects.exists()
    # The new holder declares before acting; the first officer can no longer act.
    assert declaration_needed(app, office.counter2)
    with pytest.raises(PermissionDenied):
        transition_fire(application=app, name="begin_verification", actor=act(office.counter))
    file_declare(application=app, actor=act(office.counter2), has_conflict=False)
    app = transition_fire(application=app, name="begin_verification", actor=act(office.counter2))
    assert app.state == Stage.VERIFICATION and app.assigned_to == office.counter2


def test_the_decided_match_survives_a_refresh_of_the_matches(office):
    from integrity.conflicts.services.matches import matches_refresh

    app = submitted(office)
    decide(review(declared_case(app), office.supervisor), office.head)
    matches_refresh(app)
    assert ConflictMatch.objects.filter(
        application=app, officer=office.counter, reason=MatchReason.DECIDED
    ).exists()


def test_a_restriction_keeps_the_officer_off_the_applicants_next_files(office):
    app = submitted(office)
    case = decide(
        review(declared_case(app), office.supervisor, recommendation="restrict"),
        office.head,
        measure="restrict",
    )
    restriction = Restriction.objects.get(officer=office.counter)
    assert restriction.nik == app.applicant_nik and restriction.case == case
    assert Application.objects.get(pk=app.pk).assigned_to == office.counter2
    # A new file of the same NIK (same applicant, same typed NIK).
    later = new_file(office)
    match = ConflictMatch.objects.get(application=later, officer=office.counter)
    assert match.reason == MatchReason.RESTRICTED
    assert later.events.filter(action="integrity.match_found").exists()
    upload_mandatory(office, later)
    later = application_submit(application=later, actor=act(office.applicant))
    assert later.assigned_to == office.counter2
    assert not officer_may_take(office.counter, later)


def test_an_escalation_goes_to_the_inspectorate(office, make_user):
    second_auditor = make_user("auditor", username="auditor2")
    app = submitted(office)
    decide(
        review(declared_case(app), office.supervisor, recommendation="escalate"),
        office.head,
        measure="escalate",
    )
    assert kinds_to(office.auditor) == ["integrity.case_escalated"]
    assert kinds_to(second_auditor) == ["integrity.case_escalated"]
    app.refresh_from_db()
    assert app.held_since is None and app.assigned_to == office.counter2


def test_the_hold_stays_while_another_case_on_the_file_is_open(office):
    app = walk(office, submitted(office), Stage.VERIFICATION)
    first = declared_case(app)
    second = case_open(
        application=app,
        officer=office.supervisor2,  # someone else who touched the file, say
        actor=act(office.auditor),
        origin=CaseOrigin.AUDITOR,
        note="Atasan kedua diduga menekan petugas.",
    )
    no_conflict = {"decision": "no_conflict", "measure": ""}
    decide(
        review(first, office.supervisor, real=False, recommendation=""), office.head, **no_conflict
    )
    app.refresh_from_db()
    assert app.held_since is not None
    decide(review(second, office.head, real=False, recommendation=""), office.head2, **no_conflict)
    app.refresh_from_db()
    assert app.held_since is None


# --- cases opened without a declaration -----------------------------------------------------


@pytest.mark.parametrize(
    ("who", "origin"), [("supervisor", CaseOrigin.SUPERVISOR), ("auditor", CaseOrigin.AUDITOR)]
)
def test_supervisors_and_auditors_open_a_case_without_a_declaration(office, who, origin):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    opener = getattr(office, who)
    case = case_open(
        application=app,
        officer=app.assigned_to,
        actor=act(opener),
        origin=origin,
        note="Petugas terlihat makan bersama pemohon.",
    )
    assert case.origin == origin and case.opened_by == opener and case.declaration is None
    assert case.state == CaseState.REVIEW and case.reviewer == office.supervisor
    assert case.opening_note == "Petugas terlihat makan bersama pemohon."
    app.refresh_from_db()
    assert app.held_since is not None
    assert app.events.filter(action="integrity.case_opened", actor=opener).exists()
    assert "integrity.case_review" in kinds_to(office.supervisor)


@pytest.mark.parametrize("who", ["counter2", "technical", "cashier", "admin", "applicant"])
def test_other_people_cannot_open_a_case(office, who):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    with pytest.raises(PermissionDenied):
        case_open(
            application=app,
            officer=app.assigned_to,
            actor=act(getattr(office, who)),
            origin=CaseOrigin.SUPERVISOR,
            note="Dugaan.",
        )
    app.refresh_from_db()
    assert app.held_since is None and not ConflictCase.objects.exists()


def test_a_supervisor_does_not_open_a_case_on_themself(office):
    app = walk(office, new_file(office, office.simple_type), Stage.APPROVAL)
    with pytest.raises(PermissionDenied):
        case_open(
            application=app,
            officer=app.assigned_to,
            actor=act(app.assigned_to),
            origin=CaseOrigin.SUPERVISOR,
            note="Dugaan.",
        )


def test_opening_a_case_needs_a_note_and_one_open_case_per_officer_and_file(office):
    app = walk(office, new_file(office), Stage.VERIFICATION)

    def open_(note, by=office.supervisor, officer=None):
        return case_open(
            application=app,
            officer=officer or app.assigned_to,
            actor=act(by),
            origin=CaseOrigin.AUDITOR if by == office.auditor else CaseOrigin.SUPERVISOR,
            note=note,
        )

    with pytest.raises(ActionRefused, match="dugaan"):
        open_("   ")
    assert not ConflictCase.objects.exists()
    open_("Dugaan pertama.")
    with pytest.raises(ActionRefused, match="Sudah ada kasus terbuka"):
        open_("Dugaan kedua.", by=office.auditor)
    with pytest.raises(ActionRefused, match="Sudah ada kasus terbuka"):
        file_declare(application=app, actor=act(app.assigned_to), has_conflict=True, **CONFLICT)
    assert ConflictCase.objects.count() == 1
    assert not FileDeclaration.objects.filter(application=app, has_conflict=True).exists()
    # Another officer on the same file is another case.
    open_("Dugaan atas petugas teknis.", officer=office.technical)
    assert ConflictCase.objects.count() == 2


# --- overdue escalation ----------------------------------------------------------------------


def test_overdue_steps_are_escalated_once_each(office):
    with time_machine.travel(datetime.datetime(2027, 3, 1, 10, tzinfo=datetime.UTC), tick=False):
        case = declared_case(submitted(office))
        assert escalate_overdue_cases() == 0
    with time_machine.travel(case.review_due - datetime.timedelta(minutes=1), tick=False):
        assert escalate_overdue_cases() == 0
    with time_machine.travel(case.review_due + datetime.timedelta(hours=1), tick=False):
        assert escalate_overdue_cases() == 1
        assert escalate_overdue_cases() == 0
        case = review(case, office.supervisor)
    assert kinds_to(office.head).count("integrity.case_overdue") == 1
    assert kinds_to(office.head2).count("integrity.case_overdue") == 1
    assert kinds_to(office.auditor) == []
    assert kinds_to(office.counter) == []  # the officer is not told who is late
    with time_machine.travel(case.decision_due + datetime.timedelta(hours=1), tick=False):
        assert escalate_overdue_cases() == 1
        assert escalate_overdue_cases() == 0
    assert kinds_to(office.auditor) == ["integrity.case_overdue"]
    assert kinds_to(office.head).count("integrity.case_overdue") == 1
    steps = [
        e.data["step"] for e in case.application.events.filter(action="integrity.case_overdue")
    ]
    assert steps == ["review", "decision"]


def test_a_closed_case_is_never_overdue(office):
    with time_machine.travel(datetime.datetime(2027, 3, 1, 10, tzinfo=datetime.UTC), tick=False):
        case = declared_case(submitted(office))
        case = decide(review(case, office.supervisor), office.head)
    with time_machine.travel(case.decision_due + datetime.timedelta(days=30), tick=False):
        assert escalate_overdue_cases() == 0
    assert not Message.objects.filter(kind="integrity.case_overdue").exists()


def test_the_periodic_task_escalates(office):
    from integrity.tasks import escalate_overdue_cases as task

    with time_machine.travel(datetime.datetime(2027, 3, 1, 10, tzinfo=datetime.UTC), tick=False):
        case = declared_case(submitted(office))
    with time_machine.travel(case.review_due + datetime.timedelta(hours=1), tick=False):
        assert task.delay().get() == 1


# --- field history -----------------------------------------------------------------------


def test_the_case_history_records_who_opened_reviewed_and_decided(office):
    case = declared_case(submitted(office))
    case = decide(review(case, office.supervisor), office.head)
    rows = list(case.history.order_by("history_date", "history_id"))
    assert [r.state for r in rows] == ["review", "decision", "closed"]
    assert [r.history_user for r in rows] == [office.counter, office.supervisor, office.head]
