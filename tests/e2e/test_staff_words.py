"""Staff pages in a real browser at desk width: the auditor reads a file's story in words
(names and roles, local dates, one entry per act, filters by kind), and the head of office
sees the permit as it will be issued before signing it, and is asked by name."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from permits.models import Stage
from permits.services.events import file_event
from tests.e2e.kit import ARTIFACTS, open_file, staff_sign_in
from tests.factories import act, new_file, walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    """Keep a picture of what the person saw (test-artifacts/e2e/), to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_the_auditor_reads_the_story_in_words(live_server, office, open_page):
    app = walk(office, new_file(office, office.simple_type), Stage.APPROVAL)
    at = datetime.datetime(2026, 11, 17, 8, 27, tzinfo=datetime.UTC)
    file_event(application=app, action="sla.reminded", actor=act(office.counter), at=at)
    page = open_page(width=1280, height=900)
    staff_sign_in(page, live_server.url, office.auditor)
    page.goto(f"{live_server.url}/kantor/audit/berkas/{app.public_id}/")
    story = page.locator("ol.story")
    text = story.inner_text()
    assert "17 Nov 2026, 15.27" in text
    assert f"Ditangani {office.supervisor.display_name} (Atasan langsung)." in text
    assert f"{office.counter.display_name} (Petugas loket)" in text
    for raw in ["to=", "application.", "(counter)", "assigned_to", "2026-11-17"]:
        assert raw not in text, raw
    # One entry per act: the submission appears once, its changes folded in.
    assert story.locator("strong", has_text=re.compile(r"^Diajukan$")).count() == 1
    shot(page, "staff-story")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 4000, height

    # Only the documents, by the filter.
    filters = page.get_by_role("group", name="Tampilkan")
    for label in ["Peristiwa", "Perubahan data", "Pesan", "Akses petugas", "Integritas"]:
        filters.get_by_label(label).uncheck()
    page.get_by_role("button", name="Saring").click()
    expect(page).to_have_url(re.compile(r"jenis=document"))
    titles = page.locator("ol.story strong").all_inner_texts()
    assert titles == ["Dokumen diunggah", "Dokumen diunggah"]
    expect(page.locator("ol.story")).to_contain_text("KTP versi 1")

    # On a phone the story reads without sideways scrolling.
    phone = open_page(width=360, height=800)
    staff_sign_in(phone, live_server.url, office.auditor)
    phone.goto(f"{live_server.url}/kantor/audit/berkas/{app.public_id}/")
    expect(phone.locator("ol.story")).to_contain_text("17 Nov 2026, 15.27")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    shot(phone, "staff-story-phone")


def test_the_head_sees_the_permit_before_signing_and_is_asked_by_name(
    live_server, office, open_page
):
    app = walk(office, new_file(office, office.simple_type), Stage.SIGNING)
    page = open_page(width=1280, height=900)
    staff_sign_in(page, live_server.url, office.head)
    open_file(page, live_server.url, app)
    preview = page.locator("#pratinjau-izin figure.permit-preview img")
    expect(preview).to_be_visible()
    expect(preview).to_have_attribute(
        "alt", f"Pratinjau {app.permit_type.name} untuk {app.applicant_name}"
    )
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 800", arg=preview.element_handle()
    )
    question = f"Tandatangani {app.permit_type.name} untuk {app.applicant_name}?"
    shot(page, "staff-sign")
    sign = page.locator("details.sign")
    sign.locator("summary").click()
    expect(sign).to_contain_text(question)
    sign.get_by_role("button", name="Ya, tandatangani izin ini").click()
    app.refresh_from_db()
    expect(page.locator(".messages")).to_contain_text(
        f"Izin ditandatangani dengan nomor {app.permit.number}"
    )
    assert app.state == Stage.ISSUED
