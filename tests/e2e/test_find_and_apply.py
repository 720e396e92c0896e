"""A phone user searches the home page in their own words, opens the midwife practice
licence, presses "Ajukan", signs up, verifies the code sent by SMS and lands on the
application of that type; the service page's complaint link opens the form preset."""

import re

import pytest
from playwright.sync_api import expect

from outbox.backends import LocmemPhoneBackend
from permits.models import Application
from tests.e2e.kit import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "Pelayanan-Terang-2026"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"find-{name}.png"), full_page=True)


def test_search_then_ajukan_then_sign_up_lands_on_the_application(
    live_server, catalogue, open_page, settings
):
    base = live_server.url
    settings.OUTBOX_PHONE_BACKEND = "outbox.backends.LocmemPhoneBackend"
    LocmemPhoneBackend.sent.clear()
    page = open_page(width=360, height=780)

    page.goto(f"{base}/")
    page.fill("#q", "izin praktek bidan")
    page.get_by_role("button", name="Cari").click()
    first = page.locator(".permit__name").first
    expect(first).to_have_text("Surat Izin Praktik Bidan")
    expect(page.locator(".catalogue__count")).to_contain_text('cocok dengan "izin praktek bidan"')
    shot(page, "search-360")

    first.click()
    expect(page.locator("h1")).to_have_text("Surat Izin Praktik Bidan")
    page.get_by_role("button", name="Ajukan permohonan").click()
    expect(page.locator("h1")).to_have_text("Masuk untuk mengajukan Surat Izin Praktik Bidan")
    shot(page, "login-360")

    page.get_by_role("link", name="Daftar sebagai pemohon").click()
    expect(page.locator(".message")).to_contain_text("lanjut mengajukan Surat Izin Praktik Bidan")
    page.fill("#id_identifier", "0813 1111 2222")
    page.fill("#id_full_name", "Rina Marlina")
    page.fill("#id_nik", "3201016503910004")
    page.fill("#id_address", "Jl. Melati 9, Sukamaju")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name="Daftar").click()
    expect(page).to_have_url(re.compile(r"/akun/verifikasi/\?next="))
    sms = LocmemPhoneBackend.sent[-1]
    assert sms[:2] == ("sms", "+6281311112222")
    page.fill("#id_code", re.search(r"\b(\d{6})\b", sms[2]).group(1))
    shot(page, "verify-360")
    page.get_by_role("button", name="Verifikasi").click()

    expect(page).to_have_url(re.compile(r"/saya/ajukan/KES-SIP-BIDAN/$"))
    expect(page.locator("h1")).to_have_text("Ajukan Surat Izin Praktik Bidan")
    expect(page.locator(".messages")).to_contain_text("terverifikasi")
    shot(page, "start-360")
    page.get_by_role("button", name="Mulai permohonan").click()
    expect(page.locator("h1")).to_contain_text("Surat Izin Praktik Bidan")
    app = Application.objects.get()
    assert app.permit_type.code == "KES-SIP-BIDAN"
    expect(page).to_have_url(re.compile(rf"/saya/berkas/{app.public_id}/$"))


def test_nothing_found_offers_the_closest_and_the_counter_on_a_phone(
    live_server, catalogue, open_page
):
    page = open_page(width=360, height=780)
    page.goto(f"{live_server.url}/?q=bidan+kampung+sebelah")
    expect(page.locator(".catalogue__none")).to_contain_text("Tidak ada jenis izin yang cocok")
    expect(page.locator(".permit__name").first).to_have_text("Surat Izin Praktik Bidan")
    expect(page.locator(".counter-contact")).to_contain_text("Tanyakan ke petugas loket")
    shot(page, "none-360")


def test_the_service_page_complaint_link_opens_the_form_preset(live_server, catalogue, open_page):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = open_page(width=360, height=780)
    page.goto(f"{live_server.url}/layanan/KES-SIP-BIDAN/")
    link = page.get_by_role("link", name="Adukan layanan Surat Izin Praktik Bidan")
    link.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "find-service-360.png"))
    link.click()
    expect(page).to_have_url(re.compile(r"/pengaduan/baru/\?layanan=KES-SIP-BIDAN$"))
    selected = page.locator("#id_layanan option:checked")
    expect(selected).to_have_text("Surat Izin Praktik Bidan")
    expect(page.locator("#id_unit option:checked")).to_have_text("Dinas Kesehatan")
    page.locator("#id_layanan").scroll_into_view_if_needed()
    shot(page, "complaint-360")


def test_ranked_results_and_a_note_at_desk_width(live_server, catalogue, open_page):
    page = open_page(width=1280, height=900)
    page.goto(f"{live_server.url}/")
    page.fill("#q", "dokter")  # htmx searches as one types
    expect(page.locator(".permit__name").first).to_have_text("Surat Izin Praktik Dokter")
    expect(page.locator(".permit__opd").first).to_have_text("Dinas Kesehatan")
    shot(page, "dokter-1280")
    page.fill("#q", "SIUP")
    expect(page.locator(".search-note")).to_contain_text("Nomor Induk Berusaha (NIB)")
    shot(page, "siup-1280")
