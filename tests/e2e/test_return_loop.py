"""The return loop in a real browser: the counter officer saves the whole checklist from the
keyboard (the document beside each requirement), returns the file from the saved checklist;
the applicant, on a 360 px phone, reads what needs replacing, is refused the same file and
resubmits a new one; the counter sees the new document waiting for a verdict."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from bench.documents import page_pdf
from permits.models import Application, Stage
from permits.services.applications import application_submit
from permits.services.context import Actor
from permits.services.documents import document_upload
from tests.e2e.kit import ARTIFACTS, PASSWORD, open_file, staff_sign_in
from tests.factories import new_file, walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
OLD_STR = page_pdf("STR 2019-2024")
NEW_STR = page_pdf("STR 2026-2031")
NOTE = "STR sudah habis masa berlakunya; unggah STR yang berlaku."


def shot(page, name):
    """What the people see, kept for a look (test-artifacts/e2e/return-*.png)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"return-{name}.png"), full_page=True)


def verifying(office) -> Application:
    app = new_file(office, office.simple_type)
    for code, content in (("KTP", page_pdf("KTP Siti")), ("STR", OLD_STR)):
        document_upload(
            application=app,
            requirement=app.checks.get(requirement__code=code).requirement,
            uploaded=SimpleUploadedFile(f"{code.lower()}.pdf", content),
            actor=Actor(user=office.applicant),
        )
    app = application_submit(application=app, actor=Actor(user=office.applicant))
    return walk(office, app, Stage.VERIFICATION)


