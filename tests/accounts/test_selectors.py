"""Who can be held responsible: one selector for findings, sanctions and register reminders."""

import pytest

from accounts.models import Role
from accounts.selectors import responsible_staff
from integrity.inspection.forms import FindingForm
from integrity.models import Sanction

pytestmark = pytest.mark.django_db
SANCTIONS = "/kantor/integritas/sanksi/"


@pytest.fixture
def people(make_user):
    made = {
        role: make_user(role, username=f"u-{role}", full_name=f"Pegawai {role}")
        for role in Role.values
    }
    made["former"] = make_user(
        Role.COUNTER, username="u-former", full_name="Mantan Petugas Loket", is_active=False
    )
    return made


def test_responsible_staff_are_active_staff_but_administrators(people):
    names = set(responsible_staff().values_list("username", flat=True))
    assert names == {
        "u-counter",
        "u-technical",
        "u-supervisor",
        "u-head",
        "u-cashier",
    }


def test_a_former_officer_is_offered_for_no_new_sanction(client, people):
    client.force_login(people[Role.AUDITOR])
    page = client.get(SANCTIONS).content.decode()
    assert "Pegawai counter" in page
    assert "Mantan Petugas Loket" not in page
    assert "Pegawai admin" not in page
    response = client.post(
        SANCTIONS,
        {
            "officer": people["former"].pk,
            "level": "light",
            "kind": "reprimand_oral",
            "decree_number": "800/1/2026",
            "decided_on": "2026-11-20",
            "decided_by": "Bupati Sukamaju",
            "description": "Menerima gratifikasi tanpa melapor.",
        },
    )
    assert response.status_code == 400
    assert "Masukkan pilihan yang valid" in response.content.decode()
    assert not Sanction.objects.exists()


def test_a_finding_names_no_former_officer(people):
    offered = {user.username for user in FindingForm().fields["responsible"].queryset}
    assert "u-former" not in offered
    assert "u-counter" in offered
