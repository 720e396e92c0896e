"""The whole story in a real browser: an applicant signs up, applies with uploads, gets the
receipt and tracks the file by its code; a counter officer returns it; the applicant fixes
and resubmits; staff carry it to the permit; tracking shows every step. The applicant's
side runs on a desktop and on a 360 px phone."""

import re

import pytest
from playwright.sync_api import expect

from outbox.backends import LocmemPhoneBackend
from permits.models import Application, Stage
from tests.e2e.kit import PASSWORD, open_file, staff_sign_in, upload

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def act(page, summary: str):
    """Open an action on the back-office file page and confirm it."""
    action = page.locator("details.action", has=page.locator("summary", has_text=summary))
    action.locator("summary").click()
    action.get_by_role("button").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("width", [1280, 360], ids=["desktop", "phone"])
def test_from_sign_up_to_permit_with_a_return_on_the_way(
    live_server, office, open_page, width, settings, signing_ca
):
    base = live_server.url
    settings.OUTBOX_PHONE_BACKEND = "outbox.backends.LocmemPhoneBackend"
    LocmemPhoneBackend.sent.clear()
    permit_type = office.simple_type  # verification, approval, signing
    applicant = open_page(width=width, height=800)

    # Sign up with a mobile number and verify it with the code sent by SMS.
    applicant.goto(f"{base}/akun/daftar/")
    applicant.fill("#id_identifier", "0813 1111 2222")
    applicant.fill("#id_full_name", "Rina Marlina")
    applicant.fill("#id_nik", "3201016503910004")
    applicant.fill("#id_address", "Jl. Melati 9, Sukamaju")
    applicant.fill("#id_password1", PASSWORD)
    applicant.fill("#id_password2", PASSWORD)
    applicant.get_by_role("button", name="Daftar").click()
    expect(applicant).to_have_url(re.compile(r"/akun/verifikasi/$"))
    sms = LocmemPhoneBackend.sent[-1]  # what the applicant's phone received
    assert sms[:2] == ("sms", "+6281311112222")
    code = re.search(r"\b(\d{6})\b", sms[2]).group(1)
    applicant.fill("#id_code", code)
    applicant.get_by_role("button", name="Verifikasi").click()
    expect(applicant.locator(".messages")).to_contain_text("terverifikasi")

    # Apply: the service standard, a draft, one upload per requirement, submit.
    applicant.goto(f"{base}/layanan/{permit_type.code}/")
    applicant.get_by_role("button", name="Ajukan permohonan").click()
    expect(applicant.locator("h1")).to_contain_text(permit_type.name_id)
    for requirement in permit_type.requirements.filter(mandatory=True):
        upload(
            applicant,
            requirement.name_id,
            f"{requirement.code.lower()}.pdf",
            PDF,
            "application/pdf",
        )
    applicant.locator("#submit-section").get_by_role("button", name="Ajukan permohonan").click()
    expect(applicant).to_have_url(re.compile(r"/tanda-terima/$"))
    tracking_code = applicant.locator(".receipt__code").inner_text().strip()
    app = Application.objects.get(tracking_code=tracking_code)
    assert app.state == Stage.SUBMITTED

    # Anyone holding the code tracks the file without signing in.
    public = open_page(width=width, height=800)
    public.goto(f"{base}/lacak/")
    public.fill("#id_code", tracking_code.replace("-", "").lower())
    public.locator("form.form").first.get_by_role("button", name="Lacak").click()
    expect(public.locator(".track__now")).to_contain_text("sudah diterima")

    # The counter officer starts verification and returns the file: the STR is invalid.
    counter = open_page()
    app.refresh_from_db()
    staff_sign_in(counter, base, app.assigned_to)
    open_file(counter, base, app)
    act(counter, "Mulai verifikasi")
    counter.locator("details.action summary", has_text="Kembalikan ke pemohon").click()
    str_check = app.checks.get(requirement__code="STR")
    counter.select_option(f"#id_status_{str_check.pk}", "invalid")
    counter.fill(f"#id_note_{str_check.pk}", "STR sudah habis masa berlakunya.")
    counter.get_by_role("button", name="Ya, kembalikan berkas").click()
    app.refresh_from_db()
    assert app.state == Stage.RETURNED

    # The applicant sees what is wrong, uploads a new STR and resubmits.
    applicant.goto(f"{base}/saya/berkas/{app.public_id}/")
    expect(applicant.locator(".track__todo")).to_contain_text("STR sudah habis masa berlakunya.")
    new_str = PDF + b"% STR 2026\n"  # new content: the same bytes again would be refused
    upload(applicant, str_check.requirement.name_id, "str-baru.pdf", new_str, "application/pdf")
    applicant.locator("#submit-section").get_by_role("button", name="Ajukan kembali").click()
    expect(applicant.locator(".messages")).to_contain_text("diajukan kembali")

    # The counter officer checks every requirement on the checklist and declares the file
    # complete.
    open_file(counter, base, app)
    for item in counter.locator("fieldset.checklist__item").all():
        item.get_by_label("Sesuai").check()
    counter.get_by_role("button", name="Simpan hasil pemeriksaan").click()
    expect(counter.locator("#checklist")).to_contain_text("Hasil pemeriksaan tersimpan.")
    act(counter, "Nyatakan berkas lengkap")
    app.refresh_from_db()
    assert app.state == Stage.APPROVAL

    # The supervisor approves; the head signs: the permit is issued.
    for summary in ("Setujui", "Tandatangani dan terbitkan izin"):
        staff = open_page()
        app.refresh_from_db()
        staff_sign_in(staff, base, app.assigned_to)
        open_file(staff, base, app)
        act(staff, summary)
    app.refresh_from_db()
    assert app.state == Stage.ISSUED

    # Tracking tells the whole story.
    public.reload()
    expect(public.locator(".track__now")).to_contain_text("Izin Anda sudah terbit.")
    timeline = public.locator(".timeline")
    for step in (
        "Permohonan diajukan",
        "Dikembalikan untuk dilengkapi",
        "Diajukan kembali setelah dilengkapi",
        "Berkas dinyatakan lengkap",
        "Disetujui",
        "Ditandatangani; izin terbit",
    ):
        expect(timeline).to_contain_text(step)
    assert applicant.evaluate("document.documentElement.scrollWidth") <= width

    # The signed permit: downloaded from tracking, checked on the public verification page.
    permit = app.permit
    panel = public.locator("#h-permit").locator("..")
    expect(panel).to_contain_text(permit.number)
    href = panel.get_by_role("link", name=re.compile("Unduh izin")).get_attribute("href")
    download = public.request.get(base + href)
    assert download.status == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.body().startswith(b"%PDF-")
    panel.get_by_role("link", name="Halaman verifikasi").click()
    expect(public.locator(".verdict")).to_contain_text("IZIN ASLI DAN BERLAKU")
    expect(public.locator("body")).not_to_contain_text(app.applicant_name)  # masked
    assert public.evaluate("document.documentElement.scrollWidth") <= width


