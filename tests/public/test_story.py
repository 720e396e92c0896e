"""A file's complaints and survey answer on the inspectorate's timeline of the file."""

from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from integrity.inspection.selectors.story import file_story
from permits.models import Stage
from public.models import ComplaintCategory, ComplaintSubject, SurveyResponse
from public.services.complaints import complaint_submit
from tests.factories import new_file, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def told(office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    complaint, _code = complaint_submit(
        subject=ComplaintSubject.FILE,
        category=ComplaintCategory.DELAY,
        description="Berkas saya lama sekali tidak diperiksa oleh petugas loket.",
        application=app,
        anonymous=True,
    )
    SurveyResponse.objects.create(
        application=app,
        unit=app.permit_type.opd,
        permit_type=app.permit_type,
        answered_at=timezone.now(),
        asked_money=True,
        offered_faster=False,
        sent_to_intermediary=False,
        comment="Diminta uang rokok.",
        **{f"u{i}": 2 for i in range(1, 10)},
    )
    return app, complaint


def test_the_story_holds_the_complaint_and_the_survey_answer(told):
    app, complaint = told
    kinds = {entry.kind: entry for entry in file_story(app)}
    assert complaint.number in kinds["complaint"].title
    assert "lama sekali" in kinds["complaint"].detail
    assert "U1=2" in kinds["survey"].detail and "Diminta uang rokok." in kinds["survey"].detail


def test_auditors_read_them_on_the_file_page_and_staff_cannot_open_it(office, client, told):
    app, complaint = told
    client.force_login(office.auditor)
    page = unescape(client.get(reverse("audit:story", args=[app.public_id])).content.decode())
    assert complaint.number in page and "Diminta uang rokok." in page
    client.force_login(office.supervisor)
    assert client.get(reverse("audit:story", args=[app.public_id])).status_code == 403
