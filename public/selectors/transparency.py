"""The public transparency dashboard: how the office kept its service promises, per permit
type, per OPD and in total, for a month or a year. Open to anyone, no personal data.

Rules (one place, so that the page, the CSV and the tests agree):

- A period is a calendar month ``YYYY-MM`` or a year ``YYYY`` in the office's time zone
  (Asia/Jakarta, the same bounds as ``integrity.inspection.selectors.monev.month_bounds``);
  half-open ``[start, end)``. Years before ``FIRST_YEAR`` and periods that have not begun
  are refused.
- received: files submitted in the period (``submitted_at``).
- finished: files whose ``finished_at`` is in the period and whose SOP clock started
  (``clock_started_at`` set): the base of the monthly monev report
  (``integrity.inspection.selectors.monev``).
  Issued, rejected, withdrawn and expired files all count; a file never declared complete
  has no SOP time to judge.
- on-time share: finished files not ``finished_late`` / finished.
- working time of a finished file, in the unit of its type's SOP (``PermitType.sop_unit``):
  for "days" types, working days = ``work_used / (sop_budget / sop_duration)`` (the budget
  fixed when the clock started, ``permits.sla``, spread over the SOP's days); for "hours"
  types, ``work_used`` in hours. Per type: the median and the 90th percentile (linear
  interpolation, ``integrity.inspection.flags.baselines.percentile``).
- SOP share of a finished file: ``work_used / sop_budget`` (1.0 = exactly the SOP). Median
  and 90th percentile per type, and per OPD and in total over the pooled files, so rows of
  types with different SOPs compare.
- backlog: files open (submitted, not finished) at ``backlog_at``: now for a period still
  running, the period's end for a past one.
- IKM (the satisfaction index, ``public.selectors.survey``) and its category per type, per OPD (the
  unit the answer was counted for) and in total, from the answers given in the period: as
  ``public.selectors.survey.survey_rollup``, one query.

Received, finished, on time and the working times are added up from the per-day figures
kept as the files move (``permits.selectors.figures``, the rules of what counts on which
day in ``permits.models.figures``): a period reads at most one row per type and day, not
its files. The backlog is counted on the files at its moment.

Every permit type that is active, or had a file or an answer in the period, has a row; an
OPD has a row when one of its types has. The numbers cost a fixed number of queries
whatever the volume, and are kept in ``DashboardSnapshot`` (one per period,
``public.services.transparency``): the page reads the snapshot, computes a missing one on
first request, and the hourly task (``dashboard_refresh``) recomputes this month, this year
and last month. A snapshot taken while its period was still running is recomputed on the
first request after the period ended, and a snapshot older than ``MAX_AGE`` on the next
request (should the task stop).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from integrity.inspection.flags.baselines import percentile
from integrity.inspection.selectors.monev import month_bounds
from permits.models import OPD, Application, PermitType
from permits.models.catalogue import SopUnit
from permits.selectors.figures import TypeFigures, figures_for
from places.models import Kecamatan
from public.selectors.survey import Ikm, min_group, survey_rollup
from worktime.calendar import get_calendar

FIRST_YEAR = 2000
PERIOD_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2}))?$")
NO_FIGURES = TypeFigures()


class PeriodInvalid(ValueError):
    """The text is not a month or year the dashboard can show."""


@dataclass(frozen=True)
class Period:
    key: str  # "2026" or "2026-11"
    first: datetime.date  # the first day
    start: datetime.datetime
    end: datetime.datetime

    @property
    def is_month(self) -> bool:
        return len(self.key) == 7

    def is_running(self, now: datetime.datetime) -> bool:
        return self.start <= now < self.end


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    tz = get_calendar().timezone
    return (
        datetime.datetime(year, 1, 1, tzinfo=tz),
        datetime.datetime(year + 1, 1, 1, tzinfo=tz),
    )


def period_month(day: datetime.date) -> Period:
    first = day.replace(day=1)
    start, end = month_bounds(first)
    return Period(first.strftime("%Y-%m"), first, start, end)


def period_year(year: int) -> Period:
    start, end = _year_bounds(year)
    return Period(f"{year:04d}", datetime.date(year, 1, 1), start, end)


def period_parse(text: str, *, now: datetime.datetime | None = None) -> Period:
    """``2026`` or ``2026-11`` as a period that has begun; ``PeriodInvalid`` otherwise."""
    match = PERIOD_PATTERN.match((text or "").strip())
    if not match:
        raise PeriodInvalid(text)
    year, month = int(match[1]), match[2]
    now = now or timezone.now()
    # A later year has not begun: refused before its end is computed (9999-12 would
    # overflow the date range).
    if not FIRST_YEAR <= year <= timezone.localtime(now).year:
        raise PeriodInvalid(text)
    if month is not None and not 1 <= int(month) <= 12:
        raise PeriodInvalid(text)
    period = (
        period_year(year) if month is None else period_month(datetime.date(year, int(month), 1))
    )
    if period.start > now:
        raise PeriodInvalid(text)
    return period


def period_default(*, now: datetime.datetime | None = None) -> Period:
    """The current year."""
    return period_year(timezone.localtime(now or timezone.now()).year)


def period_choices(*, now: datetime.datetime | None = None) -> tuple[list[Period], list[Period]]:
    """The last 12 months and the last 3 years, newest first, for the page's select."""
    today = timezone.localtime(now or timezone.now()).date()
    months, first = [], today.replace(day=1)
    for _ in range(12):
        months.append(period_month(first))
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    years = [period_year(today.year - i) for i in range(3)]
    return months, years


