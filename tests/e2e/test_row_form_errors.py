"""A form in a row of a page (moving a file to another officer) posted with a mistake: the
page comes back with the error summary on top, focused, and nothing typed is lost."""

import pytest
from playwright.sync_api import expect

from permits.models import Stage
from tests.e2e.kit import ARTIFACTS, open_file, staff_sign_in
from tests.factories import new_file, walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_reassigning_without_an_officer_on_a_phone(live_server, open_page, office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    holder = app.assigned_to
    page = open_page(width=360, height=800)
    staff_sign_in(page, live_server.url, office.supervisor)
    open_file(page, live_server.url, app)
    action = page.locator("details.action", has=page.locator("summary", has_text="Pindahkan"))
    action.locator("summary").click()
    page.fill("#reassign-reason", "Petugas cuti sampai Jumat.")
    action.get_by_role("button", name="Pindahkan").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    assert page.title().startswith("Galat: ")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    link = summary.locator("a[href='#reassign-officer']")
    expect(link).to_have_text("Petugas baru: Pilih petugas yang akan menangani berkas ini.")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "row-form-reassign-360.png"), full_page=True)

    link.click()
    assert page.evaluate("document.activeElement.id") == "reassign-officer"
    expect(page.locator("#reassign-reason")).to_have_value("Petugas cuti sampai Jumat.")
    app.refresh_from_db()
    assert app.assigned_to == holder
