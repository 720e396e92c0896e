"""The service standard page links the site's own complaint form, preset to its permit
type; the preset is validated, and the complaint keeps the type it was about."""

import re
import uuid
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from permits.models import PermitType
from public.models import Complaint, ComplaintSubject
from tests.conftest import SignedInClient

pytestmark = pytest.mark.django_db


def browser() -> Client:
    return Client(REMOTE_ADDR=f"2001:db8:{uuid.uuid4().hex[:4]}::1")


def complaint_link(page: str) -> str:
    link = re.search(r'href="([^"]*/pengaduan/baru/[^"]*)"[^>]*>([^<]+)</a>', page)
    assert link, "the service page links no complaint form"
    return unescape(link[1]), link[2]


def selected(page: str, name: str) -> list[str]:
    """The values preselected in the form's select or radio ``name``."""
    block = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    if block:
        return [v for v in re.findall(r'<option value="([^"]*)" selected>', block[1]) if v]
    return re.findall(rf'<input type="radio" name="{name}" value="([^"]*)"[^>]*checked', page)


def test_the_service_page_links_the_complaint_form_for_its_type(catalogue):
    page = browser().get(reverse("service", args=["KES-SIP-BIDAN"])).content.decode()
    url, text = complaint_link(page)
    assert url == "/pengaduan/baru/?layanan=KES-SIP-BIDAN"
    assert text.strip() == "Adukan layanan Surat Izin Praktik Bidan"


def test_the_linked_form_shows_the_type_and_its_unit_preselected(catalogue):
    page = browser().get("/pengaduan/baru/?layanan=KES-SIP-BIDAN").content.decode()
    dinkes = PermitType.objects.get(code="KES-SIP-BIDAN").opd
    assert selected(page, "layanan") == ["KES-SIP-BIDAN"]
    assert selected(page, "unit") == [str(dinkes.pk)]
    assert selected(page, "subject") == [ComplaintSubject.UNIT]


@pytest.mark.parametrize(
    "value", ["NOPE", "<script>alert(1)</script>", "KES-SIP-BIDAN' OR 1=1", "x" * 500]
)
def test_an_unknown_or_hostile_preset_is_ignored(catalogue, value):
    response = browser().get("/pengaduan/baru/", {"layanan": value})
    page = response.content.decode()
    assert response.status_code == 200
    assert selected(page, "layanan") == [] and selected(page, "subject") == []
    assert "<script>alert" not in page


def test_an_inactive_type_is_not_preset(catalogue):
    PermitType.objects.filter(code="KES-SIP-BIDAN").update(active=False)
    page = browser().get("/pengaduan/baru/?layanan=KES-SIP-BIDAN").content.decode()
    assert selected(page, "layanan") == []


def test_the_complaint_keeps_its_type_and_goes_to_its_unit(catalogue, make_user):
    client = browser()
    form = client.get("/pengaduan/baru/?layanan=KES-SIP-BIDAN").context["form"]
    response = client.post(
        "/pengaduan/baru/",
        {
            "subject": "unit",
            "layanan": "KES-SIP-BIDAN",
            "category": "delay",
            "description": "Izin praktik saya sudah tiga minggu belum selesai juga.",
            "anonymous": "on",
            "token": form.initial["token"],
        },
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    midwife = PermitType.objects.get(code="KES-SIP-BIDAN")
    assert complaint.permit_type == midwife
    assert complaint.unit == midwife.opd
    # The inspectorate's page of the complaint names the service.
    auditor = SignedInClient(REMOTE_ADDR="2001:db8:a1::1")
    auditor.force_login(make_user(Role.AUDITOR, username="auditor"))
    page = auditor.get(reverse("complaints_staff:detail", args=[complaint.public_id]))
    assert re.search(r"<dt>Jenis izin</dt><dd>Surat Izin Praktik Bidan</dd>", page.content.decode())