# --- the numbers -----------------------------------------------------------------------------


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _median(sample: list[float], digits: int) -> float | None:
    return round(statistics.median(sample), digits) if sample else None


def _p90(sample: list[float], digits: int) -> float | None:
    return round(percentile(sorted(sample), 90), digits) if sample else None


def _ikm_fields(ikm) -> dict:
    """A group's IKM, withheld (its count kept) below ``min_group()`` answers: one answer's
    scores must not be readable by the unit that knows whose file ended."""
    if ikm is None or ikm.value is None:
        return {"ikm": None, "ikm_category": "", "ikm_responses": 0}
    if ikm.responses < min_group():
        return {"ikm": None, "ikm_category": "", "ikm_responses": ikm.responses}
    return {"ikm": str(ikm.value), "ikm_category": ikm.category, "ikm_responses": ikm.responses}


def _ikm(start, end) -> tuple[dict, dict, Ikm]:
    """The IKM per type, per unit (the answer's unit) and in total, from one query."""
    rollup = survey_rollup(start=start, end=end)
    return (
        {key: t.ikm() for key, t in rollup.types.items()},
        {key: t.ikm() for key, t in rollup.units.items()},
        rollup.total.ikm(),
    )


def _counts(queryset) -> dict[int, int]:
    return {
        row["permit_type_id"]: row["n"]
        for row in queryset.values("permit_type_id").annotate(n=Count("id"))
    }


def _summary(target: dict, received: int, finished: int, on_time: int, backlog: int, shares):
    target.update(
        received=received,
        finished=finished,
        on_time=on_time,
        on_time_share=_share(on_time, finished),
        median_share=_median(shares, 4),
        p90_share=_p90(shares, 4),
        backlog=backlog,
    )
    return target


def _backlog(backlog_at) -> dict[int, int]:
    """Per type id: files open at ``backlog_at``, counted on the files (one query): a
    moment's state, not a sum of days."""
    return _counts(
        Application.objects.filter(submitted_at__lt=backlog_at).filter(
            Q(finished_at__isnull=True) | Q(finished_at__gte=backlog_at)
        )
    )


def _type_row(pt: PermitType, figures: TypeFigures, backlog: int, ikm) -> dict:
    # The working time in the type's SOP unit.
    times = figures.hours() if pt.sop_unit == SopUnit.HOURS else figures.days(pt.sop_duration)
    row = {
        "opd": pt.opd.code,
        "opd_name_id": pt.opd.name_id,
        "opd_name_en": pt.opd.name_en,
        "code": pt.code,
        "name_id": pt.name_id,
        "name_en": pt.name_en,
        "sop_duration": pt.sop_duration,
        "sop_unit": pt.sop_unit,
        "median": _median(times, 2),
        "p90": _p90(times, 2),
        **_ikm_fields(ikm),
    }
    return _summary(
        row, figures.received, figures.finished, figures.on_time, backlog, figures.shares()
    )


