"""Issuing a permit: numbered when the head signs, rendered and signed as a PDF after commit,
downloadable by whoever may hold it, revocable by the head with a reason."""

# The small office of tests/permits is imported as a fixture; tests take it as an argument.

from __future__ import annotations

import datetime
import hashlib
import subprocess
import threading
import uuid
import zoneinfo
from io import BytesIO
from shutil import which

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from accounts.models import Role
from issuance.models import Permit
from issuance.services.issue import permit_render, permit_revoke
from issuance.signing import pdf_signature_check
from issuance.tasks import render_pending_permits, render_permit
from outbox.models import Message
from permits.models import Application, FileView, Stage
from permits.services.applications import transition_fire
from permits.services.context import ActionRefused
from tests.conftest import use_signing_dir
from tests.factories import PermitTypeFactory, RequirementFactory, act, fire, new_file, walk

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db

LOGIN = "/akun/masuk/?next="
SIP = "503.1/{seq:04d}/SIP/{opd}/{year}"
REASON = "Izin dipindahtangankan tanpa persetujuan; Perda 1/2024 Pasal 12."


@pytest.fixture(autouse=True)
def _no_rate_limit_carryover():
    """Lookup counters live in the cache; a test starts with none."""
    cache.clear()


def make_type(office, code, pattern=SIP, **fields):
    """A fee-free type without review or inspection, numbered by ``pattern``."""
    permit_type = PermitTypeFactory(
        code=code,
        opd=office.dinkes,
        number_pattern=pattern,
        fee=0,
        needs_technical_review=False,
        needs_inspection=False,
        **fields,
    )
    RequirementFactory(permit_type=permit_type, code="KTP", position=1)
    return permit_type


@pytest.fixture
def sip(office):
    return make_type(office, "KES-SIP-DR")


def at_signing(office, permit_type) -> Application:
    return walk(office, new_file(office, permit_type), Stage.SIGNING)


def sign(app) -> Permit:
    fire(app, "sign", app.assigned_to)
    return Permit.objects.get(application=app)


def issue(office, permit_type) -> Permit:
    return sign(at_signing(office, permit_type))


def issue_rendered(office, permit_type, capture) -> Permit:
    """Sign and run what the commit starts (the render task, in process)."""
    app = at_signing(office, permit_type)
    with capture(execute=True):
        fire(app, "sign", app.assigned_to)
    return Permit.objects.get(application=app)


def stored_bytes(permit: Permit) -> bytes:
    permit.refresh_from_db()
    with permit.pdf.open("rb") as handle:
        return handle.read()


def visitor() -> Client:
    return Client(REMOTE_ADDR=f"2001:db8:{uuid.uuid4().hex[:4]}::1")


# --- numbering and the snapshot ------------------------------------------------------------


def test_signing_issues_one_permit_numbered_from_the_types_pattern(office, sip):
    with time_machine.travel(datetime.datetime(2026, 3, 10, 10, tzinfo=WIB), tick=False):
        first = issue(office, sip)
        second = issue(office, sip)
    assert first.number == "503.1/0001/SIP/DINKES/2026"
    assert second.number == "503.1/0002/SIP/DINKES/2026"
    assert Permit.objects.filter(application=first.application).count() == 1
    assert first.application.state == Stage.ISSUED


def test_another_type_has_its_own_sequence(office, sip):
    other = make_type(office, "KES-SIP-PRW", pattern="503.2/{seq:03d}/SIPP/{year}")
    with time_machine.travel(datetime.datetime(2026, 3, 10, 10, tzinfo=WIB), tick=False):
        issue(office, sip)
        issue(office, sip)
        assert issue(office, other).number == "503.2/001/SIPP/2026"


def test_the_sequence_restarts_with_the_local_new_year(office, sip):
    with time_machine.travel(datetime.datetime(2026, 12, 31, 23, 30, tzinfo=WIB), tick=False):
        old_year = issue(office, sip)
    # 00:10 in Jakarta is still 31 December in UTC: the office's year counts.
    with time_machine.travel(datetime.datetime(2027, 1, 1, 0, 10, tzinfo=WIB), tick=False):
        new_year = issue(office, sip)
        next_one = issue(office, sip)
    assert old_year.number == "503.1/0001/SIP/DINKES/2026"
    assert new_year.number == "503.1/0001/SIP/DINKES/2027"
    assert next_one.number == "503.1/0002/SIP/DINKES/2027"


