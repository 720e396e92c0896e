"""The monev report as files: a CSV of the numbers and an A4 PDF (WeasyPrint) with charts
drawn as inline SVG (no plotting library, no CDN). Rendered by a Celery task: monthly for
the month before, or when an auditor asks for a month."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone, translation

from integrity.inspection.models import MonevReport
from integrity.inspection.selectors.monev import MonevData, monev_data

BAR_WIDTH = 300  # px of the longest bar in the charts
ROW_HEIGHT = 14  # px per bar


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


def monev_csv(data: MonevData) -> bytes:
    """One table a spreadsheet opens: a row per permit type, then per OPD, then totals,
    then the integrity sections as label/value rows."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["monev", data.period_label])
    writer.writerow(
        [
            "level",
            "opd",
            "code",
            "name",
            "finished",
            "on_time",
            "compliance_pct",
            "median_hours",
            "p90_hours",
            "median_sop_share_pct",
            "returns",
            "backlog",
        ]
    )
    for level, rows in (("type", data.types), ("opd", data.opds), ("total", [data.total])):
        for row in rows:
            writer.writerow(
                [
                    level,
                    row.opd,
                    row.code,
                    row.name,
                    row.finished,
                    row.on_time,
                    _percent(row.compliance),
                    row.median_hours or "",
                    row.p90_hours or "",
                    _percent(row.median_share),
                    row.returns,
                    row.backlog,
                ]
            )
    writer.writerow([])
    writer.writerow(["section", "item", "value"])
    for key, value in data.declarations.items():
        writer.writerow(["declarations", key, value])
    for key, value in data.holds.items():
        writer.writerow(["holds", key, "" if value is None else value])
    for rule, states in data.flags.items():
        for state, count in sorted(states.items()):
            writer.writerow(["flags", f"{rule}:{state}", count])
    for rule, precision in data.precision.items():
        writer.writerow(["precision_90d", f"{rule}:confirmed", precision.confirmed])
        writer.writerow(["precision_90d", f"{rule}:judged", precision.judged])
    for key, value in data.findings.items():
        writer.writerow(["findings", key, value])
    for section in data.sections:
        for label, value in section.rows:
            writer.writerow([section.title, label, value])
    return out.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheets read UTF-8


def _bars(items: list[tuple[str, float, str]], maximum: float) -> list[dict]:
    """Label, value and the bar's width for the SVG charts."""
    scale = BAR_WIDTH / maximum if maximum else 0
    return [
        {
            "label": label,
            "value": value,
            "text": text,
            "width": max(1, round(value * scale)),
            "y": i * ROW_HEIGHT,
            "text_y": i * ROW_HEIGHT + 9,
            "text_x": max(1, round(value * scale)) + 95,
        }
        for i, (label, value, text) in enumerate(items)
    ]


def monev_context(data: MonevData) -> dict:
    compliance = _bars(
        [
            (row.code, (row.compliance or 0) * 100, f"{_percent(row.compliance) or '–'}%")
            for row in data.opds
            if row.finished
        ],
        100,
    )
    flag_totals = [(rule, sum(states.values())) for rule, states in data.flags.items()]
    flags = _bars(
        [(rule, n, str(n)) for rule, n in flag_totals], max((n for _, n in flag_totals), default=0)
    )
    return {
        "data": data,
        "compliance_chart": compliance,
        "flag_chart": flags,
        "chart_width": BAR_WIDTH + 160,
        "compliance_height": len(compliance) * ROW_HEIGHT + 4,
        "flag_height": len(flags) * ROW_HEIGHT + 4,
        "OFFICE_NAME": settings.OFFICE_NAME,
        "OFFICE_REGION": getattr(settings, "OFFICE_REGION", ""),
    }


def monev_pdf(data: MonevData) -> bytes:
    from weasyprint import HTML

    with translation.override("id"):
        html = render_to_string("integrity/inspection/monev_pdf.html", monev_context(data))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def monev_render(month: datetime.date, requested_by=None) -> MonevReport:
    """Compute, render and store one month's report (replacing an earlier rendering)."""
    month = month.replace(day=1)
    data = monev_data(month)
    pdf, table = monev_pdf(data), monev_csv(data)
    report = MonevReport.objects.filter(month=month).first() or MonevReport(month=month)
    stem = f"monev/{month:%Y-%m}-{timezone.localtime():%Y%m%d%H%M%S}"
    report.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    report.csv.save(f"{stem}.csv", ContentFile(table), save=False)
    report.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    report.csv_sha256 = hashlib.sha256(table).hexdigest()
    report.generated_at, report.requested_by = timezone.now(), requested_by
    report._history_user = requested_by
    report.save()
    return report
