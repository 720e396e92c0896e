"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium, never a
downloaded browser) against pytest-django's live server.

On failure every page of the test is saved as a screenshot under ``test-artifacts/e2e/``.
"""

import re
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"


ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"


def is_csp_refusal(text: str) -> bool:
    return text.startswith("Refused to") or "Content Security Policy" in text


# axe-core rules whose impact fails a page (WCAG 2.2 A/AA and best practices).
AXE_FAILING_IMPACTS = {"serious", "critical"}


def axe_violations(page) -> list[dict]:
    """axe-core (bundled by axe-playwright-python, injected from disk: no CDN) on the page as
    it is now; the serious and critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v for v in results.response["violations"] if v["impact"] in AXE_FAILING_IMPACTS]


def axe_readable(name: str, violations: list[dict]) -> str:
    lines = [f"{name}: {len(violations)} serious or critical accessibility violation(s)"]
    for violation in violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"      {' '.join(node['target'])}: {node['failureSummary'][:200]}")
    return "\n".join(lines)


PASSWORD = APPLICANT_PASSWORD = "Pelayanan-Terang-2026"


def applicant_sign_in(page, base, user) -> None:
    """An applicant signs in with a password (no second factor for applicants)."""
    from playwright.sync_api import expect

    user.set_password(APPLICANT_PASSWORD)
    user.save()
    page.goto(f"{base}/akun/masuk/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", APPLICANT_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page).not_to_have_url(re.compile(r"/akun/masuk/$"))


def send_complaint(page, base) -> str:
    """An anonymous complaint about the service in general; the follow-up code shown once."""
    page.goto(f"{base}/pengaduan/baru/")
    page.locator("input[name=subject][value=service]").check()
    page.select_option("#id_category", "improper")
    page.fill("#id_description", "Antrean loket tidak dipanggil sesuai nomor urut.")
    page.locator("#id_anonymous").check()
    page.get_by_role("button", name="Kirim pengaduan").click()
    return page.locator("#follow-code").inner_text().strip()


def staff_sign_in(page, base, user) -> None:
    """A staff member signs in: password, then the one-time code of their authenticator."""
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from playwright.sync_api import expect

    from accounts.twofactor import current_code

    user.set_password(PASSWORD)
    user.save()
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="e2e", defaults={"confirmed": True}
    )
    page.goto(f"{base}/akun/masuk/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(re.compile(r"/akun/masuk/kode/$"))
    page.fill("#id_token", current_code(device))
    page.locator("form.form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/kantor/$"))


def open_file(page, base, app):
    """Open the file's back-office page; its holder first declares no conflict of interest."""
    from playwright.sync_api import expect

    page.goto(f"{base}/kantor/berkas/{app.public_id}/")
    declare = page.get_by_role("button", name="Saya tidak punya konflik kepentingan")
    if declare.count():
        declare.click()
        expect(page.locator(".messages")).to_contain_text("tidak ada konflik kepentingan")


def upload(page, requirement_name: str, name: str, content: bytes, mime: str) -> None:
    """The applicant uploads one requirement's document on their file page."""
    from playwright.sync_api import expect

    row = page.locator("li.req", has_text=requirement_name)
    row.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": mime, "buffer": content}
    )
    row.locator("button[type=submit]").click()
    expect(page.locator("li.req", has_text=requirement_name).locator(".ok")).to_contain_text(name)
