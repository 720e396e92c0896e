"""Every transition, for every kind of user: allowed ones move the file, others are refused
in the service and model layer and change nothing."""

import pytest
from django.core.exceptions import PermissionDenied

from permits.models import Application, CheckStatus, Stage
from permits.services.applications import application_return, application_submit
from permits.services.context import ActionRefused
from tests.factories import (
    act,
    fire,
    mark_all_ok,
    new_file,
    pay,
    return_file,
    upload_mandatory,
    walk,
)

PERSONAS = [
    "applicant",
    "other_applicant",
    "assigned",
    "other_counter",
    "other_technical",
    "supervisor",
    "head",
    "cashier",
    "auditor",
    "admin",
    "system",
]

# transition -> (source stage, personas allowed)
MATRIX = {
    "submit": (Stage.DRAFT, {"applicant"}),
    "begin_verification": (Stage.SUBMITTED, {"assigned"}),
    "return_to_applicant": (Stage.VERIFICATION, {"assigned"}),
    "resubmit": (Stage.RETURNED, {"applicant"}),
    "declare_complete": (Stage.VERIFICATION, {"assigned"}),
    "finish_review": (Stage.TECHNICAL_REVIEW, {"assigned"}),
    "finish_inspection": (Stage.INSPECTION, {"assigned"}),
    # The cashier holds it; the system is the bank's signed callback.
    "confirm_payment": (Stage.AWAITING_PAYMENT, {"cashier", "assigned", "system"}),
    "approve": (Stage.APPROVAL, {"assigned"}),
    "sign": (Stage.SIGNING, {"assigned"}),
    "reject": (Stage.APPROVAL, {"assigned"}),
    "withdraw": (Stage.TECHNICAL_REVIEW, {"applicant"}),
    "expire": (Stage.RETURNED, {"system"}),
}


def persona_user(office, app, persona):
    if persona == "system":
        return None
    if persona == "assigned":
        return app.assigned_to
    if persona == "other_counter":
        return office.counter2 if app.assigned_to == office.counter else office.counter
    if persona == "other_technical":
        return office.technical2 if app.assigned_to == office.technical else office.technical
    if persona == "supervisor":  # a supervisor who does not hold the file
        return office.supervisor2 if app.assigned_to == office.supervisor else office.supervisor
    if persona == "head":
        return office.head2 if app.assigned_to == office.head else office.head
    return getattr(office, persona)


def file_in(office, stage):
    app = new_file(office, office.full_type)
    if stage == Stage.DRAFT:
        upload_mandatory(office, app)
        return app
    if stage == Stage.RETURNED:
        return return_file(office, walk(office, app, Stage.VERIFICATION))
    app = walk(office, app, stage)
    if stage == Stage.VERIFICATION:
        mark_all_ok(app, app.assigned_to)
    return app


def attempt(office, app, name, user):
    if name == "submit":
        return (
            application_submit(application=app, actor=act(user)) if user else fire(app, name, user)
        )
    if name == "return_to_applicant":
        check = app.checks.get(requirement__code="STR")
        return application_return(
            application=app,
            actor=act(user),
            findings={check.pk: (CheckStatus.INVALID, "STR tidak terbaca.")},
        )
    if name == "confirm_payment":  # only by recording the payment (issuance.services.billing)
        return pay(office, app, by=user).application
    extra = (
        {"reason": "Lokasi tidak sesuai tata ruang.", "legal_basis": "Perda 1/2024"}
        if name == "reject"
        else {}
    )
    return fire(app, name, user, **extra)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", list(MATRIX))
def test_who_may_fire_each_transition(office, name, persona):
    source, allowed = MATRIX[name]
    app = file_in(office, source)
    assert app.state == source
    user = persona_user(office, app, persona)
    events_before = app.events.count()
    if persona in allowed:
        moved = attempt(office, app, name, user)
        assert moved.state != source
        assert app.events.count() > events_before
    else:
        with pytest.raises((PermissionDenied, ActionRefused)):
            attempt(office, app, name, user)
        fresh = Application.objects.get(pk=app.pk)
        assert fresh.state == source
        assert fresh.events.count() == events_before


