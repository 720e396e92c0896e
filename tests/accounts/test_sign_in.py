"""Two-step sign-in for staff (password, then a TOTP code) and lockout after failures."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from accounts.twofactor import current_code
from tests.conftest import LOGIN, password_step

CODE = "/akun/masuk/kode/"


def signed_in_as(client):
    return client.get(reverse("backoffice:worklist")).status_code == 200


def test_an_applicant_signs_in_with_a_password_alone(plain_client, person):
    user = person(Role.APPLICANT)
    response = password_step(plain_client, user)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert plain_client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_password_is_refused_with_a_message(plain_client, person):
    user = person()
    response = password_step(plain_client, user, password="salah")
    assert response.status_code == 200
    assert "dan sandi yang benar" in response.content.decode()
    assert "_auth_user_id" not in plain_client.session


def test_a_partner_systems_account_never_signs_in_even_with_a_password(plain_client, person):
    """Its account exists for the API (``api.Partner.account``); an administrator who gave
    it a password still gets no session for it."""
    user = person(Role.PARTNER)
    response = password_step(plain_client, user)
    assert response.status_code == 200
    assert "dan sandi yang benar" in response.content.decode()
    assert "_auth_user_id" not in plain_client.session


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.APPLICANT, Role.PARTNER)])
def test_the_password_alone_never_signs_staff_in(plain_client, person, role):
    user = person(role)
    response = password_step(plain_client, user)
    assert response.status_code == 302
    assert response["Location"] == CODE
    assert "_auth_user_id" not in plain_client.session
    assert plain_client.get(reverse("backoffice:worklist")).status_code == 302


def test_first_sign_in_enrols_an_authenticator_then_signs_in(plain_client, person):
    user = person()
    password_step(plain_client, user)
    page = plain_client.get(CODE).content.decode()
    assert "<svg" in page and "pindai kode QR" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    wrong_code = "000000" if current_code(device) != "000000" else "111111"
    wrong = plain_client.post(CODE, {"token": wrong_code})
    assert "Kode salah atau sudah kedaluwarsa" in wrong.content.decode()
    assert "_auth_user_id" not in plain_client.session

    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    response = plain_client.post(CODE, {"token": current_code(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:worklist")
    device.refresh_from_db()
    assert device.confirmed
    assert signed_in_as(plain_client)


def test_an_enrolled_officer_enters_the_code_and_lands_where_they_were_going(plain_client, person):
    user = person()
    device = TOTPDevice.objects.create(user=user, name="ponsel", confirmed=True)
    target = reverse("backoffice:team")
    password_step(plain_client, user, next_url=target)
    page = plain_client.get(CODE).content.decode()
    assert "<svg" not in page
    response = plain_client.post(CODE, {"token": current_code(device)})
    assert response["Location"] == target


def test_a_foreign_next_address_is_ignored(plain_client, person):
    user = person()
    device = TOTPDevice.objects.create(user=user, name="ponsel", confirmed=True)
    password_step(plain_client, user, next_url="https://contoh-jahat.example/")
    response = plain_client.post(CODE, {"token": current_code(device)})
    assert response["Location"] == reverse("backoffice:worklist")


def test_the_code_page_needs_the_password_step_first(plain_client, person):
    assert plain_client.get(CODE)["Location"] == LOGIN


def test_the_password_step_lapses_after_five_minutes(plain_client, person):
    user = person()
    TOTPDevice.objects.create(user=user, name="ponsel", confirmed=True)
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC), tick=False) as clock:
        password_step(plain_client, user)
        clock.shift(dt.timedelta(minutes=6))
        assert plain_client.get(CODE)["Location"] == LOGIN


def test_an_empty_code_gets_a_clear_message(plain_client, person):
    user = person()
    TOTPDevice.objects.create(user=user, name="ponsel", confirmed=True)
    password_step(plain_client, user)
    page = plain_client.post(CODE, {"token": ""}).content.decode()
    assert "Masukkan kode 6 angka dari aplikasi autentikator." in page


def test_a_session_without_the_second_factor_is_ended(plain_client, person):
    """However a staff session appears (here: force_login), without a code it is refused."""
    user = person(Role.SUPERVISOR)
    plain_client.force_login(user)
    response = plain_client.get(reverse("backoffice:team"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in plain_client.session


def test_the_admin_login_form_is_replaced_by_the_two_step_sign_in(plain_client, db):
    response = plain_client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == LOGIN + "?next=/admin/"


def test_five_wrong_passwords_lock_the_account_for_this_address(plain_client, person, settings):
    user = person()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert password_step(plain_client, user, password="salah").status_code == 200
    locked = password_step(plain_client, user, password="salah")
    assert locked.status_code == 429
    assert "Akun dikunci sementara" in locked.content.decode()
    assert "Coba lagi setelah 30 menit" in locked.content.decode()
    # Even the right password is refused while locked.
    assert password_step(plain_client, user).status_code == 429


def test_the_lock_lifts_after_the_cool_off(plain_client, person, settings):
    user = person(Role.APPLICANT)
    start = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            password_step(plain_client, user, password="salah")
        assert password_step(plain_client, user).status_code == 429
        clock.shift(settings.AXES_COOLOFF_TIME + dt.timedelta(minutes=1))
        assert password_step(plain_client, user).status_code == 302


def test_wrong_codes_count_towards_the_lockout(plain_client, person, settings):
    user = person()
    device = TOTPDevice.objects.create(user=user, name="ponsel", confirmed=True)
    password_step(plain_client, user)
    wrong = "000000" if current_code(device) != "000000" else "111111"
    statuses = [
        plain_client.post(CODE, {"token": wrong}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert statuses[-1] == 429
    # Locked: the right code no longer helps.
    response = plain_client.post(CODE, {"token": current_code(device)})
    assert response.status_code == 429
    assert "_auth_user_id" not in plain_client.session


def test_the_demo_shows_the_current_code_only_with_debug_on(
    plain_client, person, settings, window_start
):
    user = person()
    device = TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
    password_step(plain_client, user)
    settings.DEBUG = False
    assert "Mode demo" not in plain_client.get(CODE).content.decode()
    settings.DEBUG = True
    window_start(30)
    page = plain_client.get(CODE).content.decode()
    assert f"<strong>{current_code(device)}</strong>" in page


def test_a_real_device_never_gets_the_demo_hint(plain_client, person, settings):
    user = person()
    TOTPDevice.objects.create(user=user, name="ponsel", confirmed=True)
    password_step(plain_client, user)
    settings.DEBUG = True
    assert "Mode demo" not in plain_client.get(CODE).content.decode()


def test_a_code_works_once_and_the_demo_hint_moves_on(plain_client, person, settings):
    user = person()
    device = TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
    settings.DEBUG = True
    password_step(plain_client, user)
    used = current_code(device)
    assert plain_client.post(CODE, {"token": used}).status_code == 302
    plain_client.post("/akun/keluar/")
    password_step(plain_client, user)
    assert plain_client.post(CODE, {"token": used}).status_code == 200  # replay refused
    device.refresh_from_db()
    device.throttle_reset()  # a failed code makes the next attempt wait a second
    page = plain_client.get(CODE).content.decode()
    assert f"<strong>{used}</strong>" not in page
    assert plain_client.post(CODE, {"token": current_code(device)}).status_code == 302