def applicant_sign_in(page, base, user):
    user.set_password(PASSWORD)
    user.save()
    page.goto(f"{base}/akun/masuk/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()


def named(page, name):
    return page.locator("strong", has_text=re.compile(f"^{re.escape(name)}$"))


def item(page, name):
    """The counter's checklist entry of one requirement."""
    return page.locator("fieldset.checklist__item", has=named(page, name))


def req_row(page, name):
    """The applicant's row of one requirement."""
    return page.locator("li.req", has=named(page, name))


def tab_until(page, name: str, value: str, limit: int = 40) -> None:
    """Press Tab until the radio ``name``/``value`` group has the focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("[document.activeElement.name, document.activeElement.value]")
        if focused[0] == name:
            break
    else:
        raise AssertionError(f"{name} not reachable with Tab")
    # Arrow keys move within the group; stop on the wanted value.
    for _ in range(3):
        if page.evaluate("document.activeElement.value") == value:
            break
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")


def test_a_file_found_wanting_comes_back_only_with_new_content(live_server, office, open_page):
    base = live_server.url
    app = verifying(office)
    checks = {c.requirement.code: c for c in app.checks.select_related("requirement")}
    ktp, str_, foto = checks["KTP"], checks["STR"], checks["FOTO"]

    # The counter officer: one checklist, no verdict chosen, the STR's first page beside it.
    counter = open_page(width=1280, height=900)
    staff_sign_in(counter, base, app.assigned_to)
    open_file(counter, base, app)
    checklist = counter.locator("#checklist")
    expect(checklist.locator("input[type=radio]:checked")).to_have_count(0)
    preview = item(counter, str_.requirement.name_id).locator(".checklist__preview img")
    expect(preview).to_be_visible()
    counter.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=preview.element_handle()
    )

    # Saving with a requirement left unchosen is refused, and says so.
    counter.locator(f"#id_checklist-status_{ktp.pk}_0").focus()
    counter.keyboard.press("Space")
    counter.keyboard.press("Enter")
    expect(checklist.locator(".message--error")).to_contain_text(
        "Pilih hasil pemeriksaan untuk setiap persyaratan"
    )
    expect(counter.locator(f"#id_checklist-status_{ktp.pk}_0")).to_be_checked()

    # From the keyboard alone: Tab to the STR, "Tidak sah", a note; the photo (not
    # mandatory, none given) "Sesuai"; Enter saves.
    counter.locator(f"#id_checklist-note_{ktp.pk}").focus()
    tab_until(counter, f"checklist-status_{str_.pk}", "invalid")
    counter.keyboard.press("Tab")
    counter.keyboard.type(NOTE)
    tab_until(counter, f"checklist-status_{foto.pk}", "ok")
    counter.keyboard.press("Tab")
    counter.keyboard.press("Enter")
    expect(counter.locator("#checklist .message--success")).to_contain_text(
        "Hasil pemeriksaan tersimpan."
    )
    expect(counter.locator(f"#id_checklist-status_{str_.pk}_2")).to_be_checked()
    shot(counter, "counter-checklist")

    # The return panel starts from the saved checklist.
    counter.locator("#return-panel > summary").click()
    expect(counter.locator("#return-panel")).to_contain_text(
        "Dari daftar pemeriksaan yang tersimpan"
    )
    expect(counter.locator(f"#id_status_{str_.pk}")).to_have_value("invalid")
    expect(counter.locator(f"#id_note_{str_.pk}")).to_have_value(NOTE)
    expect(counter.locator(f"#id_status_{ktp.pk}")).to_have_value("")
    shot(counter, "counter-return-panel")
    counter.get_by_role("button", name="Ya, kembalikan berkas").click()
    expect(counter.locator(".messages")).to_contain_text("Berkas dikembalikan; pemohon diberi tahu")
    app.refresh_from_db()
    assert app.state == Stage.RETURNED

    # The applicant, on a phone: what needs replacing, and no green tick on it.
    phone = open_page(width=360, height=800)
    applicant_sign_in(phone, base, office.applicant)
    phone.goto(f"{base}/saya/berkas/{app.public_id}/")
    row = req_row(phone, str_.requirement.name_id)
    expect(row).to_contain_text("perlu diganti")
    expect(row).to_contain_text(NOTE)
    expect(row.locator(".ok")).to_have_count(0)
    expect(phone.locator("#submit-section")).not_to_contain_text("Semua dokumen wajib sudah ada")
    expect(phone.locator("#submit-section button[type=submit]")).to_be_disabled()
    shot(phone, "applicant-returned")

    # The same file again is refused in plain words; a new one is taken.
    row.locator("input[type=file]").set_input_files(
        {"name": "str-lagi.pdf", "mimeType": "application/pdf", "buffer": OLD_STR}
    )
    row.locator("button[type=submit]").click()
    row = req_row(phone, str_.requirement.name_id)
    expect(row.locator(".message--error")).to_contain_text(
        "Berkas ini sama persis dengan yang dikembalikan petugas"
    )
    shot(phone, "applicant-same-file")
    row.locator("input[type=file]").set_input_files(
        {"name": "str-2026.pdf", "mimeType": "application/pdf", "buffer": NEW_STR}
    )
    row.locator("button[type=submit]").click()
    row = req_row(phone, str_.requirement.name_id)
    expect(row.locator(".ok")).to_contain_text("str-2026.pdf")
    expect(row).not_to_contain_text("perlu diganti")
    expect(phone.locator("#submit-section")).to_contain_text("Semua dokumen wajib sudah ada")
    expect(phone.locator("#todo")).to_contain_text("sudah diganti")
    shot(phone, "applicant-replaced")
    phone.locator("#submit-section").get_by_role("button", name="Ajukan kembali").click()
    expect(phone.locator(".messages")).to_contain_text("diajukan kembali")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    app.refresh_from_db()
    assert app.state == Stage.VERIFICATION

    # Back at the counter: the new STR waits for a verdict; the KTP keeps its "Sesuai".
    open_file(counter, base, app)
    expect(counter.locator(f"#id_checklist-status_{ktp.pk}_0")).to_be_checked()
    expect(item(counter, str_.requirement.name_id).locator("input:checked")).to_have_count(0)
    expect(item(counter, str_.requirement.name_id)).to_contain_text(re.compile(r"v2"))
    expect(item(counter, str_.requirement.name_id)).to_contain_text("Dokumen baru diunggah")
    shot(counter, "counter-after-resubmit")