def test_confirm_payment_without_a_recorded_payment_is_refused(office):
    app = file_in(office, Stage.AWAITING_PAYMENT)
    with pytest.raises(ActionRefused, match="nomor bukti bayar"):
        fire(app, "confirm_payment", office.cashier)
    assert Application.objects.get(pk=app.pk).state == Stage.AWAITING_PAYMENT


def test_the_model_itself_refuses_an_unauthorised_transition(office):
    app = walk(office, new_file(office), Stage.APPROVAL)
    with pytest.raises(PermissionDenied):
        app.approve(by=office.counter, at=app.stage_entered_at)
    assert app.state == Stage.APPROVAL


def test_the_state_field_cannot_be_set_directly(office):
    app = new_file(office)
    with pytest.raises(AttributeError):
        app.state = Stage.ISSUED


@pytest.mark.parametrize("name", ["submit", "resubmit", "withdraw"])
def test_counter_staff_act_for_walk_in_applicants_only(office, name):
    walk_in = new_file(office, online=False)
    online = new_file(office, online=True)
    if name == "submit":
        assert walk_in.may_fire("submit", office.counter2)
        assert not online.may_fire("submit", office.counter2)
        return
    walk_in = walk(office, walk_in, Stage.VERIFICATION)
    online = walk(office, online, Stage.VERIFICATION)
    if name == "resubmit":
        walk_in, online = return_file(office, walk_in), return_file(office, online)
    assert walk_in.may_fire(name, office.counter2)
    assert not online.may_fire(name, office.counter2)


def test_the_verifier_cannot_approve_even_when_made_supervisor(office):
    app = walk(office, new_file(office, office.simple_type), Stage.APPROVAL)
    verifier = app.verified_by
    verifier.role = "supervisor"
    verifier.save()
    app.refresh_from_db()
    app.assigned_to = verifier
    with pytest.raises(PermissionDenied):
        app.approve(by=verifier, at=app.stage_entered_at)


def test_an_officer_who_is_the_applicant_cannot_act_on_their_own_file(office):
    from permits.services.applications import application_create

    office.counter.role = "applicant"
    app = application_create(
        permit_type=office.simple_type,
        actor=act(office.counter),
        applicant_name="Andi",
        applicant_nik="3201010101900002",
    )
    office.counter.role = "counter"
    office.counter.save()
    upload_mandatory_as = app
    assert app.applicant == office.counter
    assert not app.may_fire("begin_verification", office.counter)
    assert upload_mandatory_as.may_fire("withdraw", office.counter)


def test_rejection_needs_a_reason_and_its_legal_basis(office):
    app = walk(office, new_file(office), Stage.APPROVAL)
    with pytest.raises(ActionRefused, match="alasan dan dasar hukum"):
        fire(app, "reject", app.assigned_to, reason="Tidak sesuai", legal_basis=" ")
    app = fire(
        app,
        "reject",
        app.assigned_to,
        reason="Tidak sesuai tata ruang",
        legal_basis="Perda Kabupaten Sukamaju Nomor 1 Tahun 2024",
    )
    assert app.state == Stage.REJECTED
    assert app.rejection_legal_basis.startswith("Perda")


def test_a_return_needs_a_note_for_each_finding(office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    check = app.checks.first()
    with pytest.raises(ActionRefused):
        application_return(
            application=app,
            actor=act(app.assigned_to),
            findings={check.pk: (CheckStatus.MISSING, "  ")},
        )
    with pytest.raises(ActionRefused):
        application_return(application=app, actor=act(app.assigned_to), findings={})
    assert Application.objects.get(pk=app.pk).state == Stage.VERIFICATION


def test_a_file_is_complete_only_when_every_mandatory_requirement_is_ok(office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    with pytest.raises(ActionRefused, match="persyaratan wajib"):
        fire(app, "declare_complete", app.assigned_to)
