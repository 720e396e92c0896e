"""Every form page shows one error summary at its top, whose links lead to the fields, and
its title starts with "Galat:"; the base layout does it, so no page can forget."""

import re

import pytest
from django.urls import reverse

from permits.models import Stage
from tests.permits.conftest import new_file, walk

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