def test_two_types_cannot_share_a_pattern_so_numbers_never_collide(office):
    pattern = "503/{seq:04d}/{opd}/{year}"
    one = make_type(office, "KES-A", pattern)
    copy = PermitTypeFactory.build(code="KES-B", opd=office.dinkes, number_pattern=pattern)
    with pytest.raises(ValidationError, match="sudah dipakai jenis izin lain"):
        copy.full_clean()  # what the admin form runs
    with pytest.raises(IntegrityError), transaction.atomic():
        make_type(office, "KES-B", pattern)
    assert issue(office, one).number.startswith("503/0001/")


def test_the_permit_is_a_snapshot_of_the_file_and_the_signer(office, sip):
    with time_machine.travel(datetime.datetime(2026, 3, 10, 10, tzinfo=WIB), tick=False):
        app = at_signing(office, sip)
        head = app.assigned_to
        permit = sign(app)
    assert head.role == Role.HEAD
    assert (permit.holder_name, permit.holder_nik) == ("Siti Rahmawati", "3201014101900001")
    assert permit.holder_address == "Jl. Merdeka 1, Sukamaju"
    assert (permit.holder_nib, permit.business_name) == (app.applicant_nib, app.business_name)
    assert permit.permit_type == sip
    assert permit.signed_by == head
    assert permit.signatory_name == head.display_name
    assert permit.signatory_title == settings.SIGNATORY_TITLE
    assert permit.issued_at == datetime.datetime(2026, 3, 10, 10, tzinfo=WIB)
    assert permit.valid_from == datetime.date(2026, 3, 10)
    assert permit.valid_until is None  # no validity: valid while the activity runs
    assert permit.revoked_at is None and not permit.pdf_sha256
    # What the file says later does not change the permit.
    Application.objects.filter(pk=app.pk).update(applicant_name="Orang Lain")
    permit.refresh_from_db()
    assert permit.holder_name == "Siti Rahmawati"


@pytest.mark.parametrize(
    ("signed_at", "issued_on", "last_day"),
    [
        ((2026, 3, 10, 10), (2026, 3, 10), (2028, 3, 9)),
        # 00:30 in Jakarta is still the day before in UTC: the issue day is the local one.
        ((2026, 3, 11, 0, 30), (2026, 3, 11), (2028, 3, 10)),
    ],
)
def test_validity_runs_the_types_months_from_the_issue_day_minus_one(
    office, signed_at, issued_on, last_day
):
    two_years = make_type(office, "KES-SIA", validity_months=24)
    with time_machine.travel(datetime.datetime(*signed_at, tzinfo=WIB), tick=False):
        permit = issue(office, two_years)
    assert permit.valid_from == datetime.date(*issued_on)
    assert permit.valid_until == datetime.date(*last_day)


def test_signing_records_a_permit_issued_event_with_the_number(office, sip):
    permit = issue(office, sip)
    event = permit.application.events.get(action="permit.issued")
    assert event.data == {"number": permit.number, "code": permit.code}
    assert event.actor == permit.signed_by
    assert event.created_at == permit.issued_at


def test_a_rolled_back_signing_gives_its_number_back(office, sip):
    first, second = at_signing(office, sip), at_signing(office, sip)

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        fire(first, "sign", first.assigned_to)
        assert Permit.objects.get(application=first).number.startswith("503.1/0001/")
        raise Boom
    first.refresh_from_db()
    assert first.state == Stage.SIGNING
    assert not Permit.objects.exists()

    assert sign(second).number.startswith("503.1/0001/")
    assert sign(first).number.startswith("503.1/0002/")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_signings_take_consecutive_numbers(office, sip, monkeypatch):
    # Rendering is not under test here; keep the threads to the signing transaction.
    monkeypatch.setattr("issuance.services.issue.enqueue_on_commit", lambda *args, **kwargs: None)
    n = 8
    apps = [at_signing(office, sip) for _ in range(n)]
    barrier = threading.Barrier(n)
    errors = []

    def sign_one(app):
        try:
            barrier.wait()
            transition_fire(
                application=Application.objects.get(pk=app.pk),
                name="sign",
                actor=act(app.assigned_to),
                expected_state=Stage.SIGNING,
            )
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_one, args=(app,)) for app in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    year = timezone.localdate().year
    numbers = sorted(Permit.objects.values_list("number", flat=True))
    assert numbers == [f"503.1/{seq:04d}/SIP/DINKES/{year}" for seq in range(1, n + 1)]
    assert Application.objects.filter(state=Stage.ISSUED).count() == n


# --- rendering -----------------------------------------------------------------------------


def pdf_pages(data: bytes) -> list:
    reader = PdfFileReader(BytesIO(data))
    pages = reader.root["/Pages"]
    kids = [kid.get_object() for kid in pages["/Kids"]]
    assert int(pages["/Count"]) == len(kids)
    return kids


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "izin.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.decode()


