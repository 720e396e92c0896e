"""Sign-up and password reset never tell a visitor who has an account (issue 16, 6 and 8):
the pages answer the same way; what differs is said only at the address."""

import datetime as dt
import re
import uuid

import pytest
import time_machine
from django.test import Client

from accounts.models import ContactCode, Role, User
from accounts.services import applicant_sign_up, password_reset_finish, password_reset_start
from outbox.models import Message
from tests.accounts.kit import PASSWORD, form, last_code

pytestmark = pytest.mark.django_db
TAKEN_NIK = "3201014101900001"


def visitor():
    return Client(REMOTE_ADDR=f"2001:db8:{uuid.uuid4().hex[:4]}::1")


@pytest.fixture
def siti(make_user):
    return make_user(
        Role.APPLICANT,
        username="siti@contoh.id",
        email="siti@contoh.id",
        full_name="Siti Rahmawati",
        nik=TAKEN_NIK,
    )


def seen(response, address: str) -> str:
    """The page as the visitor sees it, the typed address and the CSRF token masked."""
    body = response.content.decode().replace(address, "ADDRESS")
    body = re.sub(r'"X-CSRFToken": "[^"]+"', "CSRF", body)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", body)


def journey(identifier: str, nik: str) -> list[tuple]:
    """Sign up, open the code page, ask for codes again, try a code: what comes back."""
    client = visitor()
    steps = [client.post("/akun/daftar/", form(identifier=identifier, nik=nik))]
    steps.append(client.get(steps[0]["Location"]))
    steps += [client.post("/akun/verifikasi/", {"resend": "1"}, follow=True) for _ in range(3)]
    steps.append(client.post("/akun/verifikasi/", {"code": "000000"}))
    return [
        (
            r.status_code,
            r.get("Location"),
            seen(r, identifier),
            r.redirect_chain if hasattr(r, "redirect_chain") else None,
        )
        for r in steps
    ]


def test_sign_up_answers_the_same_for_a_taken_address_a_taken_nik_and_a_new_one(siti):
    fresh = journey("budi@contoh.id", "3201010101900002")
    taken_address = journey("siti@contoh.id", "3201010101900003")
    taken_nik = journey("rina@contoh.id", TAKEN_NIK)
    assert fresh == taken_address == taken_nik
    assert fresh[0][:2] == (302, "/akun/verifikasi/")
    assert "Kami mengirim kode 6 angka ke ADDRESS" in fresh[1][2]
    assert "Sudah ada akun" not in "".join(step[2] for step in taken_nik + taken_address)
    assert User.objects.filter(email="siti@contoh.id").count() == 1
    assert not User.objects.filter(email="rina@contoh.id").exists()


def test_a_taken_address_is_told_at_the_address_and_gets_no_code(siti):
    visitor().post("/akun/daftar/", form(identifier="SITI@contoh.id", nik="3201010101900003"))
    notice = Message.objects.get(kind="account.sign_up_taken")
    assert notice.address == "siti@contoh.id" and notice.recipient == siti
    assert "Tidak ada akun baru yang dibuat" in notice.body
    assert "atur ulang kata sandi" in notice.body
    assert not Message.objects.filter(kind="account.verify").exists()
    assert not ContactCode.objects.exists()


def test_a_taken_nik_is_told_at_the_typed_address_and_to_the_nik_s_account(siti):
    client = visitor()
    client.post("/akun/daftar/", form(identifier="0813 4444 5555", nik=TAKEN_NIK))
    told = Message.objects.get(kind="account.sign_up_nik_taken")
    assert told.address == "+6281344445555" and told.recipient is None
    assert "NIK yang diisikan sudah terdaftar" in told.body and "loket MPP" in told.body
    owner_told = Message.objects.get(kind="account.sign_up_nik_tried")
    assert owner_told.address == "siti@contoh.id"
    assert User.objects.count() == 1
    # No code fits: there is no account to verify, and nobody is signed in.
    page = client.post("/akun/verifikasi/", {"code": "123456"})
    assert page.status_code == 400 and "Kode salah atau kedaluwarsa" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_service_creates_nothing_for_a_taken_address_or_nik(siti):
    details = {"password": PASSWORD, "full_name": "X Y", "address": "Jl. Z"}
    taken = applicant_sign_up(identifier="siti@contoh.id", nik="3201010101900003", **details)
    assert taken.user is None and taken.address == "siti@contoh.id"
    nik = applicant_sign_up(identifier="lain@contoh.id", nik=TAKEN_NIK, **details)
    assert nik.user is None and nik.address == "lain@contoh.id"
    new = applicant_sign_up(identifier="baru@contoh.id", nik="3201010101900004", **details)
    assert new.user is not None and new.user.check_password(PASSWORD)
    assert User.objects.count() == 2


