"""After each back-office action the officer reads what happened, to whom the file went and
how the applicant was told, in words ("Berkas dikembalikan; pemohon diberi tahu lewat
WhatsApp."), never "Tersimpan. Tahap berkas diperbarui."."""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse

from issuance.models import Bill
from permits.models import CheckStatus, Stage
from tests.factories import declare_clear, new_file, walk

pytestmark = pytest.mark.django_db


def said(response) -> str:
    return " ".join(unescape(str(m)) for m in response.context["messages"])


def reachable(office, channel: str):
    """The applicant chose ``channel`` in their preferences and left both addresses."""
    user = office.applicant
    user.email, user.phone, user.contact_channel = "siti@example.id", "+6281234567890", channel
    user.save()


def post_action(client, app, name, data=None):
    declare_clear(app, app.assigned_to)
    client.force_login(app.assigned_to)
    url = reverse("backoffice:action", args=[app.public_id, name])
    return client.post(url, {"expected_state": app.state, **(data or {})}, follow=True)


def test_returning_names_the_applicants_channel(client, office):
    reachable(office, "whatsapp")
    app = walk(office, new_file(office), Stage.VERIFICATION)
    check = app.checks.get(requirement__code="STR")
    data = {f"status_{check.pk}": CheckStatus.INVALID, f"note_{check.pk}": "STR kedaluwarsa."}
    response = post_action(client, app, "return_to_applicant", data)
    assert said(response) == "Berkas dikembalikan; pemohon diberi tahu lewat WhatsApp."


def test_rejecting_names_the_applicants_channel(client, office):
    reachable(office, "email")
    app = walk(office, new_file(office), Stage.VERIFICATION)
    data = {"reason": "Bukan kewenangan daerah.", "legal_basis": "Perda 1/2020", "note": ""}
    response = post_action(client, app, "reject", data)
    assert said(response) == "Permohonan ditolak; pemohon diberi tahu lewat surel."


def test_completing_says_who_has_the_file_now(client, office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    for check in app.checks.all():
        check.status = CheckStatus.OK
        check.save()
    response = post_action(client, app, "declare_complete")
    technical = app.__class__.objects.get(pk=app.pk).assigned_to
    assert said(response) == (
        "Berkas dinyatakan lengkap; waktu SOP berjalan; "
        f"diteruskan ke {technical.display_name} (Petugas teknis)."
    )


def test_a_step_into_payment_says_the_bill_went_out_and_how(client, office):
    reachable(office, "sms")
    app = walk(office, new_file(office), Stage.INSPECTION)
    response = post_action(client, app, "finish_inspection")
    assert said(response).startswith("Peninjauan lapangan selesai; ")
    assert said(response).endswith("tagihan retribusi dikirim ke pemohon lewat SMS.")


def test_the_cashiers_payment_says_who_approves_next(client, office):
    app = walk(office, new_file(office), Stage.AWAITING_PAYMENT)
    bill = Bill.objects.get(application=app)
    declare_clear(app, office.cashier)
    client.force_login(office.cashier)
    data = {"reference": "KW-1", "amount": bill.amount, "expected_state": app.state}
    response = client.post(reverse("issuance:payment", args=[app.public_id]), data, follow=True)
    app.refresh_from_db()
    assert said(response) == (
        "Pembayaran retribusi dicatat; "
        f"diteruskan ke {app.assigned_to.display_name} (Atasan langsung)."
    )


def test_signing_names_the_permit_number(client, office):
    app = walk(office, new_file(office, office.simple_type), Stage.SIGNING)
    response = post_action(client, app, "sign")
    app.refresh_from_db()
    assert said(response) == (
        f"Izin ditandatangani dengan nomor {app.permit.number}; PDF bertanda tangan sedang "
        "disusun dan pemohon diberi tahu begitu PDF tersimpan."
    )


def test_a_walk_in_applicant_is_told_by_sms_at_the_number_they_left(client, office):
    app = walk(office, new_file(office, office.simple_type, online=False), Stage.DRAFT)
    client.force_login(office.counter)
    url = reverse("backoffice:action", args=[app.public_id, "submit"])
    response = client.post(url, {"expected_state": Stage.DRAFT}, follow=True)
    app.refresh_from_db()
    assert said(response) == (
        f"Berkas diajukan dengan nomor {app.registration_number}; "
        f"diteruskan ke {app.assigned_to.display_name} (Petugas loket); "
        "pemohon diberi tahu lewat SMS."
    )


def test_a_message_says_how_the_applicant_was_told(client, office):
    reachable(office, "whatsapp")
    app = walk(office, new_file(office), Stage.VERIFICATION)
    client.force_login(app.assigned_to)
    url = reverse("backoffice:message", args=[app.public_id])
    response = client.post(url, {"body": "STR mohon diperbarui."}, follow=True)
    assert said(response) == "Pesan terkirim; pemohon diberi tahu lewat WhatsApp."


def test_reassigning_names_the_new_officer_and_role(client, office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    other = office.counter2 if app.assigned_to != office.counter2 else office.counter
    client.force_login(office.supervisor)
    url = reverse("backoffice:reassign", args=[app.public_id])
    response = client.post(url, {"officer": other.pk, "reason": "Cuti."}, follow=True)
    assert said(response) == f"Berkas dipindahkan ke {other.display_name} (Petugas loket)."
