"""Where a person was going survives sign-in, sign-up and contact verification: from a
permit type's "Ajukan permohonan" to the application of that type. Only local URLs."""

import re
import uuid
from html import unescape
from urllib.parse import quote

import pytest
from django.test import Client

from accounts.models import Role, User
from outbox.models import Message
from permits.models import Application, Stage

pytestmark = pytest.mark.django_db
PASSWORD = "Pelayanan-Terang-2026"
APPLY = "/saya/ajukan/KES-SIP-BIDAN/"
EVIL = "https://evil.example/saya/ajukan/KES-SIP-BIDAN/"


@pytest.fixture
def visitor():
    return Client(REMOTE_ADDR=f"2001:db8:{uuid.uuid4().hex[:4]}::1")


def sign_up_form(**extra):
    return {
        "identifier": "rina@contoh.id",
        "full_name": "Rina Marlina",
        "nik": "3201016503910004",
        "address": "Jl. Melati 9, Sukamaju",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }


def last_code() -> str:
    body = Message.objects.filter(kind="account.verify").latest("pk").body
    return re.search(r"\b(\d{6})\b", body).group(1)


def heading(response) -> str:
    return unescape(re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S)[1]).strip()


def test_ajukan_asks_an_anonymous_visitor_to_sign_in_for_that_type(visitor, catalogue):
    response = visitor.post(APPLY)
    assert response.status_code == 302
    assert response["Location"] == f"/akun/masuk/?next={APPLY}"
    page = visitor.get(response["Location"])
    assert heading(page) == "Masuk untuk mengajukan Surat Izin Praktik Bidan"
    body = unescape(page.content.decode())
    assert f'href="/akun/daftar/?next={quote(APPLY, safe="")}"' in body


@pytest.mark.parametrize(
    "wanted", ["/saya/ajukan/TIDAK-ADA/", "/lacak/", EVIL, "//evil.example/", "javascript:x"]
)
def test_any_other_next_gets_the_plain_sign_in_page(visitor, catalogue, wanted):
    page = visitor.get("/akun/masuk/", {"next": wanted})
    assert heading(page) == "Masuk"
    body = page.content.decode()
    if wanted.startswith("/saya/") or wanted == "/lacak/":  # local: kept, without a purpose
        assert f'name="next" value="{wanted}"' in body
    else:
        assert 'name="next" value=""' in body
        assert 'href="/akun/daftar/"' in body


def test_the_purpose_is_in_english_when_english_is_chosen(visitor, catalogue):
    visitor.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = visitor.get("/akun/masuk/", {"next": APPLY})
    assert heading(page) == "Sign in to apply for Midwife Practice Licence"


def test_sign_up_then_verification_lead_to_the_application(visitor, catalogue):
    page = visitor.get("/akun/daftar/", {"next": APPLY})
    assert f'name="next" value="{APPLY}"' in page.content.decode()
    assert "lanjut mengajukan Surat Izin Praktik Bidan" in page.content.decode()
    response = visitor.post("/akun/daftar/", sign_up_form(next=APPLY))
    assert response["Location"] == f"/akun/verifikasi/?next={quote(APPLY, safe='')}"
    verify_page = visitor.get(response["Location"]).content.decode()
    assert "lanjut mengajukan Surat Izin Praktik Bidan" in verify_page
    # A wrong code first: the page comes back and still knows where to go.
    wrong = visitor.post(response["Location"], {"code": "000000"})
    assert wrong.status_code == 400
    done = visitor.post(response["Location"], {"code": last_code()})
    assert done.status_code == 302 and done["Location"] == APPLY

    start = visitor.get(APPLY)
    assert heading(start) == "Ajukan Surat Izin Praktik Bidan"
    created = visitor.post(APPLY)
    app = Application.objects.get()
    assert created["Location"] == f"/saya/berkas/{app.public_id}/"
    assert app.permit_type.code == "KES-SIP-BIDAN" and app.state == Stage.DRAFT
    assert app.applicant == User.objects.get(username="rina@contoh.id")


def test_an_unsafe_next_is_dropped_at_sign_up(visitor, catalogue):
    page = visitor.get("/akun/daftar/", {"next": EVIL}).content.decode()
    assert 'name="next" value="https' not in page and 'href="/akun/masuk/"' in page
    response = visitor.post("/akun/daftar/", sign_up_form(next=EVIL))
    assert response["Location"] == "/akun/verifikasi/"
    done = visitor.post("/akun/verifikasi/", {"code": last_code()})
    assert done["Location"] == "/"


def test_an_unsafe_next_is_ignored_at_verification(visitor, catalogue):
    visitor.post("/akun/daftar/", sign_up_form())
    done = visitor.post(f"/akun/verifikasi/?next={quote(EVIL)}", {"code": last_code()})
    assert done["Location"] == "/"


def test_signing_in_goes_where_the_person_was_going(visitor, catalogue, make_user):
    user = make_user(Role.APPLICANT, username="budi@contoh.id")
    user.set_password(PASSWORD)
    user.save()
    response = visitor.post(
        f"/akun/masuk/?next={quote(APPLY)}",
        {"username": "budi@contoh.id", "password": PASSWORD, "next": APPLY},
    )
    assert response.status_code == 302 and response["Location"] == APPLY


def test_signing_in_with_an_unsafe_next_goes_home(visitor, catalogue, make_user):
    user = make_user(Role.APPLICANT, username="budi@contoh.id")
    user.set_password(PASSWORD)
    user.save()
    response = visitor.post(
        "/akun/masuk/", {"username": "budi@contoh.id", "password": PASSWORD, "next": EVIL}
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_start_page_offers_a_draft_already_begun(visitor, catalogue, make_user):
    user = make_user(Role.APPLICANT, username="budi@contoh.id", nik="3201014101900001")
    visitor.force_login(user)
    visitor.post(APPLY)
    app = Application.objects.get()
    body = visitor.get(APPLY).content.decode()
    assert f"/saya/berkas/{app.public_id}/" in body
    assert "Mulai permohonan baru" in body


def test_staff_are_refused_the_start_page(client, catalogue, make_user):
    client.force_login(make_user(Role.AUDITOR, username="auditor"))
    assert client.get(APPLY).status_code == 403


@pytest.mark.parametrize("wanted", ["nan", "0636-07-09", "«", "saya/"])
def test_a_next_that_is_not_a_path_sends_a_signed_in_visitor_home(visitor, make_user, wanted):
    """Found by tests/portal/test_fuzz.py: a bare word was taken for a view name (a 500)."""
    visitor.force_login(make_user(Role.APPLICANT, username="budi@contoh.id"))
    response = visitor.get(f"/akun/daftar/?next={quote(wanted)}")
    assert response.status_code == 302 and response["Location"] == "/"


def test_an_account_without_nik_is_told_why_it_cannot_apply(visitor, catalogue, make_user):
    """Found by tests/portal/test_fuzz.py: an account made by staff without a NIK (a 500)."""
    visitor.force_login(make_user(Role.APPLICANT, username="budi@contoh.id", nik=""))
    response = visitor.post(APPLY)
    body = unescape(response.content.decode())
    assert response.status_code == 400
    assert "Data akun Anda belum lengkap (NIK)" in body
    assert not Application.objects.exists()