def test_after_commit_the_permit_is_rendered_signed_and_stored(
    office, sip, signing_ca, django_capture_on_commit_callbacks, tmp_path
):
    permit = issue_rendered(office, sip, django_capture_on_commit_callbacks)
    data = stored_bytes(permit)

    assert permit.pdf_sha256 == hashlib.sha256(data).hexdigest()
    assert permit.pdf_rendered_at is not None
    assert data.startswith(b"%PDF-")
    report = pdf_signature_check(data)
    assert report.valid, report.problem
    (embedded,) = PdfFileReader(BytesIO(data)).embedded_signatures
    roots = list(load_certs_from_pemder([signing_ca / "ca.pem"]))
    status = validate_pdf_signature(
        embedded, ValidationContext(trust_roots=roots, allow_fetching=False)
    )
    assert status.bottom_line
    assert embedded.sig_object["/Reason"] == f"Penerbitan izin {permit.number}"

    (page,) = pdf_pages(data)
    x0, y0, x1, y1 = (float(v) for v in page["/MediaBox"])
    assert abs((x1 - x0) - 595.28) < 1 and abs((y1 - y0) - 841.89) < 1  # A4 portrait

    if which("pdftotext"):
        text = pdf_text(data, tmp_path)
        assert permit.number in text
        assert "Siti Rahmawati" in text
        assert "Kode verifikasi" in text
        assert permit.code in text

    event = permit.application.events.get(action="permit.pdf_stored")
    assert event.data == {"sha256": permit.pdf_sha256, "bytes": len(data)}
    assert event.actor is None


def test_the_holder_is_told_once_with_the_download_link(
    office, sip, signing_ca, django_capture_on_commit_callbacks
):
    permit = issue_rendered(office, sip, django_capture_on_commit_callbacks)
    app = permit.application
    (message,) = Message.objects.filter(application=app, kind="file.issued")
    assert message.recipient == office.applicant
    assert permit.number in message.body
    assert f"/lacak/{app.tracking_code}/izin.pdf" in message.body
    assert f"/verifikasi/{permit.code}/" in message.body

    digest = permit.pdf_sha256
    assert permit_render(Permit.objects.get(pk=permit.pk)) is False
    assert render_permit.delay(permit.pk).get() == digest
    permit.refresh_from_db()
    assert permit.pdf_sha256 == digest
    assert Message.objects.filter(application=app, kind="file.issued").count() == 1
    assert app.events.filter(action="permit.pdf_stored").count() == 1


def test_without_a_signing_key_the_permit_waits_for_the_sweep(
    office, sip, settings, make_signing_ca, tmp_path, django_capture_on_commit_callbacks
):
    use_signing_dir(settings, tmp_path / "missing")
    permit = issue_rendered(office, sip, django_capture_on_commit_callbacks)  # does not raise
    permit.refresh_from_db()
    assert not permit.pdf_sha256 and not permit.pdf
    assert not Message.objects.filter(kind="file.issued").exists()

    make_signing_ca(tmp_path / "restored")
    assert render_pending_permits() == 0  # signed just now: the first try may still run
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=3)):
        assert render_pending_permits() == 1
    permit.refresh_from_db()
    assert permit.pdf_sha256 == hashlib.sha256(stored_bytes(permit)).hexdigest()
    assert pdf_signature_check(stored_bytes(permit)).valid
    assert Message.objects.filter(kind="file.issued").count() == 1


# --- revocation ----------------------------------------------------------------------------


@pytest.fixture
def permit(office, sip) -> Permit:
    return issue(office, sip)


def test_the_head_revokes_with_a_reason_and_the_holder_is_told(office, permit):
    revoked = permit_revoke(permit=permit, actor=act(office.head2), reason=f"  {REASON}\n")
    permit.refresh_from_db()
    assert permit.revoked_at is not None
    assert permit.revoked_by == office.head2
    assert permit.revocation_reason == REASON
    assert revoked.revoked_at == permit.revoked_at
    event = permit.application.events.get(action="permit.revoked")
    assert event.note == REASON and event.data == {"number": permit.number}
    assert event.actor == office.head2
    (message,) = Message.objects.filter(application=permit.application, kind="permit.revoked")
    assert REASON in message.body and permit.number in message.body
    assert message.recipient == office.applicant
    assert permit.status == "revoked"


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_revocation_without_a_reason_is_refused(office, permit, reason):
    with pytest.raises(ActionRefused, match="alasan"):
        permit_revoke(permit=permit, actor=act(office.head), reason=reason)
    permit.refresh_from_db()
    assert permit.revoked_at is None


