"""The satisfaction survey in a real browser, on a 360 px phone: the applicant opens the
link from the invitation in the outbox, answers the nine questions and reports being asked
for money, sees the thank-you page; then an auditor finds the SURVEY flag in the queue."""

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from integrity.models import Flag
from outbox.models import Message
from permits.models import Stage
from public.models import SurveyResponse
from public.models.survey import ELEMENT_FIELDS
from tests.e2e.kit import ARTIFACTS, staff_sign_in
from tests.factories import fire, new_file, walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"survey-{name}.png"), full_page=True)


def test_an_applicant_answers_the_survey_on_a_phone_and_the_auditor_sees_the_flag(
    live_server, office, open_page, signing_ca
):
    base = live_server.url
    app = walk(office, new_file(office, office.simple_type), Stage.SIGNING)
    fire(app, "sign", app.assigned_to)  # commits; the signed PDF is stored, the link sent
    message = Message.objects.get(application=app, kind="survey.invitation")
    link = re.search(r"https?://\S+/survei/[\w-]+/", message.body)[0]

    phone = open_page(width=360, height=780)
    phone.goto(base + urlparse(link).path)
    expect(phone.locator("h1")).to_have_text("Survei kepuasan masyarakat")
    expect(phone.locator("fieldset")).to_have_count(12)
    # Nothing is wider than the phone: no sideways scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    shot(phone, "form-phone")

    # An answer left out is named, and what was chosen stays chosen.
    for field in ELEMENT_FIELDS[:-1]:
        phone.locator(f"input[name={field}][value='4']").check()
    phone.locator("form.survey__form").evaluate("form => form.noValidate = true")
    phone.get_by_role("button", name="Kirim jawaban").click()
    expect(phone.locator(".error-summary")).to_contain_text("pertanyaan 9")
    assert phone.title().startswith("Galat: ")
    expect(phone.locator("input[name=u1][value='4']")).to_be_checked()
    shot(phone, "form-error-phone")

    # Each answer is a large target: tapping the words of an answer chooses it.
    phone.locator("#q-u9 label.survey-choice", has_text="Sangat baik").click()
    box = phone.locator("#q-u9 label.survey-choice").first.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 280
    phone.locator("#q-asked_money label.survey-choice", has_text="Ya").click()
    phone.locator("#q-offered_faster label.survey-choice", has_text="Tidak").click()
    phone.locator("#q-sent_to_intermediary label.survey-choice", has_text="Tidak").click()
    phone.fill("#id_comment", "Diminta uang rokok di loket.")
    phone.get_by_role("button", name="Kirim jawaban").click()
    expect(phone.locator("h1")).to_have_text("Terima kasih atas penilaian Anda")
    expect(phone.get_by_role("link", name="Sampaikan pengaduan")).to_be_visible()
    shot(phone, "thanks-phone")

    response = SurveyResponse.objects.get(application=app)
    assert [getattr(response, f) for f in ELEMENT_FIELDS] == [4] * 8 + [4]
    assert response.asked_money and not response.offered_faster
    flag = Flag.objects.get(rule="SURVEY")

    # The link is used up.
    phone.goto(base + urlparse(link).path)
    expect(phone.locator("h1")).to_have_text("Survei sudah diisi")

    auditor = open_page()
    staff_sign_in(auditor, base, office.auditor)
    auditor.goto(f"{base}/kantor/audit/?rule=SURVEY")
    rows = auditor.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(app.registration_number)
    expect(rows.first).to_contain_text("di luar retribusi resmi")
    assert flag.application_id == app.pk
