"""Every form page shows one error summary at its top, whose links lead to the fields, and
its title starts with "Galat:"; the base layout does it, so no page can forget."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from integrity.conflicts.services.gratification import gratification_report
from integrity.inspection.flags.engine import flag_raise
from integrity.models import FlagState
from permits.models import Stage
from permits.services.context import ActionRefused
from public.models import ComplaintCategory, ComplaintSubject
from public.services.complaints import complaint_close, complaint_submit
from tests.factories import act, new_file, walk

pytestmark = pytest.mark.django_db


def summary_of(response) -> tuple[str, list[str]]:
    """The page's title and the summary's links (targets), as a person's browser gets them."""
    body = response.content.decode()
    title = re.search(r"<title>(.*?)</title>", body, re.S).group(1).strip()
    match = re.search(r'<div class="error-summary".*?</div>', body, re.S)
    assert match, "no error summary on the page"
    assert body.index('class="error-summary"') < body.index("<h1"), "summary not at the top"
    targets = re.findall(r'<a href="#([^"]+)"', match.group(0))
    missing = [t for t in targets if f'id="{t}"' not in body]
    assert not missing, f"summary links to no input: {missing}"
    return title, targets


def test_sign_up_with_bad_input(client):
    response = client.post(reverse("accounts:sign_up"), {"identifier": "x", "nik": "123"})
    assert response.status_code == 400
    title, targets = summary_of(response)
    assert title.startswith("Galat: Daftar akun pemohon")
    assert {"id_identifier", "id_nik", "id_full_name", "id_password1"} <= set(targets)


def test_the_title_says_error_in_english(client):
    client.cookies["django_language"] = "en"
    response = client.post(reverse("accounts:sign_up"), {"nik": "123"})
    title, _ = summary_of(response)
    assert title.startswith("Error: ")
    assert "Some answers need correcting" in response.content.decode()


def test_a_wrong_password_links_to_the_first_field(client, office):
    response = client.post(
        reverse("accounts:login"), {"username": office.applicant.username, "password": "salah"}
    )
    title, targets = summary_of(response)
    assert title.startswith("Galat: ")
    assert targets == ["id_username"]


def test_a_page_without_errors_has_no_summary(client):
    body = client.get(reverse("accounts:sign_up")).content.decode()
    assert "error-summary" not in body
    assert "Galat:" not in body


def test_the_complaint_form(client):
    response = client.post(reverse("complaints:new"), {"description": ""})
    assert response.status_code == 400
    title, targets = summary_of(response)
    assert title.startswith("Galat: Buat pengaduan")
    assert "id_subject_0" in targets  # a radio group's link goes to its first radio
    assert "id_category" in targets


def test_the_applicants_draft_form(client, office):
    app = new_file(office)
    client.force_login(office.applicant)
    response = client.post(
        reverse("applicant:save", args=[app.public_id]),
        {"applicant_name": "Siti", "applicant_kind": "business", "applicant_nib": "12"},
    )
    assert response.status_code == 400
    _, targets = summary_of(response)
    assert "id_applicant_nib" in targets