def test_a_permit_is_revoked_once(office, permit):
    permit_revoke(permit=permit, actor=act(office.head), reason=REASON)
    first = Permit.objects.get(pk=permit.pk).revoked_at
    with pytest.raises(ActionRefused, match="sudah dicabut"):
        permit_revoke(permit=permit, actor=act(office.head2), reason="Alasan lain yang panjang.")
    permit.refresh_from_db()
    assert permit.revoked_at == first and permit.revoked_by == office.head
    assert permit.revocation_reason == REASON
    assert permit.application.events.filter(action="permit.revoked").count() == 1
    assert Message.objects.filter(kind="permit.revoked").count() == 1


OTHERS = ["counter", "supervisor", "technical", "cashier", "auditor", "admin", "applicant"]


@pytest.mark.parametrize("who", OTHERS)
def test_nobody_but_the_head_may_revoke(office, permit, who):
    with pytest.raises(ActionRefused, match="Kepala Dinas"):
        permit_revoke(permit=permit, actor=act(getattr(office, who)), reason=REASON)
    permit.refresh_from_db()
    assert (permit.revoked_at, permit.revoked_by, permit.revocation_reason) == (None, None, "")
    assert not permit.application.events.filter(action="permit.revoked").exists()
    assert not Message.objects.filter(kind="permit.revoked").exists()


def test_an_inactive_head_may_not_revoke(office, permit):
    office.head.is_active = False
    office.head.save()
    with pytest.raises(ActionRefused):
        permit_revoke(permit=permit, actor=act(office.head), reason=REASON)
    assert Permit.objects.get(pk=permit.pk).revoked_at is None


def revoke_url(permit):
    return f"/kantor/berkas/{permit.application.public_id}/cabut-izin/"


