"""axe-core in the browser on the key pages and states of each audience (the public, an
applicant, a counter officer, an auditor), errors shown included: no serious or critical
violation anywhere. The public's pages are checked on a phone and at a desk."""

import pytest
from playwright.sync_api import expect

from integrity.inspection.flags.engine import flag_raise
from permits.models import Stage
from tests.e2e.kit import ARTIFACTS, applicant_sign_in, send_complaint, staff_sign_in
from tests.factories import new_file, walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"a11y-{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 360], ids=["desk", "phone"])
def test_the_public_pages(live_server, open_page, office, assert_accessible, width):
    base = live_server.url
    app = walk(office, new_file(office, office.simple_type), Stage.VERIFICATION)
    page = open_page(width=width, height=800)

    page.goto(f"{base}/")
    assert_accessible(page, "catalogue")
    page.goto(f"{base}/layanan/{office.simple_type.code}/")
    assert_accessible(page, "service standard")
    page.goto(f"{base}/lacak/")
    assert_accessible(page, "tracking search")
    page.goto(f"{base}/lacak/{app.tracking_code}/")
    expect(page.locator(".track__now")).to_be_visible()
    assert_accessible(page, "tracking result")
    page.goto(f"{base}/verifikasi/")
    assert_accessible(page, "permit verification")
    page.goto(f"{base}/transparansi/")
    assert_accessible(page, "transparency dashboard")

    page.goto(f"{base}/akun/daftar/")
    page.fill("#id_nik", "123")
    page.locator("form.form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page, "sign-up with errors")
    page.goto(f"{base}/akun/masuk/")
    page.fill("#id_username", "tidak-ada")
    page.fill("#id_password", "salah")
    page.get_by_role("button", name="Masuk").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page, "login with errors")

    page.goto(f"{base}/pengaduan/baru/")
    page.get_by_role("button", name="Kirim pengaduan").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page, "complaint form with errors")
    send_complaint(page, base)
    assert_accessible(page, "complaint code shown")
    shot(page, f"complaint-code-{width}")


def test_the_applicants_pages(live_server, open_page, office, assert_accessible):
    base = live_server.url
    walk(office, new_file(office, office.simple_type), Stage.VERIFICATION)
    draft = new_file(office)
    page = open_page()
    applicant_sign_in(page, base, office.applicant)

    page.goto(f"{base}/saya/")
    assert_accessible(page, "applicant dashboard")
    page.goto(f"{base}/saya/berkas/{draft.public_id}/")
    assert_accessible(page, "draft application")
    # The draft form posted without htmx (as without JavaScript), with a bad NIB.
    page.get_by_label("Badan usaha").check()
    page.fill("#id_applicant_nib", "12")
    page.evaluate("document.getElementById('draft-form').submit()")
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page, "draft application with errors")
    shot(page, "draft-errors")


def test_the_counter_officers_pages(live_server, open_page, office, assert_accessible):
    base = live_server.url
    app = walk(office, new_file(office, office.simple_type), Stage.VERIFICATION)
    page = open_page()
    staff_sign_in(page, base, app.assigned_to)
    assert_accessible(page, "back-office worklist")
    page.goto(f"{base}/kantor/berkas/{app.public_id}/")
    assert_accessible(page, "back-office file page")
    # A rejection posted without its reason: the page comes back with the summary.
    page.evaluate("document.querySelector('form[action$=\"/aksi/reject/\"]').submit()")
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page, "back-office file page with errors")
    shot(page, "file-page-errors")


def test_the_auditors_pages(live_server, open_page, office, assert_accessible):
    base = live_server.url
    app = walk(office, new_file(office, office.simple_type), Stage.ISSUED)
    flag_raise(
        rule="COMPLAINT",
        key="a11y-1",
        application=app,
        officer=office.counter,
        detail={"summary": "Pemohon mengeluh diminta uang rokok."},
    )
    page = open_page()
    staff_sign_in(page, base, office.auditor)
    page.goto(f"{base}/kantor/audit/")
    expect(page.locator("tbody")).to_contain_text("diminta uang rokok")
    assert_accessible(page, "audit flag queue")
    page.goto(f"{base}/kantor/audit/berkas/{app.public_id}/")
    assert_accessible(page, "a file's audit timeline")


def test_the_check_fails_and_names_a_violation(open_page, assert_accessible):
    page = open_page()
    page.set_content('<html lang="id"><title>x</title><main><img src="a.png"></main></html>')
    with pytest.raises(AssertionError, match=r"\[critical\] image-alt"):
        assert_accessible(page, "an image without alt text")