def test_the_back_office_reject_form_in_its_closed_action(client, office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    client.force_login(app.assigned_to)
    response = client.post(
        reverse("backoffice:action", args=[app.public_id, "reject"]),
        {"expected_state": Stage.VERIFICATION},
    )
    assert response.status_code == 400
    title, targets = summary_of(response)
    assert title.startswith("Galat: ")
    assert {"id_reason", "id_legal_basis"} <= set(targets)


def test_the_affiliation_register_formset(client, office):
    client.force_login(office.counter)
    response = client.post(reverse("integrity:register"), {"a-TOTAL_FORMS": "x"})
    assert response.status_code == 400
    title, _ = summary_of(response)
    assert title.startswith("Galat: ")


def test_a_person_s_draft_ignores_the_business_name_and_nib(client, office):
    app = new_file(office)
    app.business_name, app.applicant_nib = "CV Lama", "1234567890123"
    app.save()
    client.force_login(office.applicant)
    response = client.post(
        reverse("applicant:save", args=[app.public_id]),
        {
            "applicant_name": "Siti Rahmawati",
            "applicant_address": "Jl. Merdeka 1, Sukamaju",
            "applicant_phone": "+6281234567890",
            "applicant_kind": "person",
            "business_name": "CV Baru",
            "applicant_nib": "bukan-nib",  # not even checked: it does not apply
        },
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert (app.business_name, app.applicant_nib) == ("", "")


def test_a_business_draft_keeps_them(client, office):
    app = new_file(office)
    client.force_login(office.applicant)
    client.post(
        reverse("applicant:save", args=[app.public_id]),
        {
            "applicant_name": "Siti Rahmawati",
            "applicant_address": "Jl. Merdeka 1, Sukamaju",
            "applicant_phone": "+6281234567890",
            "applicant_kind": "business",
            "business_name": "CV Baru",
            "applicant_nib": "1234567890123",
        },
    )
    app.refresh_from_db()
    assert (app.business_name, app.applicant_nib) == ("CV Baru", "1234567890123")


def test_a_password_reset_request_and_a_walk_in_file(client, office):
    title, targets = summary_of(client.post(reverse("accounts:reset_start"), {"identifier": ""}))
    assert title.startswith("Galat: ") and targets
    client.force_login(office.counter)
    response = client.post(reverse("backoffice:walk_in"), {"applicant_nik": "123"})
    assert response.status_code == 400
    _, targets = summary_of(response)
    assert "id_applicant_nik" in targets


def test_the_cashiers_payment_form(client, office):
    app = walk(office, new_file(office), Stage.AWAITING_PAYMENT)
    client.force_login(office.cashier)
    response = client.post(
        reverse("issuance:payment", args=[app.public_id]),
        {"expected_state": Stage.AWAITING_PAYMENT},
    )
    assert response.status_code == 400
    title, targets = summary_of(response)
    assert title.startswith("Galat: ")
    assert {"pay-reference", "pay-amount"} <= set(targets)


def test_an_auditors_finding(client, office):
    client.force_login(office.auditor)
    response = client.post(reverse("audit:finding_new"), {"title": ""})
    assert response.status_code == 400
    _, targets = summary_of(response)
    assert "id_title" in targets


def test_the_heads_revocation_form(client, office):
    app = walk(office, new_file(office, office.simple_type), Stage.ISSUED)
    client.force_login(office.head)
    response = client.post(reverse("issuance:revoke", args=[app.public_id]), {"reason": "x"})
    assert response.status_code == 400
    _, targets = summary_of(response)
    assert {"revoke-reason", "revoke-confirm"} <= set(targets)


LONG_REASON = "Pengadu salah orang; " * 100  # over the 2,000 characters a reason may have


def raise_flag(*, application=None, officer=None):
    return flag_raise(
        rule="COMPLAINT",
        key="x1",
        application=application,
        officer=officer,
        detail={"summary": "Aduan x1"},
    )


def named_complaint(office):
    """A complaint about the counter officer: the supervisor handles it."""
    return complaint_submit(
        subject=ComplaintSubject.OFFICER,
        officer=office.counter,
        category=ComplaintCategory.IMPROPER,
        description="Petugas loket berkata kasar ketika saya bertanya syarat.",
        contact_name="Siti Rahmawati",
        contact_email="siti@contoh.id",
        contact_phone="+6281234567890",
    )


def test_dismissing_a_flag_on_the_queue_without_a_reason(client, office):
    flag = raise_flag(officer=office.counter)
    client.force_login(office.auditor)
    url = reverse("audit:dismiss", args=[flag.public_id])
    back = reverse("audit:queue") + "?rule=COMPLAINT&state=open"
    response = client.post(url, {"reason": "", "next": back})
    assert response.status_code == 400
    title, targets = summary_of(response)
    assert title.startswith("Galat: Antrean bendera merah")
    assert targets == [f"dismiss-{flag.public_id}-reason"]
    body = response.content.decode()
    assert "Tuliskan alasan bendera ini diabaikan." in body
    assert f'value="{back.replace("&", "&amp;")}"' in body  # back to the same filters after

    response = client.post(url, {"reason": LONG_REASON, "next": back})
    assert response.status_code == 400
    assert LONG_REASON.strip() in response.content.decode()  # what was typed is kept
    flag.refresh_from_db()
    assert flag.state == FlagState.OPEN


def test_dismissing_a_flag_on_the_file_s_story_without_a_reason(client, office):
    app = new_file(office)
    flag = raise_flag(application=app)
    client.force_login(office.auditor)
    back = reverse("audit:story", args=[app.public_id])
    response = client.post(
        reverse("audit:dismiss", args=[flag.public_id]), {"reason": LONG_REASON, "next": back}
    )
    assert response.status_code == 400
    title, targets = summary_of(response)
    assert title.startswith(f"Galat: Riwayat lengkap berkas {app.registration_number}")
    assert targets == [f"dismiss-{flag.public_id}-reason"]
    assert LONG_REASON.strip() in response.content.decode()


def test_reassigning_without_an_officer(client, office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    holder = app.assigned_to
    client.force_login(office.supervisor)
    response = client.post(
        reverse("backoffice:reassign", args=[app.public_id]),
        {"officer": "", "reason": "Petugas cuti sampai Jumat."},
    )
    assert response.status_code == 400
    title, targets = summary_of(response)
    assert title.startswith(f"Galat: {app.registration_number}")
    assert targets == ["reassign-officer"]
    body = response.content.decode()
    assert "Pilih petugas yang akan menangani berkas ini." in body
    assert 'value="Petugas cuti sampai Jumat."' in body  # what was typed is kept
    app.refresh_from_db()
    assert app.assigned_to == holder


def test_reassigning_without_a_reason_keeps_the_chosen_officer(client, office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    other = office.counter2 if app.assigned_to == office.counter else office.counter
    client.force_login(office.supervisor)
    response = client.post(
        reverse("backoffice:reassign", args=[app.public_id]), {"officer": other.pk, "reason": ""}
    )
    assert response.status_code == 400
    _, targets = summary_of(response)
    assert targets == ["reassign-reason"]
    assert f'<option value="{other.pk}" selected>' in response.content.decode()


def test_a_refused_upload_at_the_counter(client, office):
    app = new_file(office, online=False)
    client.force_login(office.counter)
    requirement = app.checks.first().requirement
    response = client.post(
        reverse("backoffice:upload", args=[app.public_id]),
        {"requirement": requirement.pk, "file": SimpleUploadedFile("setup.pdf", b"MZ\x90\x00")},
    )
    assert response.status_code == 400
    title, targets = summary_of(response)
    assert title.startswith("Galat: ")
    assert targets == [f"upload-file-{requirement.pk}"]
    summary = response.content.decode().split('class="error-summary"')[1].split("</div>")[0]
    assert requirement.name in summary and "bukan PDF, JPEG atau PNG" in summary
    assert not app.documents.exists()


def test_a_refused_upload_by_the_applicant_without_js(client, office):
    app = new_file(office)
    client.force_login(office.applicant)
    requirement = app.checks.first().requirement
    response = client.post(
        reverse("applicant:upload", args=[app.public_id]), {"requirement": requirement.pk}
    )
    assert response.status_code == 400
    title, targets = summary_of(response)
    assert title.startswith("Galat: ")
    assert targets == [f"upload-file-{requirement.pk}"]
    assert "Pilih berkas yang akan diunggah." in response.content.decode()


def test_a_refused_upload_in_the_counters_checklist(client, office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    client.force_login(app.assigned_to)
    requirement = app.checks.first().requirement
    response = client.post(
        reverse("backoffice:upload", args=[app.public_id]), {"requirement": requirement.pk}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="checklist-form"' in body
    _, targets = summary_of(response)
    assert targets == [f"upload-file-{requirement.pk}"]
    row = body.split(f'id="upload-file-{requirement.pk}"')[1].split("</fieldset>")[0]
    assert "Pilih berkas yang akan diunggah." in row  # beside the row too


def test_a_kpk_report_without_its_date(client, office):
    made = gratification_report(
        actor=act(office.counter),
        what="Amplop berisi uang",
        estimated_value=500_000,
        giver="Kuasa pemohon",
        accepted=True,
        received_on=datetime.date(2026, 11, 23),
    )
    client.force_login(office.counter)
    response = client.post(
        reverse("integrity:gratification_kpk", args=[made.public_id]),
        {"reported_on": "", "reference": "KPK/2026/0042"},
    )
    assert response.status_code == 400
    title, targets = summary_of(response)
    assert title.startswith("Galat: Laporan gratifikasi")
    assert targets == [f"kpk-{made.public_id}-reported_on"]
    assert 'value="KPK/2026/0042"' in response.content.decode()
    made.refresh_from_db()
    assert made.kpk_reported_on is None


def test_a_complaint_handlers_answer_that_is_too_long(client, office):
    complaint, _code = named_complaint(office)
    client.force_login(office.supervisor)
    url = reverse("complaints_staff:detail", args=[complaint.public_id])
    token = re.search(r'name="token" value="([^"]+)"', client.get(url).content.decode())[1]
    answer = "Petugas sudah ditegur. " * 250  # over the 5,000 characters an answer may have
    response = client.post(url, {"action": "answer", "body": answer, "token": token})
    assert response.status_code == 400
    title, targets = summary_of(response)
    assert title.startswith("Galat: ")
    assert targets == ["id_answer_body"]
    body = response.content.decode()
    assert "Teks terlalu panjang (paling banyak 5000 huruf)." in body
    assert answer.strip() in body  # what was typed is kept


def test_closing_a_complaint_without_its_outcome(client, office):
    complaint, _code = named_complaint(office)
    client.force_login(office.supervisor)
    url = reverse("complaints_staff:detail", args=[complaint.public_id])
    token = re.search(r'name="token" value="([^"]+)"', client.get(url).content.decode())[1]
    response = client.post(url, {"action": "close", "body": "", "token": token})
    assert response.status_code == 400
    _, targets = summary_of(response)
    assert targets == ["id_close_body"]
    assert "Tulis hasil penanganan pengaduan." in response.content.decode()


@pytest.mark.parametrize("side", ["applicant", "office"])
def test_a_refused_message_on_the_file_page(client, office, side):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    if side == "applicant":
        client.force_login(office.applicant)
        url = reverse("applicant:message", args=[app.public_id])
    else:
        client.force_login(app.assigned_to)
        url = reverse("backoffice:message", args=[app.public_id])
    typed = "Mohon STR diperbarui. " * 100  # over the 2,000 characters a message may have
    response = client.post(url, {"body": typed})
    assert response.status_code == 400
    title, targets = summary_of(response)
    assert title.startswith("Galat: ")
    assert targets == ["message-body"]
    assert "Pesan terlalu panjang" in response.content.decode()
    assert typed in response.content.decode()


def test_tracking_a_number_that_is_not_found(client, office):
    response = client.post(reverse("tracking:start"), {"number": "MPP-2026-999999", "nik4": "0001"})
    assert response.status_code == 404
    title, targets = summary_of(response)
    assert title.startswith("Galat: ")
    assert targets == ["id_number"]
    assert 'value="MPP-2026-999999"' in response.content.decode()


def test_looking_up_the_officers_of_an_unknown_file(client, office):
    response = client.post(
        reverse("complaints:new"), {"cari": "1", "subject": "officer", "berkas": "ZZZZ-ZZZZ-ZZZZ"}
    )
    title, targets = summary_of(response)
    assert title.startswith("Galat: Buat pengaduan")
    assert targets == ["id_berkas"]
    assert 'value="ZZZZ-ZZZZ-ZZZZ"' in response.content.decode()


def test_an_action_on_a_complaint_closed_meanwhile_has_no_dead_link(client, office):
    complaint, _code = named_complaint(office)
    client.force_login(office.supervisor)
    url = reverse("complaints_staff:detail", args=[complaint.public_id])
    token = re.search(r'name="token" value="([^"]+)"', client.get(url).content.decode())[1]
    complaint_close(complaint=complaint, by=office.supervisor, outcome="Petugas dibina.")
    response = client.post(url, {"action": "answer", "body": "Sudah ditegur.", "token": token})
    assert response.status_code == 400
    title, targets = summary_of(response)  # every link of the summary has its target
    assert title.startswith("Galat: ") and targets == []
    assert "Pengaduan ini sudah selesai." in response.content.decode()


def test_a_walk_in_file_refused_by_the_service(client, office, monkeypatch):
    def refuse(**_kwargs):
        raise ActionRefused("Jenis izin ini sedang tidak dilayani.")

    monkeypatch.setattr("permits.views.backoffice.application_create", refuse)
    client.force_login(office.counter)
    response = client.post(
        reverse("backoffice:walk_in"),
        {
            "permit_type": office.simple_type.pk,
            "applicant_name": "Joko",
            "applicant_nik": "3201010101900003",
            "applicant_address": "Jl. Melati 2",
        },
    )
    assert response.status_code == 400
    title, targets = summary_of(response)
    assert title.startswith("Galat: ") and targets == ["id_permit_type"]
    assert "Jenis izin ini sedang tidak dilayani." in response.content.decode()
    assert "Jl. Melati 2" in response.content.decode()  # nothing typed is lost


def test_a_checklist_refused_as_a_whole_without_js(client, office, monkeypatch):
    def refuse(**_kwargs):
        raise ActionRefused("Berkas ini sudah berubah; muat ulang halaman.")

    monkeypatch.setattr("permits.views.backoffice.checklist_save", refuse)
    app = walk(office, new_file(office), Stage.VERIFICATION)
    client.force_login(app.assigned_to)
    data = {}
    for check in app.checks.all():
        data[f"checklist-status_{check.pk}"] = "ok"
        data[f"checklist-note_{check.pk}"] = ""
    response = client.post(reverse("backoffice:checklist", args=[app.public_id]), data)
    assert response.status_code == 400
    title, _ = summary_of(response)
    assert title.startswith("Galat: ")
    summary = response.content.decode().split('class="error-summary"')[1].split("</div>")[0]
    assert "Berkas ini sudah berubah; muat ulang halaman." in summary
