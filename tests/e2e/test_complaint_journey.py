"""A complaint in a real browser: an anonymous visitor on a phone complains about the officer
of a file (named through its tracking code) with a PNG as evidence and writes down the
follow-up code; the officer's supervisor answers in the back office; the visitor, in
another browser, follows up with the code and reads the answer."""

import pytest
from playwright.sync_api import expect

from permits.models import Stage
from public.models import Complaint, ComplaintState, Route
from tests.e2e.kit import ARTIFACTS, staff_sign_in
from tests.factories import PNG, new_file, walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"complaint-{name}.png"), full_page=True)


def test_an_anonymous_complaint_about_an_officer_is_answered_and_followed_up(
    live_server, office, open_page
):
    base = live_server.url
    app = walk(office, new_file(office), Stage.VERIFICATION)

    visitor = open_page(width=360, height=800)
    visitor.goto(f"{base}/pengaduan/")
    visitor.get_by_role("link", name="Buat pengaduan").click()
    visitor.fill("#id_berkas", app.tracking_code)
    visitor.get_by_role("button", name="Tampilkan petugas berkas ini").click()
    visitor.locator("input[name=subject][value=officer]").check()
    visitor.select_option("#id_officer", str(office.counter.pk))
    visitor.select_option("#id_category", "improper")
    visitor.fill("#id_description", "Petugas loket membentak saya ketika saya bertanya syarat.")
    visitor.set_input_files(
        "#id_evidence", files=[{"name": "foto.png", "mimeType": "image/png", "buffer": PNG}]
    )
    visitor.locator("#id_anonymous").check()
    # Nothing on the phone-sized form is wider than the screen.
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 360
    shot(visitor, "form-360")
    visitor.get_by_role("button", name="Kirim pengaduan").click()
    code = visitor.locator(".complaints__code").inner_text().strip()
    assert len(code) == 19
    assert code not in visitor.url
    shot(visitor, "done-360")

    complaint = Complaint.objects.get()
    assert complaint.anonymous and complaint.officer == office.counter
    assert complaint.route == Route.SUPERVISOR and complaint.evidence.count() == 1

    supervisor = open_page()
    staff_sign_in(supervisor, base, office.supervisor)
    supervisor.goto(f"{base}/kantor/pengaduan/")
    supervisor.get_by_role("link", name=complaint.number).click()
    expect(supervisor.locator("dl.facts").last).to_contain_text("Anonim")
    supervisor.locator("summary", has_text="Jawab pelapor").click()
    supervisor.fill("#id_answer_body", "Petugas sudah kami tegur; mohon maaf atas pelayanannya.")
    supervisor.get_by_role("button", name="Kirim jawaban").click()
    expect(supervisor.locator(".message--success")).to_contain_text("Jawaban terkirim")

    later = open_page(width=360, height=800)  # another browser: only the code opens it
    later.goto(f"{base}/pengaduan/ikuti/")
    later.fill("#id_code", code.lower())
    later.get_by_role("button", name="Buka pengaduan").click()
    expect(later.locator(".thread")).to_contain_text("Petugas sudah kami tegur")
    expect(later.locator("dl.facts")).to_contain_text("Sudah dijawab")
    assert code not in later.url
    assert office.supervisor.display_name not in later.content()
    assert later.evaluate("document.documentElement.scrollWidth") <= 360
    shot(later, "thread-360")
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.ANSWERED
