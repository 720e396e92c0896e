"""A site visit in Chromium (issue 22.2), on phones: the lead officer is told a Saturday is
not a working day (what was typed kept), proposes the next working day at 10.00; the
applicant reads the proposal on their file page, asks for the afternoon instead; the lead
takes that time; the tracking page says the visit is agreed, in words and in the office's
time. Then the visit's photo (the browser's position), its report and the three
signatures."""

import datetime
import io

import pytest
from django.utils import timezone, translation
from PIL import Image
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


def test_a_site_visit_from_the_appointment_to_the_signed_report_on_phones(
    live_server, office, open_page
):
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

    # The visit took place half an hour ago (the clock of the browser and of the server
    # is today's): the lead, whose phone gives its position, adds a photo without EXIF (the
    # browser's place and time are used) and writes the report; the companion declares and
    # signs; the applicant signs with an objection; the report's PDF is offered.
    site = (-6.914744, 107.609810)
    SiteVisit.objects.filter(application=app).update(
        appointment_at=timezone.now() - datetime.timedelta(minutes=30),
        site_lat=site[0],
        site_lon=site[1],
    )
    visit = SiteVisit.objects.get(application=app)
    companion = visit.members.exclude(officer=app.assigned_to).get().officer
    lead.context.grant_permissions(["geolocation"])
    lead.context.set_geolocation({"latitude": site[0] + 0.0009, "longitude": site[1]})
    open_file(lead, base, app)
    panel = lead.locator("#peninjauan")
    photo = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 140, 80)).save(photo, "JPEG")
    panel.get_by_label("Foto", exact=True).set_input_files(
        {"name": "depan.jpg", "mimeType": "image/jpeg", "buffer": photo.getvalue()}
    )
    panel.get_by_label("Keterangan foto").fill("Tampak depan")
    expect(panel.locator("[name=lat]")).not_to_have_value("")  # the browser's position
    panel.get_by_role("button", name="Tambahkan foto").click()
    expect(lead.locator(".messages")).to_contain_text("Foto ditambahkan.")
    expect(lead.locator("#peninjauan")).to_contain_text("100 m dari titik lokasi permohonan")
    expect(lead.locator("#peninjauan")).to_contain_text("menurut peramban ponsel")
    panel = lead.locator("#peninjauan")
    for fieldset in panel.locator("fieldset.finding").all():
        fieldset.get_by_label("Sesuai", exact=True).check()
    panel.get_by_label("Lokasi dan kegiatan sesuai dengan permohonan").check()
    panel.get_by_label("Uraian hasil peninjauan").fill("Apotek sesuai denah yang diajukan.")
    panel.get_by_role("button", name="Simpan berita acara").click()
    expect(lead.locator(".messages")).to_contain_text("Berita acara disimpan")
    lead.get_by_role("button", name="Tandatangani berita acara").click()
    expect(lead.locator(".messages")).to_contain_text("Anda sudah menandatangani berita acara.")

    other = open_page(**PHONE)
    staff_sign_in(other, base, companion)
    open_file(other, base, app)  # declares first
    other.get_by_role("button", name="Tandatangani berita acara").click()
    expect(other.locator(".messages")).to_contain_text("Anda sudah menandatangani berita acara.")

    applicant.goto(f"{base}/saya/berkas/{app.public_id}/")
    section = applicant.locator("#peninjauan")
    expect(section).to_contain_text("Apotek sesuai denah yang diajukan.")
    section.get_by_label("Keberatan atau catatan (bila ada)").fill("Papan nama belum dipasang.")
    section.get_by_label("Saya sudah membaca berita acara ini dan menandatanganinya.").check()
    section.get_by_role("button", name="Tandatangani berita acara").click()
    expect(applicant.locator(".messages")).to_contain_text("Berita acara sudah Anda tandatangani")
    expect(applicant.locator("#peninjauan")).to_contain_text("Papan nama belum dipasang.")
    link = applicant.get_by_role("link", name="Unduh berita acara (PDF)")
    expect(link).to_be_visible()
    pdf = applicant.request.get(base + link.get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")
