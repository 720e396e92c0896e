import pytest

from permits.models import ApplicationEvent, Stage
from tests.factories import fire, new_file, return_file, walk

pytestmark = pytest.mark.django_db


def test_a_file_with_every_optional_stage_walks_to_issued(office):
    app = new_file(office, office.full_type)
    seen = []
    for stage in [
        Stage.SUBMITTED,
        Stage.VERIFICATION,
        Stage.TECHNICAL_REVIEW,
        Stage.INSPECTION,
        Stage.AWAITING_PAYMENT,
        Stage.APPROVAL,
        Stage.SIGNING,
        Stage.ISSUED,
    ]:
        app = walk(office, app, stage)
        seen.append(app.state)
    assert app.state == Stage.ISSUED
    assert app.finished_at is not None
    assert app.registration_number.startswith("MPP-")


def test_a_type_without_optional_stages_never_enters_them(office):
    app = walk(office, new_file(office, office.simple_type), Stage.VERIFICATION)
    app = walk(office, app, Stage.APPROVAL)
    states = list(app.events.exclude(to_state="").values_list("to_state", flat=True))
    assert Stage.TECHNICAL_REVIEW not in states
    assert Stage.INSPECTION not in states
    assert Stage.AWAITING_PAYMENT not in states
    assert walk(office, app, Stage.ISSUED).state == Stage.ISSUED


def test_each_stage_goes_to_an_officer_of_the_right_unit(office):
    app = new_file(office, office.full_type)
    expected = {
        Stage.SUBMITTED: {office.counter, office.counter2},
        Stage.VERIFICATION: {office.counter, office.counter2},
        Stage.TECHNICAL_REVIEW: {office.technical, office.technical2},
        Stage.INSPECTION: {office.technical, office.technical2},
        Stage.AWAITING_PAYMENT: {office.cashier},
        Stage.APPROVAL: {office.supervisor, office.supervisor2},
        Stage.SIGNING: {office.head, office.head2},
    }
    for stage, officers in expected.items():
        app = walk(office, app, stage)
        assert app.assigned_to in officers, stage


def test_a_returned_file_comes_back_to_verification_when_resubmitted(office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    officer = app.assigned_to
    app = return_file(office, app)
    assert app.state == Stage.RETURNED
    assert app.applicant_deadline is not None
    app = fire(app, "resubmit", office.applicant)
    assert app.state == Stage.VERIFICATION
    assert app.assigned_to == officer
    assert app.applicant_deadline is None


def test_every_act_is_recorded_with_who_and_from_where(office):
    app = walk(office, new_file(office), Stage.TECHNICAL_REVIEW)
    actions = list(app.events.values_list("action", flat=True))
    assert actions[0] == "application.created"
    for expected in [
        "document.uploaded",
        "application.submitted",
        "application.assigned",
        "application.verification_started",
        "check.updated",
        "application.completed",
    ]:
        assert expected in actions
    submitted = app.events.get(action="application.submitted")
    assert submitted.actor == office.applicant
    assert submitted.actor_role == "applicant"
    assert (submitted.from_state, submitted.to_state) == (Stage.DRAFT, Stage.SUBMITTED)
    assert submitted.ip_address == "203.0.113.7"
    assert submitted.user_agent == "pytest"


def test_events_are_append_only(office):
    event = new_file(office).events.first()
    event.note = "rewritten"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
    assert ApplicationEvent.objects.get(pk=event.pk).note == ""


def test_field_history_names_the_acting_user(office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    latest = app.history.first()
    assert latest.state == Stage.VERIFICATION
    assert latest.history_user == app.assigned_to
    check = app.checks.first()
    assert check.history.count() >= 1
