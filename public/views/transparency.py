"""The public transparency dashboard (/transparansi/), its open-data CSV and the integrity
charter (/piagam-integritas/). No sign-in, no personal data: the page reads one stored
snapshot (``public.services.transparency``), so it costs the same few queries however many files
the office handled."""

from __future__ import annotations

import datetime
import textwrap

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.shell import KeptRenders
from permits.models.catalogue import SopUnit
from public.selectors.survey import min_group
from public.selectors.transparency import (
    PeriodInvalid,
    dashboard_csv,
    period_choices,
    period_default,
    period_parse,
)
from public.services.transparency import (
    dashboard_get,
)

# The charts' drawing: a 300-unit wide viewBox that scales with the screen (about 1:1 on a
# 360 px phone); each row is its label, wrapped, then its bar, with the value after it.
CHART_WIDTH = 300
BAR_AREA = 215
LABEL_CHARS = 40  # per line, at 13 units a character is ~7 units wide
LINE = 16
BAR = 15
GAP = 10


def _decorate(rows: list[dict]) -> None:
    """Names in the page's language and shares as percentages in its number format."""
    english = (get_language() or "id").startswith("en")
    for row in rows:
        if "name_id" in row:
            row["name"] = (row.get("name_en") if english else "") or row["name_id"]
        if "opd_name_id" in row:
            row["opd_name"] = (row.get("opd_name_en") if english else "") or row["opd_name_id"]
        if "sop_unit" in row:
            row["unit_label"] = SopUnit(row["sop_unit"]).label
        for key in ("on_time_share", "median_share", "p90_share"):
            if key in row:
                row[f"{key}_text"] = "–" if row[key] is None else _percent(row[key])


def _percent(value: float) -> str:
    return f"{number_format(round(value * 100, 1), 1)}%"


def _chart(rows: list[dict], key: str, *, scale: float, reference: float | None = None) -> dict:
    """Bars for the rows that have a value of ``key`` (a share: 1.0 is 100%), with their
    coordinates; with ``reference``, a dashed line marks it across every bar."""
    bars = []
    top = LINE + 2 if reference is not None else 0  # room for the reference's label
    for row in rows:
        value = row[key]
        if value is None:
            continue
        lines = textwrap.wrap(row["name"], LABEL_CHARS) or [""]
        bar_y = top + len(lines) * LINE + 4
        width = max(round(min(value, scale) / scale * BAR_AREA, 1), 1)
        bars.append(
            {
                "label": row["name"],
                "lines": [(top + (i + 1) * LINE - 3, line) for i, line in enumerate(lines)],
                "text": _percent(value),
                "over": reference is not None and value > reference,
                "bar_y": bar_y,
                "width": width,
                "text_x": width + 5,
                "text_y": bar_y + BAR - 3,
                "mark_top": bar_y - 3,
                "mark_bottom": bar_y + BAR + 3,
            }
        )
        top = bar_y + BAR + GAP
    chart = {"bars": bars, "width": CHART_WIDTH, "height": top, "bar_height": BAR}
    if reference is not None:
        chart["reference_x"] = round(reference / scale * BAR_AREA, 1)
    return chart


def _charts(opds: list[dict]) -> dict:
    shares = [row["median_share"] for row in opds if row["median_share"] is not None]
    # Bars against the SOP: the SOP line sits at 100%; the scale stretches to the slowest OPD
    # (up to three times the SOP, beyond which the bar is cut and its text tells the value).
    scale = min(max([1.0, *shares]) * 1.1, 3.0)
    return {
        "on_time": _chart(opds, "on_time_share", scale=1.0),
        "sop": _chart(opds, "median_share", scale=scale, reference=1.0),
    }


def _has_activity(row: dict) -> bool:
    return bool(row["received"] or row["finished"] or row["backlog"] or row["ikm_responses"])


def _parse(request, now) -> tuple:
    raw = request.GET.get("periode", "").strip()
    if not raw:
        return period_default(now=now), ""
    try:
        return period_parse(raw, now=now), ""
    except PeriodInvalid:
        return period_default(now=now), _(
            "Periode tidak dikenal. Pilih bulan atau tahun dari daftar; yang ditampilkan adalah "
            "tahun berjalan."
        )


PREPARING_RETRY_SECONDS = 20  # a cold period's snapshot is one task away