def test_the_head_revokes_from_the_file_page(client, office, permit):
    client.force_login(office.head)
    response = client.post(revoke_url(permit), {"reason": REASON, "confirm": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"/kantor/berkas/{permit.application.public_id}/"
    permit.refresh_from_db()
    assert permit.revoked_by == office.head and permit.revocation_reason == REASON
    body = client.get(response["Location"]).content.decode()
    assert "Izin dicabut; pemegang izin diberi tahu di kotak pesan Terang saja" in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": REASON}, "Centang konfirmasi untuk mencabut izin."),
        ({"reason": "Palsu", "confirm": "1"}, "Tuliskan alasan dan dasar pencabutan dengan jelas."),
    ],
    ids=["no-confirm", "short-reason"],
)
def test_an_incomplete_revocation_form_is_explained_and_kept(client, office, permit, data, message):
    client.force_login(office.head)
    response = client.post(revoke_url(permit), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert f">{data['reason']}</textarea>" in body
    assert Permit.objects.get(pk=permit.pk).revoked_at is None


def test_a_second_revocation_from_the_page_is_refused_with_a_message(client, office, permit):
    permit_revoke(permit=permit, actor=act(office.head), reason=REASON)
    client.force_login(office.head2)
    response = client.post(
        revoke_url(permit), {"reason": "Alasan lain yang panjang.", "confirm": "1"}
    )
    assert response.status_code == 400
    assert "Izin ini sudah dicabut." in response.content.decode()
    assert Permit.objects.get(pk=permit.pk).revoked_by == office.head


@pytest.mark.parametrize("who", OTHERS)
def test_other_roles_cannot_use_the_revoke_page(client, office, permit, who):
    client.force_login(getattr(office, who))
    response = client.post(revoke_url(permit), {"reason": REASON, "confirm": "1"})
    assert response.status_code in {403, 404}
    assert Permit.objects.get(pk=permit.pk).revoked_at is None


def test_the_revoke_page_sends_visitors_to_sign_in_and_only_takes_post(client, office, permit):
    response = Client().post(revoke_url(permit), {"reason": REASON, "confirm": "1"})
    assert response.status_code == 302
    assert response["Location"] == LOGIN + revoke_url(permit)
    client.force_login(office.head)
    assert client.get(revoke_url(permit)).status_code == 405
    assert Permit.objects.get(pk=permit.pk).revoked_at is None


# --- downloads -----------------------------------------------------------------------------


@pytest.fixture
def rendered(office, sip, signing_ca, django_capture_on_commit_callbacks) -> Permit:
    permit = issue_rendered(office, sip, django_capture_on_commit_callbacks)
    permit.refresh_from_db()
    assert permit.pdf_sha256
    return permit


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def assert_is_the_permit(response, permit):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert "izin-503-1-" in response["Content-Disposition"]
    assert hashlib.sha256(body_of(response)).hexdigest() == permit.pdf_sha256


def test_the_tracking_code_downloads_the_permit_without_signing_in(rendered):
    code = rendered.application.tracking_code
    assert_is_the_permit(visitor().get(f"/lacak/{code}/izin.pdf"), rendered)
    assert_is_the_permit(visitor().get(f"/lacak/{code.lower()}/izin.pdf"), rendered)


def test_an_unknown_tracking_code_has_no_permit(office, permit):
    assert visitor().get("/lacak/ABCD-EFGH-JKMN/izin.pdf").status_code == 404


def test_a_file_without_a_permit_has_no_download(office, sip):
    app = walk(office, new_file(office, sip), Stage.APPROVAL)
    assert visitor().get(f"/lacak/{app.tracking_code}/izin.pdf").status_code == 404


def test_a_permit_not_rendered_yet_gets_a_please_wait_page(office, permit, settings, tmp_path):
    use_signing_dir(settings, tmp_path / "missing")  # the on-demand retry fails as well
    response = visitor().get(f"/lacak/{permit.application.tracking_code}/izin.pdf")
    assert response.status_code == 202
    body = response.content.decode()
    assert "Izin sedang disiapkan" in body and permit.number in body


def test_a_permit_whose_render_was_missed_is_rendered_on_download(office, permit, signing_ca):
    response = visitor().get(f"/lacak/{permit.application.tracking_code}/izin.pdf")
    permit.refresh_from_db()
    assert permit.pdf_sha256
    assert_is_the_permit(response, permit)


def test_the_applicant_downloads_their_own_permit_and_no_other_applicant_can(
    client, office, rendered
):
    url = f"/saya/berkas/{rendered.application.public_id}/izin.pdf"
    client.force_login(office.applicant)
    assert_is_the_permit(client.get(url), rendered)
    client.force_login(office.other_applicant)
    assert client.get(url).status_code == 404


def test_visitors_are_asked_to_sign_in_for_the_applicant_download(office, permit):
    url = f"/saya/berkas/{permit.application.public_id}/izin.pdf"
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == LOGIN + url


def test_staff_who_see_the_file_download_it_and_each_download_is_recorded(client, office, rendered):
    url = f"/kantor/berkas/{rendered.application.public_id}/izin.pdf"
    staff = [office.supervisor, office.technical, office.auditor, office.head]
    for user in staff:
        client.force_login(user)
        assert_is_the_permit(client.get(url), rendered)
    views = FileView.objects.filter(application=rendered.application)
    assert sorted((v.viewer_id, v.viewer_role, v.kind) for v in views) == sorted(
        (user.pk, user.role, FileView.Kind.DOCUMENT) for user in staff
    )


def test_staff_of_another_opd_and_applicants_cannot_use_the_office_download(
    client, office, permit, make_user
):
    from tests.factories import OPDFactory

    outsider = make_user(Role.TECHNICAL, username="dishub", unit=OPDFactory(code="DISHUB"))
    url = f"/kantor/berkas/{permit.application.public_id}/izin.pdf"
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(office.applicant)
    assert client.get(url).status_code in {403, 404}
    assert not FileView.objects.filter(application=permit.application).exists()


# --- the tracking page ---------------------------------------------------------------------


def tracking_page(app):
    return visitor().get(f"/lacak/{app.tracking_code}/")


def test_the_tracking_page_of_an_issued_file_shows_the_permit(office, permit):
    response = tracking_page(permit.application)
    body = response.content.decode()
    assert response.status_code == 200
    assert permit.number in body
    assert f'href="/lacak/{permit.application.tracking_code}/izin.pdf"' in body
    assert f"/verifikasi/{permit.code}/" in body


def test_the_tracking_page_of_a_file_awaiting_payment_shows_the_billing_code(office):
    app = walk(office, new_file(office, office.full_type), Stage.AWAITING_PAYMENT)
    body = tracking_page(app).content.decode()
    assert app.bill.billing_code in body
    assert "Rp" in body and "150.000" in body
    assert "izin.pdf" not in body


def test_the_tracking_page_of_an_issued_file_runs_a_fixed_number_of_queries(
    office, sip, django_assert_max_num_queries
):
    def count(app) -> int:
        tracking_page(app)  # warm the per-process caches (catalogue)
        with CaptureQueriesContext(connection) as queries:
            assert tracking_page(app).status_code == 200
        return len(queries)

    permit = issue(office, sip)
    with_one = count(permit.application)
    for _ in range(4):
        issue(office, sip)
    with_five = count(permit.application)
    assert with_one == with_five
    # the file with its holder, its events, the views of it, its permit
    with django_assert_max_num_queries(4):
        tracking_page(permit.application)