def test_the_cashier_records_a_payment_and_a_wrong_amount_loses_nothing(
    live_server, office, open_page
):
    from tests.factories import new_file, walk

    base = live_server.url
    app = walk(office, new_file(office, office.full_type), Stage.AWAITING_PAYMENT)
    bill = app.bill

    # The applicant's tracking page shows what to pay, with the billing code.
    public = open_page(width=360, height=800)
    public.goto(f"{base}/lacak/{app.tracking_code}/")
    expect(public.locator(".bill")).to_contain_text(bill.billing_code)

    cashier = open_page()
    staff_sign_in(cashier, base, office.cashier)
    open_file(cashier, base, app)
    form = cashier.locator(
        "details.action", has=cashier.locator("summary", has_text="Catat pembayaran")
    )
    form.locator("summary").click()
    form.locator("input[name=reference]").fill("KW-2026-0042")
    form.locator("input[name=amount]").fill("15000")  # a zero short
    form.get_by_role("button").click()
    expect(cashier.locator(".form-error")).to_contain_text("tidak sama dengan tagihan")
    expect(cashier.locator("input[name=reference]")).to_have_value("KW-2026-0042")
    app.refresh_from_db()
    assert app.state == Stage.AWAITING_PAYMENT

    cashier.locator("input[name=amount]").fill(str(bill.amount))
    cashier.get_by_role("button", name="Ya, catat pembayaran").click()
    expect(cashier.locator(".messages")).to_contain_text("Pembayaran retribusi dicatat")
    app.refresh_from_db()
    assert app.state == Stage.APPROVAL
    public.reload()
    expect(public.locator(".timeline")).to_contain_text("Retribusi dibayar")
