"""What each person may do on a file: one answer (``permits.rights.file_rights``) for every
page that shows it."""

import pytest

from permits.models import Stage
from permits.rights import file_rights
from tests.factories import new_file, walk

pytestmark = pytest.mark.django_db
PEOPLE = ("counter", "technical", "cashier", "supervisor", "head", "auditor", "applicant")


def _rights(office, app, who):
    return file_rights(app, getattr(office, who))


@pytest.mark.parametrize("who", PEOPLE)
def test_only_the_cashier_records_a_payment_and_only_while_it_is_due(office, who):
    due = walk(office, new_file(office), Stage.AWAITING_PAYMENT)
    assert _rights(office, due, who).may_pay is (who == "cashier")
    signing = walk(office, new_file(office), Stage.SIGNING)
    assert _rights(office, signing, "cashier").may_pay is False


@pytest.mark.parametrize("who", PEOPLE)
def test_only_the_head_revokes_and_only_an_issued_permit(office, who):
    issued = walk(office, new_file(office, office.simple_type), Stage.ISSUED)
    assert _rights(office, issued, who).may_revoke is (who == "head")
    signing = walk(office, new_file(office, office.simple_type), Stage.SIGNING)
    assert _rights(office, signing, "head").may_revoke is False


@pytest.mark.parametrize("who", PEOPLE)
def test_supervisors_reassign_a_file_someone_holds(office, who):
    held = walk(office, new_file(office), Stage.VERIFICATION)
    assert _rights(office, held, who).may_reassign is (who in {"supervisor", "head"})
    issued = walk(office, new_file(office, office.simple_type), Stage.ISSUED)
    assert _rights(office, issued, "supervisor").may_reassign is False


def test_the_holder_sees_the_buttons_of_the_stage_and_nobody_else_does(office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    holder = app.assigned_to
    rights = file_rights(app, holder)
    assert rights.actions == ("declare_complete",)
    assert rights.may_return and rights.may_check
    other = office.counter2 if holder == office.counter else office.counter
    assert file_rights(app, other).actions == ()
    assert not file_rights(app, other).may_check


def test_the_page_shows_what_the_rights_say(client, office):
    app = walk(office, new_file(office), Stage.AWAITING_PAYMENT)
    client.force_login(office.cashier)
    page = client.get(f"/kantor/berkas/{app.public_id}/").content.decode()
    assert "Catat pembayaran retribusi" in page
    assert f'action="/kantor/berkas/{app.public_id}/bayar/"' in page
    client.force_login(office.supervisor)
    page = client.get(f"/kantor/berkas/{app.public_id}/").content.decode()
    assert "Catat pembayaran retribusi" not in page