# The dashboard's body as rendered HTML, by everything it is drawn from: the language,
# the snapshot (its period and when it was computed), the filters and the local day (the
# period list and "today"). The same for every visitor; kept in this process, the most
# recent 64 of them (issue 20.6).
_rendered = KeptRenders(64)


@require_safe
def dashboard(request):
    now = timezone.now()
    period, error = _parse(request, now)
    snapshot = dashboard_get(period, now=now)
    if not snapshot.ready:  # a period never computed: its task is on its way
        response = render(
            request,
            "public/transparency/preparing.html",
            {"period": period, "retry_seconds": PREPARING_RETRY_SECONDS},
        )
        response["Retry-After"] = str(PREPARING_RETRY_SECONDS)
        return response
    key = (
        get_language(),
        period.key,
        snapshot.computed_at.isoformat(),
        request.GET.get("opd", "").strip()[:20],
        request.GET.get("semua") == "1",
        timezone.localdate(now).isoformat(),
        bool(error),
    )
    html = _rendered.get(key)
    if html is None:
        html, error = _dashboard_body(request, now, period, snapshot, error)
        _rendered.keep(key, html)
    else:
        error = error or _opd_unknown(request, snapshot.data)
    return render(
        request,
        "public/transparency/dashboard.html",
        {"content": mark_safe(html)},  # noqa: S308 (our own template's output)
        status=400 if error else 200,
    )


def _opd_unknown(request, data) -> str:
    code = request.GET.get("opd", "").strip()
    if code and not any(row["code"] == code for row in data["opds"]):
        return _("OPD tidak dikenal; ditampilkan semua OPD.")
    return ""


def _dashboard_body(request, now, period, snapshot, error) -> tuple[str, str]:
    data = snapshot.data
    _decorate(data["opds"])
    _decorate(data["types"])
    _decorate([data["total"]])
    kecamatan = data.get("kecamatan", [])  # a snapshot older than issue 19 has none
    _decorate(kecamatan)
    opd_code = request.GET.get("opd", "").strip()
    opd = next((row for row in data["opds"] if row["code"] == opd_code), None)
    if opd_code and opd is None and not error:
        error = _("OPD tidak dikenal; ditampilkan semua OPD.")
    types = [row for row in data["types"] if opd is None or row["opd"] == opd["code"]]
    show_all = request.GET.get("semua") == "1"
    quiet = [row for row in types if not _has_activity(row)]
    if not show_all:
        types = [row for row in types if _has_activity(row)]
    months, years = period_choices(now=now)
    context = {
        "period": period,
        "running": period.is_running(now),
        "months": months,
        "years": years,
        "listed": any(p.key == period.key for p in (*months, *years)),
        "data": data,
        "total": data["total"],
        "opds": data["opds"],
        "types": types,
        "kecamatan": kecamatan,
        "show_all": show_all,
        "quiet": len(quiet),
        "opd": opd,
        "charts": _charts(data["opds"]),
        "computed_at": snapshot.computed_at,
        "last_day": period.end - datetime.timedelta(days=1),
        "error": error,
        "min_group": min_group(),
    }
    html = render_to_string("public/transparency/_dashboard.html", context, request=request)
    return html, error


@require_safe
def dashboard_download(request, period: str):
    try:
        parsed = period_parse(period)
    except PeriodInvalid as exc:
        raise Http404 from exc
    snapshot = dashboard_get(parsed)
    if not snapshot.ready:
        return HttpResponse(
            _("Angka periode ini sedang dihitung; silakan coba lagi beberapa saat lagi."),
            status=503,
            content_type="text/plain; charset=utf-8",
            headers={"Retry-After": str(PREPARING_RETRY_SECONDS)},
        )
    response = HttpResponse(dashboard_csv(snapshot.data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="transparansi-{parsed.key}.csv"'
    return response


@require_safe
def charter(request):
    context = {
        "SP4N_LAPOR_URL": settings.SP4N_LAPOR_URL,
        "forward_days": settings.COMPLAINT_FORWARD_WORKING_DAYS,
        "answer_days": settings.COMPLAINT_ANSWER_WORKING_DAYS,
        "close_days": settings.COMPLAINT_CLOSE_WORKING_DAYS,
    }
    return render(request, "public/charter.html", context)
