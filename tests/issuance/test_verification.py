"""Public verification: anyone checks a permit by its code or number, or uploads a PDF to
learn whether it is the very file the office issued and whether its signature holds."""

# The small office of tests/permits is imported as a fixture; tests take it as an argument.

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from issuance.services.issue import permit_revoke
from issuance.signing import pdf_sign
from tests.factories import PNG, act

from .test_issue import issue, issue_rendered, make_type, stored_bytes

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db

NOT_FOUND = "Izin dengan kode atau nomor itu tidak ditemukan di register kami."
VALID = "IZIN ASLI DAN BERLAKU"
IDENTICAL = "sama persis, bita demi bita"
DIFFERENT = "Berkas ini tidak sama dengan izin mana pun yang kami terbitkan"
SIGNATURE_OK = "Tanda tangan elektronik sah"
SIGNATURE_BAD = "Tanda tangan elektronik tidak sah"


@pytest.fixture(autouse=True)
def _no_rate_limit_carryover():
    cache.clear()


@pytest.fixture
def sip(office):
    return make_type(
        office,
        "KES-SIP-DR",
        name_id="Surat Izin Praktik Dokter",
        name_en="Doctor's Practice Permit",
    )


@pytest.fixture
def permit(office, sip):
    with time_machine.travel(datetime.datetime(2026, 3, 10, 10, tzinfo=WIB), tick=False):
        return issue(office, sip)


@pytest.fixture
def rendered(office, sip, signing_ca, django_capture_on_commit_callbacks):
    permit = issue_rendered(office, sip, django_capture_on_commit_callbacks)
    permit.refresh_from_db()
    return permit


def page(permit_or_code, client=None):
    code = getattr(permit_or_code, "code", permit_or_code)
    return (client or Client()).get(f"/verifikasi/{code}/")


def upload(data: bytes, name="izin.pdf", client=None):
    pdf = SimpleUploadedFile(name, data, content_type="application/pdf")
    return (client or Client()).post("/verifikasi/", {"pdf": pdf})


# --- the permit's page ---------------------------------------------------------------------


def test_a_valid_permit_says_so_with_the_holder_masked(permit):
    response = page(permit)
    body = response.content.decode()
    assert response.status_code == 200
    assert VALID in body
    assert permit.number in body and permit.code in body
    assert "Surat Izin Praktik Dokter" in body
    assert "Siti R********" in body
    assert "Siti Rahmawati" not in body and "Rahmawati" not in body
    assert permit.holder_nik not in body and "Merdeka" not in body
    assert "10 Maret 2026" in body
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"]


def test_the_code_may_be_typed_in_lowercase(permit):
    assert VALID in page(permit.code.lower()).content.decode()


def test_a_revoked_permit_says_it_was_revoked(office, permit):
    permit_revoke(permit=permit, actor=act(office.head), reason="Praktik dipindahkan tanpa izin.")
    body = page(permit).content.decode()
    assert "IZIN INI SUDAH DICABUT" in body
    assert VALID not in body
    assert "Praktik dipindahkan" not in body  # the reason goes to the holder, not the public


def test_an_expired_permit_says_its_validity_ran_out(office):
    one_year = make_type(office, "KES-SIA", validity_months=12)
    with time_machine.travel(datetime.datetime(2026, 3, 10, 10, tzinfo=WIB), tick=False):
        permit = issue(office, one_year)
    assert permit.valid_until == datetime.date(2027, 3, 9)
    with time_machine.travel(datetime.datetime(2027, 3, 9, 23, 50, tzinfo=WIB), tick=False):
        assert VALID in page(permit).content.decode()
    with time_machine.travel(datetime.datetime(2027, 3, 10, 0, 10, tzinfo=WIB), tick=False):
        body = page(permit).content.decode()
    assert "IZIN ASLI, MASA BERLAKUNYA SUDAH HABIS" in body
    assert VALID not in body


def test_an_unknown_code_says_not_found_and_shows_no_other_permit(permit):
    response = page("ABCD-EFGH-JKMN")
    body = response.content.decode()
    assert response.status_code == 404
    assert NOT_FOUND in body
    assert permit.number not in body and permit.code not in body
    assert "Siti" not in body and VALID not in body


# --- looking a permit up -------------------------------------------------------------------


def lookup(q, client=None):
    return (client or Client()).get("/verifikasi/", {"q": q})


def test_the_number_leads_to_the_permits_page(permit):
    response = lookup(f"  {permit.number} ")
    assert response.status_code == 302
    assert response["Location"] == f"/verifikasi/{permit.code}/"


def test_the_code_typed_loosely_leads_to_the_permits_page(permit):
    for typed in (permit.code, permit.code.lower(), permit.code.replace("-", "").lower()):
        response = lookup(typed)
        assert response.status_code == 302, typed
        assert response["Location"] == f"/verifikasi/{permit.code}/"


def test_an_unknown_code_or_number_is_not_found(permit):
    for typed in ("ABCD-EFGH-JKMN", "503.1/9999/SIP/DINKES/2026"):
        response = lookup(typed)
        assert response.status_code == 404, typed
        body = response.content.decode()
        assert NOT_FOUND in body
        assert permit.number not in body


