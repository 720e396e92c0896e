"""The inspectorate in a real browser: an auditor works the red-flag queue, reads a file's
whole story, dismisses one flag with a reason and turns another into a finding; the
officer responsible reports the follow-up; the auditor accepts it and the finding closes."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from integrity.inspection.flags.engine import flag_raise
from integrity.models import Finding, FindingState, Flag, FlagState
from permits.models import Stage
from tests.e2e.kit import staff_sign_in
from tests.factories import new_file, walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_auditor_dismisses_one_flag_and_follows_another_to_a_closed_finding(
    live_server, office, open_page
):
    base = live_server.url
    app = walk(office, new_file(office, office.simple_type), Stage.ISSUED)
    flag_raise(
        rule="COMPLAINT",
        key="e2e-1",
        application=app,
        officer=office.counter,
        detail={"summary": "Pemohon mengeluh diminta uang rokok."},
    )
    flag_raise(
        rule="COMPLAINT",
        key="e2e-2",
        application=app,
        officer=office.counter,
        detail={"summary": "Pengaduan ganda atas kejadian yang sama."},
    )

    auditor = open_page()
    staff_sign_in(auditor, base, office.auditor)
    auditor.goto(f"{base}/kantor/audit/?rule=COMPLAINT")
    rows = auditor.locator("tbody tr")
    expect(rows).to_have_count(2)

    # The duplicate is dismissed with a reason.
    duplicate = rows.filter(has_text="Pengaduan ganda")
    duplicate.locator("summary", has_text="Abaikan").click()
    duplicate.locator("textarea[name=reason]").fill("Sama dengan pengaduan sebelumnya.")
    duplicate.get_by_role("button", name="Abaikan bendera").click()
    expect(auditor.locator(".message--success")).to_contain_text("Bendera diabaikan")
    expect(auditor.locator("tbody tr")).to_have_count(1)

    # The file's whole story, and the finding recorded from the remaining flag.
    auditor.locator("tbody tr a", has_text=app.registration_number).click()
    expect(auditor.locator("h1")).to_contain_text(app.registration_number)
    expect(auditor.locator("ol.story")).to_contain_text("Ditandatangani; izin terbit")
    auditor.get_by_role("link", name="Catat temuan", exact=True).first.click()
    auditor.fill("#id_title", "Permintaan uang rokok di loket")
    auditor.fill("#id_condition", "Pemohon melaporkan diminta uang rokok saat verifikasi.")
    auditor.fill("#id_recommendation", "Pembinaan petugas dan pemeriksaan ulang layanan loket.")
    auditor.select_option("#id_responsible", str(office.supervisor.pk))
    due = timezone.localdate() + datetime.timedelta(days=14)
    auditor.fill("#id_due_date", due.isoformat())
    auditor.get_by_role("button", name="Simpan temuan").click()
    expect(auditor.locator(".message--success")).to_contain_text("tercatat")
    finding = Finding.objects.get()
    assert Flag.objects.get(key="COMPLAINT:e2e-1").state == FlagState.FINDING
    assert Flag.objects.get(key="COMPLAINT:e2e-2").state == FlagState.DISMISSED

    # The supervisor responsible reports what was done.
    supervisor = open_page(width=360, height=800)
    staff_sign_in(supervisor, base, office.supervisor)
    supervisor.goto(f"{base}/kantor/audit/temuan/")
    supervisor.get_by_role("link", name=finding.number).click()
    supervisor.fill("#id_note", "Petugas sudah dibina; layanan loket diperiksa ulang.")
    supervisor.get_by_role("button", name="Laporkan tindak lanjut").click()
    expect(supervisor.locator(".message--success")).to_contain_text("terkirim")

    # The auditor accepts it; the finding is closed.
    auditor.goto(f"{base}/kantor/audit/temuan/{finding.public_id}/")
    auditor.locator("input[name=accepted][value=yes]").check()
    auditor.fill("#id_note", "Bukti pembinaan memadai.")
    auditor.get_by_role("button", name="Simpan penilaian").click()
    expect(auditor.locator("dl.facts")).to_contain_text("Selesai ditindaklanjuti")
    finding.refresh_from_db()
    assert finding.state == FindingState.CLOSED
