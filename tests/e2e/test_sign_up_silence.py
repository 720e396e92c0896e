"""In a browser, a sign-up with an address that already has an account looks like any
other: the code page, no hint of the account (issue 16, point 8)."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from outbox.models import Message
from tests.e2e.kit import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "Pelayanan-Terang-2026"


@pytest.mark.parametrize("width", [1280, 360], ids=["desktop", "phone"])
def test_a_taken_address_gets_the_ordinary_code_page(live_server, open_page, office, width):
    taken = "siti@contoh.id"
    User.objects.filter(pk=office.applicant.pk).update(email=taken)
    page = open_page(width=width, height=800)
    page.goto(f"{live_server.url}/akun/daftar/")
    page.fill("#id_identifier", taken)
    page.fill("#id_full_name", "Rina Marlina")
    page.fill("#id_nik", "3201016503910004")
    page.fill("#id_address", "Jl. Melati 9, Sukamaju")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name="Daftar").click()
    expect(page).to_have_url(re.compile(r"/akun/verifikasi/$"))
    expect(page.locator("main")).to_contain_text(f"Kami mengirim kode 6 angka ke {taken}")
    expect(page.locator("main")).not_to_contain_text("Sudah ada akun")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"sign-up-taken-{width}.png"), full_page=True)
    assert User.objects.filter(full_name="Rina Marlina").count() == 0
    assert Message.objects.filter(kind="account.sign_up_taken", address=taken).count() == 1
