"""A file held for an internal review, on a phone: the tracking page says one true thing
about the SOP clock (held before the file was complete: the clock has not started)."""

import pytest
from playwright.sync_api import expect

from integrity.conflicts.services.cases import case_open
from integrity.models import CaseOrigin
from permits.models import Stage
from tests.e2e.kit import ARTIFACTS
from tests.factories import act, new_file, walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_file_held_before_completion_reads_truthfully_on_a_phone(live_server, office, open_page):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    case_open(
        application=app,
        officer=app.assigned_to,
        actor=act(office.auditor),
        origin=CaseOrigin.AUDITOR,
        note="Pola: pemohon yang sama selalu dilayani petugas ini.",
    )
    page = open_page(width=360)
    page.goto(f"{live_server.url}/lacak/{app.tracking_code}/")
    now = page.locator(".track__now")
    expect(now.locator(".lead")).to_have_text(
        "Pemeriksaan berkas Anda dihentikan sementara untuk pemeriksaan internal kantor; "
        "waktu SOP belum berjalan dan baru dimulai setelah berkas dinyatakan lengkap."
    )
    expect(now.locator(".sla")).to_have_text("SOP belum berjalan")
    expect(now).not_to_contain_text("tetap berjalan")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "tracking-held-360.png"), full_page=True)
