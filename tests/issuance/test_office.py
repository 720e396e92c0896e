"""The cashier finds a file by its billing code; staff read what issuance adds to a file."""

import pytest
from django.urls import reverse

from permits.models import Stage
from tests.factories import new_file, walk

pytestmark = pytest.mark.django_db


def test_the_cashier_finds_a_file_by_its_billing_code(client, office):
    wanted = walk(office, new_file(office), Stage.AWAITING_PAYMENT)
    other = walk(office, new_file(office), Stage.AWAITING_PAYMENT)
    client.force_login(office.cashier)
    url = reverse("backoffice:worklist")
    body = client.get(url, {"q": wanted.bill.billing_code, "scope": "all"}).content.decode()
    assert wanted.registration_number in body
    assert other.registration_number not in body
    # A code that is no bill finds nothing rather than every file.
    body = client.get(url, {"q": "1234567890123452", "scope": "all"}).content.decode()
    assert wanted.registration_number not in body


def test_the_timeline_names_the_permit_events(client, office, django_capture_on_commit_callbacks):
    app = walk(office, new_file(office, office.simple_type), Stage.SIGNING)
    from tests.factories import fire

    app = fire(app, "sign", app.assigned_to)
    client.force_login(office.auditor)
    body = client.get(reverse("backoffice:file", args=[app.public_id])).content.decode()
    assert "Nomor izin diberikan" in body
    assert "permit.issued" not in body
    assert app.permit.number in body
