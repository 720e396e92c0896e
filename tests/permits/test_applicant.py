"""The applicant's side: start, draft saved as one goes, uploads, submit, receipt, return,
withdraw; for the applicant, another applicant, staff and anonymous visitors."""

import re
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from permits.models import Application, Stage
from tests.factories import PDF, return_file, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def siti(office, client):
    applicant = office.applicant
    applicant.nik, applicant.address = "3201014101900001", "Jl. Merdeka 1, Sukamaju"
    applicant.email, applicant.email_verified_at = "siti@contoh.id", timezone.now()
    applicant.save()
    client.force_login(applicant)
    return client


def start(client, permit_type) -> Application:
    response = client.post(f"/saya/ajukan/{permit_type.code}/")
    assert response.status_code == 302
    return Application.objects.latest("pk")


def url(app, action=""):
    return f"/saya/berkas/{app.public_id}/{action + '/' if action else ''}"


def upload(client, app, code, content=PDF, name="dokumen.pdf", htmx=False):
    requirement = app.permit_type.requirements.get(code=code)
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        url(app, "unggah"),
        {"requirement": requirement.pk, "file": SimpleUploadedFile(name, content)},
        headers=headers,
    )


def test_starting_an_application_makes_a_draft_filled_from_the_account(siti, office):
    app = start(siti, office.full_type)
    assert app.state == Stage.DRAFT and app.applicant == office.applicant
    assert app.applicant_nik == "3201014101900001"
    assert app.applicant_address == "Jl. Merdeka 1, Sukamaju"
    page = siti.get(url(app)).content.decode()
    assert "Data pemohon" in page and "Dokumen persyaratan" in page


