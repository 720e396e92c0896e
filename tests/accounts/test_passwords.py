"""Weak passwords are refused at sign-up, reset and the admin's password change (issue 16,
point 9): compared with the person's own details, and with Indonesia's common passwords."""

import re
import uuid

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.models import Role, User
from accounts.passwords import NameWithDigitsValidator
from outbox.models import Message
from tests.accounts.kit import form

pytestmark = pytest.mark.django_db
NAME_WITH_DIGITS = "hanya nama Anda dengan angka"


def visitor():
    return Client(REMOTE_ADDR=f"2001:db8:{uuid.uuid4().hex[:4]}::1")


def sign_up(password, **overrides):
    return visitor().post(
        "/akun/daftar/", form(password1=password, password2=password, **overrides)
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("budi1234", NAME_WITH_DIGITS),
        ("1945santoso", NAME_WITH_DIGITS),
        ("BUDI2026", NAME_WITH_DIGITS),
        ("budi.santoso@contoh.id", "terlalu mirip"),
        ("3201014101900001", "terlalu mirip"),
        ("bismillah", "terlalu umum"),
        ("merdeka45", "terlalu umum"),
        ("Rahasia", "terlalu umum"),
        ("qwerty123", "terlalu umum"),
    ],
)
def test_sign_up_refuses_a_password_built_from_the_person_or_common(password, message):
    response = sign_up(password, identifier="budi.santoso@contoh.id", full_name="Budi Santoso")
    body = response.content.decode()
    assert response.status_code == 400 and message in body
    assert "Budi Santoso" in body  # what was typed stays
    assert not User.objects.exists()


@pytest.mark.parametrize("password", ["budiman-2026-terang", "terang-budi-pelayanan", "Bu1di234x"])
def test_a_password_with_more_than_a_name_and_digits_is_taken(password):
    response = sign_up(password, identifier="budi@contoh.id", full_name="Budi Santoso")
    assert response.status_code == 302
    assert User.objects.get().check_password(password)


def test_short_names_are_not_a_rule():
    """A two-letter name ("Ng") does not refuse every password that contains it."""
    user = User(full_name="Ng Li")
    NameWithDigitsValidator().validate("ng123456", user)
    with pytest.raises(ValidationError):
        NameWithDigitsValidator().validate("ali123456", User(full_name="Ali Ng"))


def test_the_message_has_an_english_translation():
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        validate_password("budi1234", User(full_name="Budi Santoso"))
    assert "only your name with digits" in " ".join(refused.value.messages)


def reset_code_page(user_identifier):
    client = visitor()
    client.post("/akun/lupa-sandi/", {"identifier": user_identifier})
    body = Message.objects.filter(kind="account.reset").latest("pk").body
    return client, re.search(r"\b(\d{6})\b", body).group(1)


def test_reset_refuses_the_name_with_digits_and_keeps_the_code_usable(make_user):
    budi = make_user(
        Role.APPLICANT, username="budi@contoh.id", email="budi@contoh.id", full_name="Budi Santoso"
    )
    client, code = reset_code_page("budi@contoh.id")
    weak = client.post(
        "/akun/lupa-sandi/kode/", {"code": code, "password1": "santoso99", "password2": "santoso99"}
    )
    assert weak.status_code == 400 and NAME_WITH_DIGITS in weak.content.decode()
    budi.refresh_from_db()
    assert not budi.check_password("santoso99")
    strong = "Sandi-Baru-Yang-Kuat-2027"
    done = client.post(
        "/akun/lupa-sandi/kode/", {"code": code, "password1": strong, "password2": strong}
    )
    assert done["Location"] == "/akun/masuk/"


def test_reset_tells_a_visitor_without_the_code_nothing_about_the_account(make_user):
    """The name rule needs the account, so it runs only after the code: a wrong code
    gets the same answer whether the password would fit the name or not."""
    make_user(
        Role.APPLICANT, username="budi@contoh.id", email="budi@contoh.id", full_name="Budi Santoso"
    )
    client, _code = reset_code_page("budi@contoh.id")
    response = client.post(
        "/akun/lupa-sandi/kode/",
        {"code": "000000", "password1": "budi1234", "password2": "budi1234"},
    )
    body = response.content.decode()
    assert "Kode salah atau kedaluwarsa." in body and NAME_WITH_DIGITS not in body


def test_the_admin_password_change_refuses_a_common_indonesian_password(client, make_user):
    admin = make_user(Role.ADMIN, username="root")
    officer = make_user(Role.COUNTER, username="andi", full_name="Andi Wijaya")
    client.force_login(admin)
    url = f"/admin/accounts/user/{officer.pk}/password/"
    for weak, message in (("sayangku", "terlalu umum"), ("wijaya2026", NAME_WITH_DIGITS)):
        response = client.post(
            url, {"password1": weak, "password2": weak, "usable_password": "true"}
        )
        assert response.status_code == 200 and message in response.content.decode()
