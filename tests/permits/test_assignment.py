import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import Role
from permits.assignment import _rules as eligibility_rules
from permits.assignment import officer_may_take, register_eligibility_rule
from permits.models import Stage
from permits.services.applications import application_reassign
from permits.services.context import ActionRefused
from tests.factories import act, new_file, walk

pytestmark = pytest.mark.django_db


def test_files_go_to_the_least_loaded_counter_officer(office):
    owners = [walk(office, new_file(office), Stage.SUBMITTED).assigned_to for _ in range(4)]
    assert owners.count(office.counter) == 2
    assert owners.count(office.counter2) == 2


def test_technical_stages_go_to_the_types_opd_only(office, make_user):
    from tests.factories import OPDFactory

    outsider = make_user(Role.TECHNICAL, username="teknis.pupr", unit=OPDFactory(code="DPUPR"))
    app = walk(office, new_file(office), Stage.TECHNICAL_REVIEW)
    assert app.assigned_to.unit == office.dinkes
    assert not officer_may_take(outsider, app) or outsider.unit != office.dinkes


def test_an_eligibility_rule_keeps_an_officer_away(office):
    def not_counter(officer, application):
        return officer != office.counter

    register_eligibility_rule(not_counter)
    try:
        owners = {walk(office, new_file(office), Stage.SUBMITTED).assigned_to for _ in range(3)}
        assert owners == {office.counter2}
    finally:
        eligibility_rules.remove(not_counter)


def test_with_no_eligible_officer_the_file_waits_unassigned(office):
    office.counter.is_active = office.counter2.is_active = False
    office.counter.save()
    office.counter2.save()
    app = walk(office, new_file(office), Stage.SUBMITTED)
    assert app.assigned_to is None
    assert app.events.filter(action="application.assigned").last().data["to"] is None


def test_a_supervisor_reassigns_with_a_reason(office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    other = office.counter2 if app.assigned_to == office.counter else office.counter
    with pytest.raises(ActionRefused):
        application_reassign(
            application=app, officer=other, actor=act(office.supervisor), reason=" "
        )
    app = application_reassign(
        application=app, officer=other, actor=act(office.supervisor), reason="Petugas cuti sakit"
    )
    assert app.assigned_to == other
    event = app.events.get(action="application.reassigned")
    assert event.note == "Petugas cuti sakit" and event.actor == office.supervisor


@pytest.mark.parametrize("role", ["counter", "technical", "cashier", "auditor", "applicant"])
def test_only_supervisors_reassign(office, role):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    user = {
        "counter": office.counter2,
        "technical": office.technical,
        "cashier": office.cashier,
        "auditor": office.auditor,
        "applicant": office.applicant,
    }[role]
    with pytest.raises(PermissionDenied):
        application_reassign(application=app, officer=office.counter2, actor=act(user), reason="x")


def test_a_file_cannot_be_reassigned_to_the_wrong_role_or_unit(office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    with pytest.raises(ActionRefused, match="tidak dapat menangani"):
        application_reassign(
            application=app, officer=office.technical, actor=act(office.supervisor), reason="x"
        )


def test_approval_never_goes_to_the_verifier(office):
    app = walk(office, new_file(office, office.full_type), Stage.TECHNICAL_REVIEW)
    verifier = app.verified_by
    verifier.role = Role.SUPERVISOR  # promoted while the file was with the OPD
    verifier.save()
    for _ in range(3):  # the verifier is the least loaded supervisor
        walk(office, new_file(office, office.simple_type), Stage.APPROVAL)
    app = walk(office, app, Stage.APPROVAL)
    assert app.assigned_to != verifier
    assert not officer_may_take(verifier, app)
    with pytest.raises(ActionRefused):
        application_reassign(
            application=app, officer=verifier, actor=act(office.head), reason="Beban kerja"
        )
