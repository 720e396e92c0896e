"""The Content-Security-Policy holds in Chromium: the site's own pages run under it without a
refusal (every browser test checks that through ``open_page``), and what an attacker would
inject (a script or image from elsewhere, an inline style) is refused. The error pages look
like the site at a desk and on a phone."""

import pytest
from playwright.sync_api import expect

from tests.e2e.kit import ARTIFACTS, is_csp_refusal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

INJECTED = """
  document.body.insertAdjacentHTML("beforeend",
    '<img src="https://penyerang.example/x.png" alt="">' +
    '<p style="color: red">x</p>');
  const script = document.createElement("script");
  script.textContent = "window.injected = true";
  document.body.append(script);
"""


def test_what_an_attacker_injects_is_refused(live_server, browser):
    context = browser.new_context()
    page = context.new_page()
    seen = []
    page.on("console", lambda message: seen.append(message.text))
    page.goto(f"{live_server.url}/")
    page.evaluate(INJECTED)
    page.wait_for_timeout(300)
    refusals = [text for text in seen if is_csp_refusal(text)]
    context.close()
    assert any("img-src" in text for text in refusals), seen
    assert any("style-src" in text for text in refusals), seen
    assert any("script-src" in text for text in refusals), seen


@pytest.mark.parametrize("width", [1280, 360], ids=["desk", "phone"])
def test_the_404_page_wears_the_site_design(live_server, open_page, width):
    page = open_page(width=width, height=800)
    page.goto(f"{live_server.url}/tidak-ada/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Halaman tidak ditemukan")
    expect(page.locator(".site-header")).to_contain_text("Terang")
    expect(page.get_by_role("link", name="Ke katalog layanan")).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"error-404-{width}.png"), full_page=True)


@pytest.mark.urls("tests.portal.error_urls")
@pytest.mark.parametrize("width", [1280, 360], ids=["desk", "phone"])
def test_the_500_page_wears_the_site_design(live_server, open_page, width):
    page = open_page(width=width, height=800)
    page.goto(f"{live_server.url}/rusak/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Terjadi gangguan di sistem kami")
    expect(page.get_by_role("heading", level=2)).to_have_text("Something went wrong on our side")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"error-500-{width}.png"), full_page=True)
