"""Applicant sign-up, contact verification by code, password reset by code."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.test import Client

from accounts.models import ContactCode, Role, User
from outbox.models import Channel, Message
from tests.accounts.kit import PASSWORD, form, last_code, signed_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor():
    return Client(REMOTE_ADDR=f"2001:db8:{uuid.uuid4().hex[:4]}::1")


def test_an_applicant_signs_up_with_email_and_verifies_it(visitor):
    response = visitor.post("/akun/daftar/", form())
    assert response.status_code == 302 and response["Location"] == "/akun/verifikasi/"
    user = User.objects.get(username="siti@contoh.id")
    assert user.role == Role.APPLICANT and user.email == "siti@contoh.id"
    assert user.nik == "3201014101900001" and not user.is_verified_contact
    message = Message.objects.get(kind="account.verify")
    assert message.channel == Channel.EMAIL and message.address == "siti@contoh.id"
    code = last_code()
    assert code not in ContactCode.objects.get(user=user).code_hash  # only a keyed hash

    response = visitor.post("/akun/verifikasi/", {"code": code})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_verified_at is not None


def test_a_phone_number_in_any_usual_form_becomes_plus_62_and_gets_an_sms(visitor):
    visitor.post("/akun/daftar/", form(identifier="0812-3456-7890"))
    user = User.objects.get(phone="+6281234567890")
    assert user.username == "+6281234567890" and user.email == ""
    assert Message.objects.get(kind="account.verify").channel == Channel.SMS
    visitor.post("/akun/verifikasi/", {"code": last_code()})
    user.refresh_from_db()
    assert user.phone_verified_at is not None


def test_the_applicant_then_signs_in_with_the_phone_typed_differently(visitor):
    visitor.post("/akun/daftar/", form(identifier="0812-3456-7890"))
    fresh = Client(REMOTE_ADDR="2001:db8:77::1")
    response = fresh.post("/akun/masuk/", {"username": "+62 812 3456 7890", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"nik": "3201013102900001"}, "Tanggal lahir pada NIK tidak sah."),
        ({"nik": "12345"}, "NIK terdiri dari 16 angka."),
        ({"identifier": "021-555-1234"}, "nomor ponsel Indonesia"),
        ({"identifier": "bukan surel"}, "alamat surel atau nomor ponsel"),
        ({"password2": "lain-sama-sekali-2026"}, "Kedua kata sandi tidak sama."),
        ({"password1": "12345678", "password2": "12345678"}, "terlalu umum"),
        ({"is_business": "on", "business_name": "CV Maju"}, "NIB terdiri dari 13 angka."),
        ({"is_business": "on", "nib": "1234567890123"}, "Isi nama usaha."),
        ({"full_name": ""}, "Bidang ini tidak boleh kosong"),
    ],
)
def test_bad_input_is_explained_and_the_rest_of_the_form_kept(visitor, overrides, field_message):
    response = visitor.post("/akun/daftar/", form(**overrides))
    body = response.content.decode()
    assert response.status_code == 400
    assert field_message in body
    assert "Jl. Merdeka 1, Sukamaju" in body  # what was typed stays
    assert PASSWORD not in body  # passwords are not echoed back
    assert not User.objects.exists()


def test_a_business_applicant_keeps_name_and_nib(visitor):
    visitor.post(
        "/akun/daftar/",
        form(is_business="on", business_name="CV Maju Jaya", nib="1234567890123"),
    )
    user = User.objects.get()
    assert (user.business_name, user.nib) == ("CV Maju Jaya", "1234567890123")


def test_sign_ups_are_limited_per_address(visitor, settings):
    settings.SIGNUP_LIMIT = 1
    visitor.post("/akun/daftar/", form())
    visitor.post("/akun/keluar/")
    second = visitor.post("/akun/daftar/", form(identifier="b@contoh.id", nik="3201010101900002"))
    assert "Terlalu banyak pendaftaran" in second.content.decode()
    assert User.objects.count() == 1


def test_a_wrong_code_counts_and_five_kill_it(visitor):
    visitor.post("/akun/daftar/", form())
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        response = visitor.post("/akun/verifikasi/", {"code": wrong})
        assert "Kode salah atau kedaluwarsa" in response.content.decode()
    visitor.post("/akun/verifikasi/", {"code": code})
    assert not User.objects.get().is_verified_contact


def test_a_code_expires_after_fifteen_minutes(visitor):
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC), tick=False) as clock:
        visitor.post("/akun/daftar/", form())
        clock.shift(dt.timedelta(minutes=16))
        visitor.post("/akun/verifikasi/", {"code": last_code()})
    assert not User.objects.get().is_verified_contact


def test_resending_is_limited(visitor):
    visitor.post("/akun/daftar/", form())
    pages = [visitor.post("/akun/verifikasi/", {"resend": "1"}, follow=True) for _ in range(3)]
    assert "Kode baru sudah dikirim." in pages[0].content.decode()
    assert "Tunggu 15 menit" in pages[-1].content.decode()
    assert Message.objects.filter(kind="account.verify").count() == 3


def test_verification_needs_a_signed_in_person(visitor, db):
    assert visitor.get("/akun/verifikasi/")["Location"].startswith("/akun/masuk/")


def test_a_password_is_reset_with_the_code_sent_to_the_phone(visitor):
    visitor.post("/akun/daftar/", form(identifier="081234567890"))
    visitor.post("/akun/keluar/")
    response = visitor.post("/akun/lupa-sandi/", {"identifier": "0812 3456 7890"})
    assert response["Location"] == "/akun/lupa-sandi/kode/"
    new = "Sandi-Baru-Yang-Kuat-2027"
    wrong = visitor.post(
        "/akun/lupa-sandi/kode/", {"code": "999999", "password1": new, "password2": new}
    )
    assert "Kode salah atau kedaluwarsa." in wrong.content.decode()
    done = visitor.post(
        "/akun/lupa-sandi/kode/",
        {"code": last_code("account.reset"), "password1": new, "password2": new},
    )
    assert done["Location"] == "/akun/masuk/"
    assert User.objects.get().check_password(new)


def test_an_unknown_account_gets_the_same_answer_and_no_message(visitor, db):
    response = visitor.post("/akun/lupa-sandi/", {"identifier": "tidak.ada@contoh.id"})
    assert response["Location"] == "/akun/lupa-sandi/kode/"
    page = visitor.get("/akun/lupa-sandi/kode/").content.decode()
    assert "Bila tidak.ada@contoh.id terdaftar" in page
    assert not Message.objects.exists()


def test_the_verification_code_never_shows_in_the_inbox(visitor):
    """Whoever holds the password must not read the code meant for the phone."""
    visitor.post("/akun/daftar/", form(identifier="081234567890"))
    visitor.post("/akun/masuk/", {"username": "081234567890", "password": PASSWORD})
    page = visitor.get("/akun/pesan/").content.decode()
    assert last_code() not in page
    assert "Belum ada pemberitahuan." in page


def test_an_applicant_chooses_language_and_channel(visitor):
    signed_up(visitor, identifier="081234567890")
    response = visitor.post("/akun/profil/", {"language": "en", "contact_channel": "whatsapp"})
    assert response.status_code == 302
    user = User.objects.get()
    assert (user.language, user.contact_channel) == ("en", "whatsapp")
    assert user.history.latest().history_user == user


def test_a_channel_without_an_address_is_refused(visitor):
    signed_up(visitor, identifier="081234567890")
    response = visitor.post("/akun/profil/", {"language": "id", "contact_channel": "email"})
    assert response.status_code == 400
    assert "Akun Anda tidak punya alamat surel." in response.content.decode()


def test_preferences_need_a_signed_in_person(visitor, db):
    assert visitor.get("/akun/profil/")["Location"].startswith("/akun/masuk/")


def test_a_code_does_not_stay_readable_once_sent(visitor):
    from outbox.services import messages_deliver

    visitor.post("/akun/daftar/", form())
    code = last_code()
    messages_deliver()
    message = Message.objects.get(kind="account.verify")
    assert message.status == "sent" and code not in message.body