def test_an_empty_lookup_asks_for_a_code(db):
    response = lookup("")
    assert response.status_code == 400
    assert "Masukkan kode verifikasi atau nomor izin." in response.content.decode()


def test_the_start_page_shows_both_forms(db):
    response = Client().get("/verifikasi/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="q"' in body and 'name="pdf"' in body


# --- checking an uploaded PDF --------------------------------------------------------------


def one_byte_changed(data: bytes) -> bytes:
    """A letter of the document title, inside the signed byte range, changed."""
    at = data.index(b"/Title (") + len(b"/Title (")
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def test_the_issued_pdf_is_identical_and_its_signature_valid(rendered):
    response = upload(stored_bytes(rendered))
    body = response.content.decode()
    assert response.status_code == 200
    assert IDENTICAL in body and rendered.number in body
    assert f'href="/verifikasi/{rendered.code}/"' in body
    assert SIGNATURE_OK in body and "Kepala" in body
    assert rendered.pdf_sha256 in body


def test_a_pdf_with_one_byte_changed_is_neither_identical_nor_validly_signed(rendered):
    response = upload(one_byte_changed(stored_bytes(rendered)))
    body = response.content.decode()
    assert response.status_code == 200
    assert DIFFERENT in body and IDENTICAL not in body
    assert SIGNATURE_BAD in body and SIGNATURE_OK not in body
    assert "dokumen telah diubah setelah ditandatangani" in body


def test_a_pdf_signed_by_another_ca_is_not_trusted(
    settings, signing_ca, make_signing_ca, tmp_path, unsigned_pdf, db
):
    make_signing_ca(tmp_path / "theirs")
    forged = pdf_sign(unsigned_pdf, reason="Penerbitan izin", location="Di tempat lain")
    settings.SIGNING_TRUST_ROOTS = [signing_ca / "ca.pem"]  # only ours is trusted
    body = upload(forged).content.decode()
    assert DIFFERENT in body
    assert SIGNATURE_BAD in body
    assert "Sertifikat penanda tangan tidak dikenal/tidak dipercaya." in body


def test_an_unsigned_pdf_is_reported_as_unsigned(signing_ca, unsigned_pdf, db):
    body = upload(unsigned_pdf).content.decode()
    assert DIFFERENT in body
    assert "PDF ini tidak bertanda tangan elektronik." in body


@pytest.mark.parametrize(
    ("data", "name"),
    [(PNG, "izin.pdf"), (b"Ini izin asli, sungguh.\n", "izin.pdf"), (PNG, "foto.png")],
    ids=["png-renamed", "text-renamed", "png"],
)
def test_a_file_that_is_not_a_pdf_is_refused(db, data, name):
    response = upload(data, name=name)
    assert response.status_code == 400
    assert "Berkas ini bukan PDF." in response.content.decode()


def test_a_file_over_the_size_limit_is_refused(db, settings, unsigned_pdf):
    settings.VERIFY_UPLOAD_MAX_BYTES = len(unsigned_pdf) - 1
    response = upload(unsigned_pdf)
    assert response.status_code == 400
    assert "Berkas terlalu besar" in response.content.decode()
    settings.VERIFY_UPLOAD_MAX_BYTES = len(unsigned_pdf)
    assert upload(unsigned_pdf).status_code == 200


def test_a_post_without_a_file_asks_for_one(db):
    response = Client().post("/verifikasi/", {"pdf": ""})
    assert response.status_code == 400
    assert "Pilih berkas PDF izin yang ingin diperiksa." in response.content.decode()
    assert Client().post("/verifikasi/").status_code == 400


def test_the_upload_needs_its_csrf_token(db, unsigned_pdf):
    strict = Client(enforce_csrf_checks=True)
    assert upload(unsigned_pdf, client=strict).status_code == 403


# --- limits and language -------------------------------------------------------------------


def test_lookups_are_limited_per_address(settings, permit):
    settings.TRACKING_LOOKUP_LIMIT = 3
    crowd = Client(REMOTE_ADDR="2001:db8:77::1")
    statuses = [page(permit, crowd).status_code for _ in range(3)]
    statuses.append(lookup(permit.number, crowd).status_code)
    assert statuses == [200, 200, 200, 429]
    assert "Terlalu banyak pencarian" in page(permit, crowd).content.decode()
    assert upload(b"%PDF-1.7\n", client=crowd).status_code == 429
    assert page(permit, Client(REMOTE_ADDR="2001:db8:78::1")).status_code == 200


def test_the_page_speaks_english_when_chosen(permit):
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        verdict = translation.gettext(VALID)
    if verdict == VALID:
        pytest.skip("locale/en has no translation of the verification verdict yet")
    body = page(permit, english).content.decode()
    assert verdict in body and VALID not in body
    assert '<html lang="en"' in body
    assert permit.number in body and "Siti R********" in body
    # Accept-Language alone does not switch: the portal speaks Indonesian unless asked.
    assert VALID in page(permit, Client(HTTP_ACCEPT_LANGUAGE="en")).content.decode()
