import pytest
from django.core.exceptions import PermissionDenied

from permits.models import CheckStatus, Stage
from permits.services.checks import check_update
from permits.services.context import ActionRefused
from permits.services.documents import document_upload
from tests.factories import act, new_file, pdf, walk

pytestmark = pytest.mark.django_db


def verifying(office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    return app, app.checks.get(requirement__code="STR")


def test_the_assigned_officer_records_a_verdict(office):
    app, check = verifying(office)
    check_update(check=check, status=CheckStatus.OK, note="", actor=act(app.assigned_to))
    check.refresh_from_db()
    assert (check.status, check.checked_by) == (CheckStatus.OK, app.assigned_to)
    event = app.events.get(action="check.updated")
    assert event.data == {"requirement": "STR", "from": "pending", "to": "ok"}


@pytest.mark.parametrize("who", ["other_counter", "technical", "applicant", "auditor"])
def test_nobody_else_records_verdicts(office, who):
    app, check = verifying(office)
    user = {
        "other_counter": office.counter2 if app.assigned_to == office.counter else office.counter,
        "technical": office.technical,
        "applicant": office.applicant,
        "auditor": office.auditor,
    }[who]
    with pytest.raises(PermissionDenied):
        check_update(check=check, status=CheckStatus.OK, note="", actor=act(user))


def test_missing_or_invalid_needs_a_note(office):
    app, check = verifying(office)
    with pytest.raises(ActionRefused, match="catatan"):
        check_update(check=check, status=CheckStatus.MISSING, note=" ", actor=act(app.assigned_to))


def test_invalid_turns_ok_only_with_a_newer_document_or_a_note(office):
    app, check = verifying(office)
    officer = act(app.assigned_to)
    check_update(check=check, status=CheckStatus.INVALID, note="Buram", actor=officer)
    with pytest.raises(ActionRefused, match="belum ada dokumen baru"):
        check_update(check=check, status=CheckStatus.OK, note="", actor=officer)
    check_update(
        check=check, status=CheckStatus.OK, note="Asli diperlihatkan di loket", actor=officer
    )
    assert check.status == CheckStatus.OK


def test_a_newer_document_lets_an_invalid_check_turn_ok(office):
    app = new_file(office, online=False)  # counter staff upload scans for walk-in files
    app = walk(office, app, Stage.VERIFICATION)
    check = app.checks.get(requirement__code="STR")
    officer = act(app.assigned_to)
    check_update(check=check, status=CheckStatus.INVALID, note="Buram", actor=officer)
    document_upload(application=app, requirement=check.requirement, uploaded=pdf(), actor=officer)
    check_update(check=check, status=CheckStatus.OK, note="", actor=officer)
    assert check.status == CheckStatus.OK