def test_a_new_applicant_is_signed_in_only_once_the_code_is_entered(db):
    client = visitor()
    client.post("/akun/daftar/", form())
    assert "_auth_user_id" not in client.session
    assert client.get("/akun/profil/").status_code == 302
    done = client.post("/akun/verifikasi/", {"code": last_code()})
    assert done["Location"] == "/"
    assert client.get("/akun/profil/").status_code == 200


# --- Password reset: applicants only -----------------------------------------------------


def reset_journey(identifier: str) -> list[tuple]:
    client = visitor()
    start = client.post("/akun/lupa-sandi/", {"identifier": identifier})
    page = client.get("/akun/lupa-sandi/kode/")
    new = "Sandi-Baru-Yang-Kuat-2027"
    wrong = client.post(
        "/akun/lupa-sandi/kode/", {"code": "000000", "password1": new, "password2": new}
    )
    return [(r.status_code, r.get("Location"), seen(r, identifier)) for r in (start, page, wrong)]


def test_reset_answers_the_same_for_staff_unknown_and_applicant_names(siti, make_user):
    make_user(Role.COUNTER, username="petugas7", email="andi@dpmptsp.go.id")
    staff = reset_journey("petugas7")
    unknown = reset_journey("tamu777")
    assert staff == unknown
    assert staff[0][:2] == (302, "/akun/lupa-sandi/kode/")
    applicant = reset_journey("siti@contoh.id")
    assert [step[:2] for step in applicant] == [step[:2] for step in unknown]
    assert applicant[1][2] == reset_journey("orang@contoh.id")[1][2]


def test_a_staff_member_gets_no_reset_code_only_a_notice(make_user):
    andi = make_user(Role.COUNTER, username="andi", email="andi@dpmptsp.go.id")
    andi.set_password(PASSWORD)
    andi.save()
    for _ in range(2):
        visitor().post("/akun/lupa-sandi/", {"identifier": "andi@dpmptsp.go.id"})
    assert not ContactCode.objects.filter(user=andi).exists()
    assert not Message.objects.filter(kind="account.reset").exists()
    notice = Message.objects.get(kind="account.reset_staff_refused")  # once, not per try
    assert notice.address == "andi@dpmptsp.go.id" and "administrator" in notice.body


@pytest.mark.parametrize("role", [Role.COUNTER, Role.AUDITOR, Role.ADMIN])
def test_the_reset_service_refuses_staff_even_with_a_valid_code(make_user, role):
    from accounts.services import code_send

    officer = make_user(role, username="petugas", email="petugas@dpmptsp.go.id")
    officer.set_password(PASSWORD)
    officer.save()
    password_reset_start("petugas")
    assert not ContactCode.objects.filter(user=officer).exists()
    code_send(officer, ContactCode.Purpose.RESET)  # as the old code did
    code = last_code("account.reset")
    assert not password_reset_finish("petugas", code, "Sandi-Baru-Yang-Kuat-2027")
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)


def test_repeated_tries_do_not_flood_the_address(siti):
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC), tick=False) as clock:
        for _ in range(3):
            visitor().post(
                "/akun/daftar/", form(identifier="siti@contoh.id", nik="3201010101900003")
            )
        assert Message.objects.filter(kind="account.sign_up_taken").count() == 1
        clock.shift(dt.timedelta(minutes=16))
        visitor().post("/akun/daftar/", form(identifier="siti@contoh.id", nik="3201010101900003"))
    assert Message.objects.filter(kind="account.sign_up_taken").count() == 2