def _opd_row(opd: OPD, ikm) -> dict:
    return {
        "code": opd.code,
        "name_id": opd.name_id,
        "name_en": opd.name_en,
        "types": 0,
        "received": 0,
        "finished": 0,
        "on_time": 0,
        "backlog": 0,
        **_ikm_fields(ikm),
    }


COUNTS = ("received", "finished", "on_time", "backlog")


def _kecamatan_rows(places: dict[str, Counter]) -> list[dict]:
    """Per kecamatan where the permits are about (a file's site, issue 19.6): files received
    and finished in the period, and finished on time. Files whose type names no place are
    not counted here."""
    names = dict(Kecamatan.objects.values_list("code", "name"))
    names |= {code: code for code in places if code not in names}
    empty = Counter()
    return [
        {
            "code": code,
            "name": names[code],
            "received": (counts := places.get(code, empty))["received"],
            "finished": counts["finished"],
            "on_time": counts["on_time"],
            "on_time_share": _share(counts["on_time"], counts["finished"]),
        }
        for code in sorted(names, key=lambda c: names[c])
    ]


def dashboard_compute(period: Period, *, now: datetime.datetime | None = None) -> dict:
    """The dashboard's numbers for ``period`` as plain JSON data (see the module's rules)."""
    now = now or timezone.now()
    start, end = period.start, period.end
    backlog_at = min(end, now)
    types = list(PermitType.objects.select_related("opd"))
    figures = figures_for(start, end)
    backlog = _backlog(backlog_at)
    ikm_types, ikm_units, ikm_all = _ikm(start, end)

    type_rows, opd_rows, opd_shares = [], {}, defaultdict(list)
    for pt in sorted(types, key=lambda t: (t.opd.name_id, t.name_id, t.code)):
        files = figures.types.get(pt.pk, NO_FIGURES)
        shown = pt.active or files.finished or files.received or backlog.get(pt.pk)
        if not shown and pt.pk not in ikm_types:
            continue
        row = _type_row(pt, files, backlog.get(pt.pk, 0), ikm_types.get(pt.pk))
        type_rows.append(row)
        opd = opd_rows.setdefault(pt.opd.code, _opd_row(pt.opd, ikm_units.get(pt.opd_id)))
        opd["types"] += 1
        for key in COUNTS:
            opd[key] += row[key]
        opd_shares[pt.opd.code] += files.shares()
    for code, opd in opd_rows.items():
        _summary(opd, *(opd[key] for key in COUNTS), opd_shares[code])
    total = _summary(
        {"types": len(type_rows), **_ikm_fields(ikm_all)},
        *(sum(r[key] for r in type_rows) for key in COUNTS),
        [s for shares in opd_shares.values() for s in shares],
    )
    return {
        "period": period.key,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "backlog_at": timezone.localtime(backlog_at, start.tzinfo).isoformat(timespec="seconds"),
        "total": total,
        "opds": list(opd_rows.values()),
        "types": type_rows,
        "kecamatan": _kecamatan_rows(figures.places),
    }


# --- open data -------------------------------------------------------------------------------

CSV_COLUMNS = (
    "period",
    "opd_code",
    "opd_name",
    "permit_type_code",
    "permit_type_name",
    "sop_duration",
    "sop_unit",
    "received",
    "finished",
    "finished_on_time",
    "on_time_pct",
    "median_working_time",
    "p90_working_time",
    "median_sop_share_pct",
    "p90_sop_share_pct",
    "backlog",
    "backlog_at",
    "ikm",
    "ikm_category",
    "ikm_responses",
)


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


def _plain(value) -> str:
    return "" if value is None else str(value)


def dashboard_csv(data: dict) -> bytes:
    """One row per permit type (open data): English snake_case headers, dots as decimal
    separators, empty cells for "no value", working times in the type's ``sop_unit``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in data["types"]:
        writer.writerow(
            [
                data["period"],
                row["opd"],
                row["opd_name_id"],
                row["code"],
                row["name_id"],
                row["sop_duration"],
                row["sop_unit"],
                row["received"],
                row["finished"],
                row["on_time"],
                _pct(row["on_time_share"]),
                _plain(row["median"]),
                _plain(row["p90"]),
                _pct(row["median_share"]),
                _pct(row["p90_share"]),
                row["backlog"],
                data["backlog_at"],
                _plain(row["ikm"]),
                row["ikm_category"],
                row["ikm_responses"],
            ]
        )
    return out.getvalue().encode("utf-8")
