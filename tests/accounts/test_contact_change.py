"""An applicant moves their account to a new e-mail address or phone number, proved by a code
sent there; the old address hears of it and stays in use until the code is entered."""

import re
import uuid

import pytest
from django.test import Client

from accounts.models import User
from outbox.models import Channel, Message
from tests.accounts.kit import PASSWORD, form, signed_up

pytestmark = pytest.mark.django_db
URL = "/akun/profil/kontak/"


def code_sent_to(address: str) -> str:
    body = Message.objects.filter(kind="account.change", address=address).latest("pk").body
    return re.search(r"\b(\d{6})\b", body).group(1)


@pytest.fixture
def siti():
    client = Client(REMOTE_ADDR=f"2001:db8:{uuid.uuid4().hex[:4]}::1")
    signed_up(client)
    return client


def test_a_new_phone_is_taken_only_with_the_code_sent_to_it(siti):
    response = siti.post(URL, {"identifier": "0813 2222 3333", "password": PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(username="siti@contoh.id")
    assert user.phone == ""  # nothing changes before the code
    sms = Message.objects.get(kind="account.change")
    assert sms.channel == Channel.SMS and sms.address == "+6281322223333"
    warning = Message.objects.get(kind="account.change_requested")
    assert warning.address == "siti@contoh.id" and "+6281322223333" in warning.body

    wrong = siti.post(URL, {"code": "000000" if code_sent_to(sms.address) != "000000" else "1"})
    assert wrong.status_code == 400 and "Kode salah" in wrong.content.decode()
    response = siti.post(URL, {"code": code_sent_to("+6281322223333")})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone == "+6281322223333" and user.phone_verified_at is not None
    assert user.username == "siti@contoh.id"  # signed up by e-mail: still signs in with it
    assert user.history.first().history_user == user


def test_a_new_email_becomes_the_sign_in_name_when_the_old_one_was(siti):
    siti.post(URL, {"identifier": "Siti.Baru@Contoh.id", "password": PASSWORD})
    siti.post(URL, {"code": code_sent_to("siti.baru@contoh.id")})
    user = User.objects.get(email="siti.baru@contoh.id")
    assert user.username == "siti.baru@contoh.id" and user.email_verified_at is not None
    fresh = Client(REMOTE_ADDR="2001:db8:99::1")
    signed_in = fresh.post(
        "/akun/masuk/", {"username": "siti.baru@contoh.id", "password": PASSWORD}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == "/"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"identifier": "0813 2222 3333", "password": "salah"}, "Kata sandi salah."),
        ({"identifier": "siti@contoh.id", "password": PASSWORD}, "sudah alamat akun Anda"),
        ({"identifier": "021-555-1234", "password": PASSWORD}, "nomor ponsel Indonesia"),
        ({"identifier": "", "password": PASSWORD}, "Masukkan surel atau nomor ponsel baru."),
        ({"identifier": "0813 2222 3333", "password": ""}, "Masukkan kata sandi Anda."),
    ],
)
def test_bad_requests_are_explained_and_send_nothing(siti, data, message):
    response = siti.post(URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Message.objects.filter(kind="account.change").exists()


def test_an_address_of_another_account_is_refused(siti):
    Client(REMOTE_ADDR="2001:db8:5::1").post(
        "/akun/daftar/", form(identifier="budi@contoh.id", nik="3201010101900002")
    )
    response = siti.post(URL, {"identifier": "budi@contoh.id", "password": PASSWORD})
    assert response.status_code == 400
    assert "sudah dipakai akun lain" in response.content.decode()


def test_a_code_for_one_account_does_not_work_for_another(siti):
    siti.post(URL, {"identifier": "0813 2222 3333", "password": PASSWORD})
    code = code_sent_to("+6281322223333")
    other = Client(REMOTE_ADDR="2001:db8:6::1")
    signed_up(other, identifier="budi@contoh.id", nik="3201010101900002")
    response = other.post(URL, {"code": code})
    assert response.status_code == 400
    assert User.objects.get(username="budi@contoh.id").phone == ""


def test_the_page_needs_a_signed_in_person(db):
    response = Client().get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/")
