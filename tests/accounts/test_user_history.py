import pytest

from accounts.models import Role

pytestmark = pytest.mark.django_db


def test_a_role_change_leaves_history_with_the_acting_administrator(client, make_user):
    admin = make_user(Role.ADMIN, username="root")
    officer = make_user(Role.COUNTER, username="andi")
    client.force_login(admin)
    page = client.get(f"/admin/accounts/user/{officer.pk}/change/")
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "username": "andi",
            "full_name": officer.full_name,
            "role": Role.SUPERVISOR,
            "unit": officer.unit_id,
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
            "is_active": "on",
        }
    )
    data.pop("groups", None)
    data.pop("user_permissions", None)
    data.pop("last_login", None)
    data.pop("supervisor", None)
    data.pop("date_joined", None)
    response = client.post(f"/admin/accounts/user/{officer.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    officer.refresh_from_db()
    assert officer.role == Role.SUPERVISOR
    change = officer.history.first()
    assert change.role == Role.SUPERVISOR
    assert change.history_user == admin
    assert not hasattr(change, "password")


def test_staff_and_auditors_are_told_apart(make_user):
    assert make_user(Role.COUNTER).is_officer
    assert not make_user(Role.APPLICANT).is_officer
    auditor = make_user(Role.AUDITOR)
    assert auditor.is_auditor and not auditor.is_officer
