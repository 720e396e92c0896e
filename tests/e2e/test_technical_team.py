"""The technical team in Chromium (issue 22.1): public works' officer, on a phone, finds the
recommendation asked of the agency on the worklist, declares, is told what a conditional
recommendation lacks (the choice kept), drafts it; the agency's supervisor signs it off;
the applicant's tracking page says which agency has answered and which is still asked."""

import re

import pytest
from django.utils import dateformat, timezone, translation
from playwright.sync_api import expect

from permits.models import Recommendation
from tests.e2e.kit import open_file, staff_sign_in
from tests.permits.test_recommendations import in_review

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_agency_recommends_with_conditions_from_a_phone(live_server, team, open_page):
    base = live_server.url
    app = in_review(team)

    officer = open_page(width=390, height=844)
    staff_sign_in(officer, base, team.pupr_officer)
    waiting = officer.locator(".recommendations-waiting")
    expect(waiting).to_contain_text(app.registration_number)
    expect(waiting).to_contain_text("menunggu disusun")
    waiting.get_by_role("link", name=app.registration_number).click()
    expect(officer).to_have_url(re.compile(rf"/kantor/berkas/{app.public_id}/"))
    open_file(officer, base, app)  # declares first
    panel = officer.locator("#rekomendasi")
    panel.get_by_label("Merekomendasikan dengan syarat").check()
    panel.get_by_role("button", name="Simpan dan ajukan untuk disahkan").click()
    expect(officer.locator("#rekomendasi")).to_contain_text(
        "Tuliskan syarat yang harus dimuat dalam izin."
    )
    panel = officer.locator("#rekomendasi")
    expect(panel.get_by_label("Merekomendasikan dengan syarat")).to_be_checked()
    panel.get_by_label("Syarat yang dimuat dalam izin").fill("Sumur resapan 2 unit.")
    panel.get_by_role("button", name="Simpan dan ajukan untuk disahkan").click()
    expect(officer.locator(".messages")).to_contain_text("menunggu pengesahan atasan")
    expect(officer.locator("#rekomendasi")).to_contain_text("Sumur resapan 2 unit.")
    # Its due time, in the office's time (WIB) and Indonesian month names.
    due = Recommendation.objects.get(application=app, opd=team.pupr).due_at
    with translation.override("id"):
        due_text = dateformat.format(timezone.localtime(due), "j M Y, H.i")
    expect(officer.locator("#rekomendasi")).to_contain_text(due_text)

    supervisor = open_page()
    staff_sign_in(supervisor, base, team.pupr_supervisor)
    expect(supervisor.locator(".recommendations-waiting")).to_contain_text(
        "menunggu pengesahan Anda"
    )
    open_file(supervisor, base, app)
    supervisor.get_by_role("button", name="Sahkan rekomendasi Dinas PUPR").click()
    expect(supervisor.locator(".messages")).to_contain_text("Rekomendasi disahkan.")
    expect(supervisor.locator("#rekomendasi")).to_contain_text(
        f"Disahkan {team.pupr_supervisor.display_name}"
    )

    applicant = open_page(width=390, height=844)
    applicant.goto(f"{base}/lacak/{app.tracking_code}/")
    agencies = applicant.locator(".track__agencies")
    expect(agencies).to_contain_text("Rekomendasi Dinas PUPR sudah diberikan.")
    expect(agencies).to_contain_text("Menunggu rekomendasi Dinas Lingkungan Hidup.")
