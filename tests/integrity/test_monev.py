"""The monthly monev report: its numbers against the stored facts, the CSV and the PDF, the
periodic task, and the auditors' page."""

from __future__ import annotations

import csv
import datetime
import io
import subprocess

import pytest
import time_machine
from django.utils import timezone

from bench.planted import planted_history
from integrity.inspection.flags.engine import flag_raise, flags_sweep
from integrity.inspection.selectors.monev import (
    MonevSection,
    monev_data,
    monev_section,
    month_bounds,
    previous_month,
)
from integrity.inspection.services.monev import monev_csv, monev_pdf, monev_render
from integrity.models import MonevReport
from integrity.tasks import render_monev
from permits.models import Application, ApplicationEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def month():
    return previous_month()


@pytest.fixture
def history(month):
    planted_history(files=150, seed=21)
    flags_sweep(everything=True)
    return monev_data(month)


def test_the_numbers_match_the_files(history, month):
    start, end = month_bounds(month)
    finished = Application.objects.filter(
        finished_at__gte=start, finished_at__lt=end, clock_started_at__isnull=False
    )
    assert history.total.finished == finished.count() > 0
    assert history.total.on_time == finished.filter(finished_late=False).count()
    assert (
        history.total.returns
        == ApplicationEvent.objects.filter(
            action="application.returned", created_at__gte=start, created_at__lt=end
        ).count()
    )
    late_type = next(row for row in history.types if row.code.startswith("SYN-L-"))
    assert late_type.compliance == 0.0
    assert late_type.median_share > 1
    assert sum(row.finished for row in history.types) == history.total.finished
    assert history.total.p90_hours >= history.total.median_hours
    assert set(history.flags) <= {"FAST", "LATE", "FLIP", "QUEUE", "PAIR", "HOURS", "HELD", "COI"}


def test_the_csv_has_a_row_per_type_opd_and_total(history):
    rows = list(csv.reader(io.StringIO(monev_csv(history).decode("utf-8-sig"))))
    assert rows[0] == ["monev", history.period_label]
    levels = [row[0] for row in rows[2:] if row]
    assert levels.count("type") == len(history.types)
    assert levels.count("opd") == len(history.opds)
    total = next(row for row in rows if row and row[0] == "total")
    assert int(total[4]) == history.total.finished
    assert any(row[:1] == ["flags"] for row in rows)


def test_the_pdf_reads_as_a_report_with_its_charts(history, tmp_path):
    pdf = monev_pdf(history)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "monev.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Laporan Monitoring dan Evaluasi" in text
    assert "Kepatuhan SOP per OPD" in text
    assert "Bendera merah" in text and "Temuan dan tindak lanjut" in text


def test_other_apps_add_their_sections(month):
    def complaints(start, end):
        return MonevSection("Pengaduan uji", [("Masuk", 3)])

    monev_section(complaints)
    try:
        data = monev_data(month)
    finally:
        from integrity.inspection.selectors import monev

        monev._sections.remove(complaints)
    assert data.sections[-1].title == "Pengaduan uji"
    assert ["Pengaduan uji", "Masuk", "3"] in list(
        csv.reader(io.StringIO(monev_csv(data).decode("utf-8-sig")))
    )


def test_rendering_stores_both_files_and_a_second_rendering_replaces_them(office, month):
    first = monev_render(month, requested_by=office.auditor)
    assert first.pdf and first.csv and len(first.pdf_sha256) == 64
    second = monev_render(month)
    assert MonevReport.objects.count() == 1
    assert second.history.count() == 2
    assert second.history.earliest().history_user == office.auditor


def test_the_periodic_task_renders_last_month():
    render_monev.delay()
    assert MonevReport.objects.get().month == previous_month()


# --- the auditors' page ----------------------------------------------------------------------


def test_an_auditor_asks_for_a_month_and_downloads_it(
    client, office, month, django_capture_on_commit_callbacks
):
    client.force_login(office.auditor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/kantor/audit/monev/", {"month": month.strftime("%Y-%m")})
    assert response.status_code == 302
    report = MonevReport.objects.get(month=month)
    assert report.requested_by == office.auditor
    page = client.get("/kantor/audit/monev/")
    assert page.status_code == 200 and report.pdf_sha256 in page.content.decode()
    pdf = client.get(f"/kantor/audit/monev/{month.year}-{month.month}.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    table = client.get(f"/kantor/audit/monev/{month.year}-{month.month}.csv")
    assert table.status_code == 200 and "attachment" in table["Content-Disposition"]


@pytest.mark.parametrize(
    "month_text", ["", "2026-13", "kemarin", "2999-01", "0001-01", "1999-12", "9999-12"]
)
def test_a_bad_month_is_refused_with_a_message(client, office, month_text):
    client.force_login(office.auditor)
    response = client.post("/kantor/audit/monev/", {"month": month_text})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert not MonevReport.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/kantor/audit/monev/2026-10.exe",
        "/kantor/audit/monev/2026-10.pdf",
        "/kantor/audit/monev/2026-13.pdf",
    ],
)
def test_unknown_reports_are_not_found(client, office, path):
    client.force_login(office.auditor)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "who", ["applicant", "counter", "technical", "supervisor", "head", "cashier", "admin"]
)
def test_only_auditors_reach_the_monev_pages(client, office, month, who):
    monev_render(month)
    client.force_login(getattr(office, who))
    assert client.get("/kantor/audit/monev/").status_code == 403
    assert client.get(f"/kantor/audit/monev/{month.year}-{month.month}.pdf").status_code == 403
    assert client.post("/kantor/audit/monev/", {"month": "2026-01"}).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, month):
    response = client.get("/kantor/audit/monev/")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_flags_of_the_month_are_counted_by_outcome(office, month):
    start, _ = month_bounds(month)
    flag_raise(rule="COMPLAINT", key="m1", occurred_at=start + datetime.timedelta(days=2))
    flag_raise(rule="COMPLAINT", key="m2", occurred_at=timezone.now() + datetime.timedelta(days=40))
    assert monev_data(month).flags == {"COMPLAINT": {"open": 1}}


def test_the_pdf_and_the_request_tell_moments_in_local_words(client, office, month, tmp_path):
    # 06.30 WIB on Monday 7 December 2026 is still Sunday in UTC.
    with time_machine.travel(datetime.datetime(2026, 12, 6, 23, 30, tzinfo=datetime.UTC)):
        path = tmp_path / "monev.pdf"
        path.write_bytes(monev_pdf(monev_data(month)))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Disusun 7 Desember 2026, 06.30" in " ".join(text.split())
    client.force_login(office.auditor)
    response = client.post("/kantor/audit/monev/", {"month": "2026-11"}, follow=True)
    assert "Laporan November 2026 sedang disusun" in response.content.decode()
