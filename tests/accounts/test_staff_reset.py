"""A staff password is reset by an administrator, with the second factor (issue 16, 6)."""

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from accounts.services import staff_credentials_reset

pytestmark = pytest.mark.django_db
ACTION = "credentials_reset"


@pytest.fixture
def andi(make_user):
    officer = make_user(Role.COUNTER, username="andi")
    TOTPDevice.objects.create(user=officer, name="authenticator", confirmed=True)
    return officer


def test_the_admin_action_gives_a_temporary_password_and_a_new_enrolment(client, make_user, andi):
    admin = make_user(Role.ADMIN, username="root")
    client.force_login(admin)
    page = client.get("/admin/accounts/user/").content.decode()
    assert "Setel ulang sandi dan faktor kedua" in page
    response = client.post(
        "/admin/accounts/user/", {"action": ACTION, "_selected_action": [andi.pk]}, follow=True
    )
    body = response.content.decode()
    temporary = re.search(r"Sandi sementara andi: (\S+) ", body).group(1)
    andi.refresh_from_db()
    assert andi.check_password(temporary)
    assert not TOTPDevice.objects.filter(user=andi).exists()
    change = andi.history.first()
    assert change.history_user == admin
    assert change.history_change_reason == "Sandi dan faktor kedua disetel ulang oleh administrator"

    # At the next sign-in Andi enrols a new authenticator (a QR code to scan).
    fresh = Client(REMOTE_ADDR="2001:db8:41::1")
    step = fresh.post("/akun/masuk/", {"username": "andi", "password": temporary})
    assert step["Location"] == "/akun/masuk/kode/"
    assert "pindai kode QR" in fresh.get("/akun/masuk/kode/").content.decode()


def test_the_reset_ends_sessions_signed_in_with_the_old_device(client, make_user, andi):
    client.force_login(andi)  # the test client's own confirmed device
    assert client.get("/kantor/").status_code == 200
    staff_credentials_reset(user=andi, by=make_user(Role.ADMIN, username="root"))
    assert client.get("/kantor/").status_code == 302


def test_staff_without_the_change_right_do_not_get_the_action(client, make_user, andi):
    viewer = make_user(Role.COUNTER, username="budi", is_staff=True)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_user"))
    client.force_login(viewer)
    page = client.get("/admin/accounts/user/")
    assert (
        page.status_code == 200
        and "Setel ulang sandi dan faktor kedua" not in page.content.decode()
    )
    client.post("/admin/accounts/user/", {"action": ACTION, "_selected_action": [andi.pk]})
    assert TOTPDevice.objects.filter(user=andi).exists()