def test_the_draft_saves_as_one_types(siti, office):
    app = start(siti, office.full_type)
    response = siti.post(
        url(app, "simpan"),
        {
            "applicant_name": "Siti Rahmawati",
            "applicant_address": "Jl. Baru 2",
            "applicant_phone": "0812 3456 7890",
            "applicant_email": "siti@contoh.id",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "Tersimpan pukul" in response.content.decode()
    app.refresh_from_db()
    assert app.applicant_address == "Jl. Baru 2" and app.applicant_phone == "+6281234567890"
    assert app.history.latest().history_user == office.applicant


def test_bad_draft_input_is_explained_and_kept(siti, office):
    app = start(siti, office.full_type)
    response = siti.post(
        url(app, "simpan"),
        {
            "applicant_name": "Siti",
            "applicant_address": "Jl. Tetap 3",
            "applicant_nib": "123",
            "representative_name": "Budi",
        },
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200  # htmx swaps only 2xx: the errors come in the form
    assert "NIB terdiri dari 13 angka." in body and "Isi NIK kuasa." in body
    assert "Jl. Tetap 3" in body
    app.refresh_from_db()
    assert app.applicant_address == "Jl. Merdeka 1, Sukamaju"  # nothing half-saved


def test_each_requirement_uploads_on_its_own_and_a_bad_one_keeps_the_others(siti, office):
    app = start(siti, office.full_type)
    assert upload(siti, app, "KTP", htmx=True).status_code == 200
    bad = upload(siti, app, "STR", content=b"MZ\x90\x00 not a pdf", name="str.pdf", htmx=True)
    assert bad.status_code == 200  # the row explains the refusal (htmx swaps only 2xx)
    # The live region that stays on the page reads the refusal out (htmx swaps it in).
    assert re.search(
        r'<div hx-swap-oob="innerHTML:#upload-status">[^<]*tidak terunggah', bad.content.decode()
    )
    assert "bukan PDF, JPEG atau PNG" in bad.content.decode()
    assert list(app.documents.values_list("requirement__code", flat=True)) == ["KTP"]
    empty = upload(siti, app, "STR", content=b"", name="kosong.pdf")
    assert empty.status_code == 400  # without htmx: the page again, the message on the row
    page = empty.content.decode()
    assert "Berkas kosong" in page or "Pilih berkas" in page


def test_submitting_needs_every_mandatory_document(siti, office):
    app = start(siti, office.full_type)
    upload(siti, app, "KTP")
    response = siti.post(url(app, "ajukan"), {"expected_state": "draft"}, follow=True)
    assert "Unggah dulu dokumen wajib" in response.content.decode()
    app.refresh_from_db()
    assert app.state == Stage.DRAFT


def test_submitting_needs_a_verified_contact(siti, office):
    office.applicant.email_verified_at = None
    office.applicant.save()
    app = start(siti, office.full_type)
    upload(siti, app, "KTP")
    upload(siti, app, "STR")
    response = siti.post(url(app, "ajukan"), {"expected_state": "draft"})
    assert response["Location"] == "/akun/verifikasi/"
    app.refresh_from_db()
    assert app.state == Stage.DRAFT


def test_a_complete_draft_is_submitted_once_and_gets_its_receipt(siti, office):
    app = start(siti, office.full_type)
    upload(siti, app, "KTP")
    upload(siti, app, "STR")
    response = siti.post(url(app, "ajukan"), {"expected_state": "draft"})
    assert response["Location"] == url(app, "tanda-terima")
    again = siti.post(url(app, "ajukan"), {"expected_state": "draft"}, follow=True)
    assert "Berkas ini sudah berubah sejak halaman Anda dibuka" in again.content.decode()
    app.refresh_from_db()
    assert app.state == Stage.SUBMITTED
    assert app.events.filter(action="application.submitted").count() == 1
    receipt = siti.get(url(app, "tanda-terima")).content.decode()
    assert app.registration_number in receipt and app.tracking_code in receipt
    assert "<svg" in receipt and "************0001" in receipt


def test_the_receipt_pdf_is_an_a4_document_with_the_numbers(siti, office, tmp_path):
    app = start(siti, office.full_type)
    upload(siti, app, "KTP")
    upload(siti, app, "STR")
    siti.post(url(app, "ajukan"), {"expected_state": "draft"})
    app.refresh_from_db()
    response = siti.get(url(app, "tanda-terima.pdf").rstrip("/"))
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    pdf = tmp_path / "receipt.pdf"
    pdf.write_bytes(content)
    assert content.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Tanda terima permohonan" in text
    assert app.registration_number in text and app.tracking_code in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert "595.276 x 841.89" in info.stdout  # A4 in points


def test_a_returned_file_is_completed_and_resubmitted(siti, office):
    app = start(siti, office.full_type)
    upload(siti, app, "KTP")
    upload(siti, app, "STR")
    siti.post(url(app, "ajukan"), {"expected_state": "draft"})
    app = return_file(office, walk(office, app, Stage.VERIFICATION))
    page = siti.get(url(app)).content.decode()
    assert "STR sudah habis masa berlakunya." in page
    assert upload(siti, app, "STR", content=PDF + b"% STR baru\n").status_code == 302
    siti.post(url(app, "ajukan"), {"expected_state": "returned"})
    app.refresh_from_db()
    assert app.state == Stage.VERIFICATION
    assert app.documents.filter(requirement__code="STR").count() == 2


def test_a_returned_requirement_reads_perlu_diganti_until_new_content_arrives(siti, office):
    app = start(siti, office.full_type)
    upload(siti, app, "KTP")
    upload(siti, app, "STR")
    siti.post(url(app, "ajukan"), {"expected_state": "draft"})
    app = return_file(office, walk(office, app, Stage.VERIFICATION))
    page = siti.get(url(app)).content.decode()
    assert "perlu diganti" in page and "STR sudah habis masa berlakunya." in page
    assert "Semua dokumen wajib sudah ada" not in page
    assert "Ganti dulu dokumen yang dikembalikan petugas" in page

    same = upload(siti, app, "STR", htmx=True).content.decode()
    assert "Berkas ini sama persis dengan yang dikembalikan petugas" in same
    refused = siti.post(url(app, "ajukan"), {"expected_state": "returned"}, follow=True)
    assert "Ganti dulu dokumen yang dikembalikan petugas" in refused.content.decode()
    app.refresh_from_db()
    assert app.state == Stage.RETURNED

    fixed = upload(siti, app, "STR", content=PDF + b"% STR baru\n", htmx=True).content.decode()
    assert "perlu diganti</span>" not in fixed
    assert "Semua dokumen wajib sudah ada" in fixed
    siti.post(url(app, "ajukan"), {"expected_state": "returned"})
    app.refresh_from_db()
    assert app.state == Stage.VERIFICATION
    page = siti.get(url(app)).content.decode()  # the old verdict waits on the new document
    assert "Sudah diganti; petugas akan memeriksanya lagi." in page


def test_withdrawing_needs_a_reason(siti, office):
    app = start(siti, office.full_type)
    upload(siti, app, "KTP")
    upload(siti, app, "STR")
    siti.post(url(app, "ajukan"), {"expected_state": "draft"})
    refused = siti.post(url(app, "cabut"), {"expected_state": "submitted", "reason": ""})
    assert refused.status_code == 400
    assert "Tuliskan alasan Anda mencabut permohonan." in refused.content.decode()
    siti.post(url(app, "cabut"), {"expected_state": "submitted", "reason": "Batal buka usaha."})
    app.refresh_from_db()
    assert app.state == Stage.WITHDRAWN
    assert app.events.get(action="application.withdrawn").note == "Batal buka usaha."


@pytest.mark.parametrize(
    ("method", "action"),
    [
        ("get", ""),
        ("post", "simpan"),
        ("post", "unggah"),
        ("post", "ajukan"),
        ("post", "cabut"),
        ("get", "tanda-terima"),
    ],
)
def test_another_applicants_file_is_not_found(siti, office, client, method, action):
    app = start(siti, office.full_type)
    client.force_login(office.other_applicant)
    response = getattr(client, method)(url(app, action))
    assert response.status_code == 404
    app.refresh_from_db()
    assert app.state == Stage.DRAFT


@pytest.mark.parametrize("role", ["counter", "supervisor", "auditor"])
def test_staff_are_refused_the_applicant_pages(client, office, role):
    client.force_login(getattr(office, role))
    assert client.get("/saya/").status_code == 403
    assert client.post(f"/saya/ajukan/{office.full_type.code}/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, office):
    for path in ["/saya/", f"/saya/ajukan/{office.full_type.code}/"]:
        response = client.post(path) if "ajukan" in path else client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/")


def test_the_dashboard_lists_own_files_in_a_fixed_number_of_queries(
    siti, office, django_assert_max_num_queries
):
    for _ in range(12):
        start(siti, office.simple_type)
    with django_assert_max_num_queries(8):
        page = siti.get("/saya/")
    assert page.content.decode().count('class="card my-file"') == 12


def test_bad_draft_input_without_htmx_gets_the_whole_page_with_the_errors(siti, office):
    app = start(siti, office.full_type)
    response = siti.post(url(app, "simpan"), {"applicant_name": "", "applicant_address": "X"})
    assert response.status_code == 400
    assert "Dokumen persyaratan" in response.content.decode()


def test_an_htmx_upload_also_refreshes_the_submit_section(siti, office):
    app = start(siti, office.full_type)
    upload(siti, app, "KTP", htmx=True)
    body = upload(siti, app, "STR", htmx=True).content.decode()
    assert 'id="submit-section"' in body and 'hx-swap-oob="true"' in body
    assert "Semua dokumen wajib sudah ada." in body


def test_the_receipt_pdf_is_rendered_by_a_task_after_the_submission_commits(
    siti, office, django_capture_on_commit_callbacks
):
    import hashlib

    app = start(siti, office.full_type)
    upload(siti, app, "KTP")
    upload(siti, app, "STR")
    with django_capture_on_commit_callbacks(execute=True):
        siti.post(url(app, "ajukan"), {"expected_state": "draft"})
    app.refresh_from_db()
    assert app.receipt_pdf and len(app.receipt_sha256) == 64
    with app.receipt_pdf.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == app.receipt_sha256
    response = siti.get(url(app, "tanda-terima.pdf").rstrip("/"))
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == app.receipt_sha256
