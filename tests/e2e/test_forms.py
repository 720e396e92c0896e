"""Forms as a person meets them, on a phone and at a desk: the error summary at the top,
fields that show only when they apply, the result of an upload read out where the focus
lands, radio buttons and checkboxes large enough to hit, and a one-time code to copy."""

import pytest
from playwright.sync_api import expect

from public.models import Complaint
from tests.e2e.kit import ARTIFACTS, send_complaint
from tests.e2e.kit import applicant_sign_in as sign_in
from tests.factories import PDF, new_file

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
WIDTHS = pytest.mark.parametrize("width", [1280, 360], ids=["desk", "phone"])


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"forms-{name}.png"), full_page=True)


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def bad_sign_up(page, base):
    page.goto(f"{base}/akun/daftar/")
    page.fill("#id_identifier", "bukan-alamat")
    page.fill("#id_nik", "123")
    page.locator("form.form button[type=submit]").click()


@WIDTHS
def test_sign_up_with_bad_input_puts_a_linked_summary_first_and_focuses_it(
    live_server, open_page, width
):
    page = open_page(width=width, height=800)
    bad_sign_up(page, live_server.url)

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    assert page.title().startswith("Galat: ")
    assert focused_id(page) == "error-summary"
    # The summary comes before the page's own heading.
    assert page.evaluate(
        "document.querySelector('.error-summary').compareDocumentPosition("
        "document.querySelector('main h1')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    expect(summary.locator("h2")).to_have_text("Ada isian yang perlu diperbaiki")
    links = summary.locator("a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert {"#id_identifier", "#id_full_name", "#id_nik", "#id_password1"} <= set(hrefs)
    expect(summary.locator("a[href='#id_nik']")).to_contain_text("NIK")
    shot(page, f"sign-up-errors-{width}")

    summary.locator("a[href='#id_nik']").click()
    assert focused_id(page) == "id_nik"
    # What was typed is still there.
    expect(page.locator("#id_nik")).to_have_value("123")

    # In English the title says "Error:".
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    bad_sign_up(page, live_server.url)
    assert page.title().startswith("Error: ")
    expect(page.locator(".error-summary h2")).to_have_text("Some answers need correcting")
    assert focused_id(page) == "error-summary"


@WIDTHS
def test_login_with_a_wrong_password_is_summarised_too(live_server, open_page, office, width):
    page = open_page(width=width, height=800)
    page.goto(f"{live_server.url}/akun/masuk/")
    page.fill("#id_username", office.applicant.username)
    page.fill("#id_password", "salah-sekali")
    page.get_by_role("button", name="Masuk").click()
    expect(page.locator(".error-summary a[href='#id_username']")).to_be_visible()
    assert page.title().startswith("Galat: ")
    assert focused_id(page) == "error-summary"


@WIDTHS
def test_business_name_and_nib_show_only_for_a_business(live_server, open_page, office, width):
    page = open_page(width=width, height=800)
    page.goto(f"{live_server.url}/akun/daftar/")
    expect(page.locator("#id_business_name")).to_be_hidden()
    expect(page.locator("#id_nib")).to_be_hidden()
    page.locator("#id_is_business").check()
    expect(page.locator("#id_business_name")).to_be_visible()
    expect(page.locator("label[for=id_nib]")).to_be_visible()
    page.locator("#id_is_business").uncheck()
    expect(page.locator("#id_nib")).to_be_hidden()

    # The applicant's draft: "Perorangan" hides them, "Badan usaha" shows them.
    app = new_file(office)
    applicant = open_page(width=width, height=800)
    sign_in(applicant, live_server.url, office.applicant)
    applicant.goto(f"{live_server.url}/saya/berkas/{app.public_id}/")
    expect(applicant.get_by_label("Perorangan")).to_be_checked()
    expect(applicant.locator("#id_business_name")).to_be_hidden()
    expect(applicant.locator("#id_applicant_nib")).to_be_hidden()
    applicant.get_by_label("Badan usaha").check()
    expect(applicant.locator("#id_business_name")).to_be_visible()
    applicant.fill("#id_business_name", "CV Maju Jaya")
    applicant.fill("#id_applicant_nib", "1234567890123")
    applicant.locator("#id_applicant_nib").blur()
    expect(applicant.locator("#draft-form")).to_contain_text("Tersimpan pukul")
    shot(applicant, f"draft-business-{width}")
    app.refresh_from_db()
    assert (app.business_name, app.applicant_nib) == ("CV Maju Jaya", "1234567890123")

    # Back to a person: the fields hide and what they held is cleared on the server.
    applicant.get_by_label("Perorangan").check()
    expect(applicant.locator("#id_business_name")).to_be_hidden()
    expect(applicant.get_by_label("Perorangan")).to_be_checked()
    applicant.wait_for_function("document.querySelector('#draft-form .muted').textContent")
    applicant.wait_for_timeout(800)
    app.refresh_from_db()
    assert (app.business_name, app.applicant_nib) == ("", "")


@WIDTHS
def test_after_an_upload_the_row_has_the_focus_and_the_result_is_read_out(
    live_server, open_page, office, width
):
    app = new_file(office)
    ktp = app.checks.get(requirement__code="KTP").requirement
    foto = app.checks.get(requirement__code="FOTO").requirement
    page = open_page(width=width, height=800)
    sign_in(page, live_server.url, office.applicant)
    page.goto(f"{live_server.url}/saya/berkas/{app.public_id}/")
    status = page.locator("#upload-status")
    expect(status).to_have_attribute("aria-live", "polite")

    row = page.locator(f"#req-{ktp.pk}")
    row.locator("input[type=file]").set_input_files(
        {"name": "ktp.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    row.locator("button[type=submit]").click()
    expect(status).to_contain_text("ktp.pdf terunggah (versi 1)")
    expect(page.locator(f"#req-{ktp.pk}")).to_be_focused()
    shot(page, f"upload-ok-{width}")

    # A refused file: the focus goes to its row and the reason is read out.
    row = page.locator(f"#req-{foto.pk}")
    row.locator("input[type=file]").set_input_files(
        {"name": "foto.png", "mimeType": "image/png", "buffer": PDF}
    )
    row.locator("button[type=submit]").click()
    expect(status).to_contain_text("tidak terunggah")
    expect(status).to_contain_text("JPG, PNG")
    expect(page.locator(f"#req-{foto.pk}")).to_be_focused()


@WIDTHS
def test_radio_buttons_and_checkboxes_are_at_least_24_px(live_server, open_page, office, width):
    page = open_page(width=width, height=800)
    boxes = []
    page.goto(f"{live_server.url}/akun/daftar/")
    boxes.append(page.locator("#id_is_business").bounding_box())
    page.goto(f"{live_server.url}/pengaduan/baru/")
    for control in page.locator("input[type=radio], input[type=checkbox]").all():
        boxes.append(control.bounding_box())
    app = new_file(office)
    sign_in(page, live_server.url, office.applicant)
    page.goto(f"{live_server.url}/saya/berkas/{app.public_id}/")
    boxes.append(page.get_by_label("Badan usaha").bounding_box())
    assert len(boxes) >= 5
    for box in boxes:
        assert box["width"] >= 24 and box["height"] >= 24, box


@WIDTHS
def test_the_complaint_code_is_copied_by_its_button(live_server, open_page, width):
    page = open_page(width=width, height=800)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    code = send_complaint(page, live_server.url)
    assert Complaint.objects.count() == 1 and len(code) == 19
    page.get_by_role("button", name="Salin kode").click()
    expect(page.locator("#follow-code-status")).to_have_text("Kode tersalin.")
    assert page.evaluate("navigator.clipboard.readText()") == code
    shot(page, f"complaint-code-{width}")


def test_without_the_clipboard_the_code_is_selected(live_server, open_page):
    page = open_page(width=360, height=800)
    send_complaint(page, live_server.url)
    code = page.locator("#follow-code").inner_text().strip()
    page.evaluate("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.get_by_role("button", name="Salin kode").click()
    assert page.evaluate("window.getSelection().toString().trim()") == code
    expect(page.locator("#follow-code-status")).to_contain_text("Kode sudah dipilih")
