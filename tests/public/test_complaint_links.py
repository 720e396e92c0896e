"""Where an applicant finds the complaint form: their file, their list, the tracking page."""

from html import unescape

import pytest
from django.urls import reverse

from permits.models import Stage
from tests.factories import new_file, walk

pytestmark = pytest.mark.django_db


def complaint_link(app) -> str:
    return f"{reverse('complaints:new')}?berkas={app.tracking_code}"


def test_a_submitted_file_offers_a_complaint_about_it(office, client):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    client.force_login(office.applicant)
    page = unescape(client.get(reverse("applicant:file", args=[app.public_id])).content.decode())
    assert complaint_link(app) in page


def test_a_draft_offers_none(office, client):
    app = new_file(office)
    client.force_login(office.applicant)
    page = unescape(client.get(reverse("applicant:file", args=[app.public_id])).content.decode())
    assert reverse("complaints:new") + "?berkas=" not in page


def test_the_tracking_page_offers_a_complaint_and_the_levy_report(office, client):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    page = unescape(client.get(reverse("tracking:file", args=[app.tracking_code])).content.decode())
    assert complaint_link(app) + '"' in page
    assert complaint_link(app) + "&kategori=money" in page


def test_the_applicants_list_links_their_complaints(office, client):
    client.force_login(office.applicant)
    page = client.get(reverse("applicant:dashboard")).content.decode()
    assert reverse("complaints:mine") in page
