"""Accounts are deactivated in the admin, never deleted (their acts stay on the record)."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_admin_offers_no_deletion_of_accounts(client, make_user):
    admin = make_user("admin", username="root")
    officer = make_user("counter", username="loket9")
    client.force_login(admin)
    assert client.get(f"/admin/accounts/user/{officer.pk}/delete/").status_code == 403
    page = client.get(f"/admin/accounts/user/{officer.pk}/change/").content.decode()
    assert f"/admin/accounts/user/{officer.pk}/delete/" not in page
    assert client.get(f"/admin/accounts/user/{officer.pk}/change/").status_code == 200
