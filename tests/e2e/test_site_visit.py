"""The site visit's appointment in Chromium (issue 22.2), on phones: the lead officer is told
a Saturday is not a working day (what was typed kept), proposes the next working day at
10.00; the applicant reads the proposal on their file page, asks for the afternoon instead;
the lead takes that time; the tracking page says the visit is agreed, in words and in the
office's time."""

import datetime

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from core.moments import LONG, moment_text
from permits.models import SiteVisit, VisitStatus
from tests.e2e.kit import applicant_sign_in, open_file, staff_sign_in
from tests.factories import new_file, walk
from worktime.calendar import get_calendar

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def when(moment) -> str:
    """A moment as the pages write it: Indonesian, the office's time."""
    with translation.override("id"):
        return moment_text(moment, LONG)


def _next(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7 or 7)


def test_the_lead_and_the_applicant_agree_a_visit_from_their_phones(live_server, office, open_page):
    from permits.models import Stage

    base = live_server.url
    app = walk(office, new_file(office), Stage.INSPECTION)
    calendar = get_calendar()
    today = timezone.localdate()
    day = calendar.next_working_day(calendar.next_working_day(today))
    saturday = _next(today, 5)

    lead = open_page(**PHONE)
    staff_sign_in(lead, base, app.assigned_to)
    open_file(lead, base, app)
    panel = lead.locator("#peninjauan")
    panel.get_by_label("Tanggal").fill(saturday.isoformat())
    panel.get_by_label("Jam").fill("10:00")
    panel.get_by_label("Catatan untuk pemohon").fill("Siapkan sertifikat tanah asli.")
    panel.get_by_role("button", name="Kirim usulan jadwal kepada pemohon").click()
    panel = lead.locator("#peninjauan")
    expect(panel).to_contain_text("bukan hari kerja")
    expect(panel.get_by_label("Catatan untuk pemohon")).to_have_value(
        "Siapkan sertifikat tanah asli."
    )
    panel.get_by_label("Tanggal").fill(day.isoformat())
    panel.get_by_role("button", name="Kirim usulan jadwal kepada pemohon").click()
    expect(lead.locator(".messages")).to_contain_text("Jadwal peninjauan diusulkan kepada pemohon.")
    proposed = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    expect(lead.locator("#peninjauan")).to_contain_text(when(proposed))
    expect(lead.locator("#peninjauan")).to_contain_text("Menunggu konfirmasi pemohon")

    applicant = open_page(**PHONE)
    applicant_sign_in(applicant, base, office.applicant)
    applicant.goto(f"{base}/saya/berkas/{app.public_id}/")
    visit = applicant.locator("#peninjauan")
    expect(visit).to_contain_text(when(proposed))
    expect(visit).to_contain_text("Siapkan sertifikat tanah asli.")
    visit.get_by_label("Saya minta jadwal lain").check()
    visit.get_by_label("Tanggal").fill(day.isoformat())
    visit.get_by_label("Jam").fill("13:00")
    visit.get_by_label("Catatan").fill("Pagi saya masih di pasar.")
    visit.get_by_role("button", name="Kirim jawaban").click()
    expect(applicant.locator(".messages")).to_contain_text("sudah dikirim kepada petugas")
    expect(applicant.locator("#peninjauan")).to_contain_text("Anda meminta jadwal lain")

    wished = timezone.make_aware(datetime.datetime.combine(day, datetime.time(13)))
    open_file(lead, base, app)
    lead.get_by_role("button", name=f"Terima jadwal pemohon: {when(wished)}").click()
    expect(lead.locator(".messages")).to_contain_text("tim sudah diberi tahu")
    assert SiteVisit.objects.get().status == VisitStatus.CONFIRMED

    applicant.goto(f"{base}/lacak/{app.tracking_code}/")
    expect(applicant.locator(".track__visit")).to_contain_text(
        f"Peninjauan lapangan disepakati pada {when(wished)}."
    )
