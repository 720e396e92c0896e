"""A period's figures, added up from the per-day rows (``permits.models.figures``): what
the transparency dashboard and the monev report read instead of the files themselves. Two
queries whatever the history's size; a year reads at most one row per type and day."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from permits.models.figures import DailyPlaceFigures, DailyTypeFigures
from worktime.calendar import get_calendar

HOUR_US = 3_600_000_000


@dataclass
class TypeFigures:
    received: int = 0
    returned: int = 0
    finished: int = 0
    on_time: int = 0
    # [work_used, sop_budget or None] of each file finished with its clock started, in
    # microseconds: plain numbers, a year of them read without a timedelta each.
    times: list[list] = field(default_factory=list)

    def shares(self) -> list[float]:
        """Each file's working time as a share of its SOP budget (1.0: exactly the SOP)."""
        return [used / budget for used, budget in self.times if budget]

    def hours(self) -> list[float]:
        return [used / HOUR_US for used, _budget in self.times]

    def days(self, sop_days: int) -> list[float]:
        """Each file's working time in working days of its SOP: its budget spread over the
        SOP's days (rounded to the microsecond, as ``timedelta / int`` rounds)."""
        return [used / _rounded(budget, sop_days) for used, budget in self.times if budget]


@dataclass
class PeriodFigures:
    types: dict[int, TypeFigures]  # by permit type id
    # By kecamatan code (files whose type names no place left out): received, finished,
    # on_time.
    places: dict[str, Counter]


def _days(start: datetime.datetime, end: datetime.datetime) -> tuple[datetime.date, datetime.date]:
    """The office days ``[first, stop)`` of a period bounded by the office's midnights."""
    tz = get_calendar().timezone
    first, stop = timezone.localtime(start, tz), timezone.localtime(end, tz)
    if first.time() != datetime.time() or stop.time() != datetime.time():
        raise ValueError("a period of figures runs from midnight to midnight, office time")
    return first.date(), stop.date()


def _rounded(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half to even, in integers."""
    quotient, rest = divmod(numerator, denominator)
    twice = rest * 2
    if twice > denominator or (twice == denominator and quotient % 2):
        quotient += 1
    return quotient


def figures_for(start: datetime.datetime, end: datetime.datetime) -> PeriodFigures:
    """The files received, returned and finished in ``[start, end)``, per type and place."""
    first, stop = _days(start, end)
    types: dict[int, TypeFigures] = defaultdict(TypeFigures)
    for type_id, received, returned, finished, on_time, times in DailyTypeFigures.objects.filter(
        day__gte=first, day__lt=stop
    ).values_list("permit_type_id", "received", "returned", "finished", "on_time", "times"):
        row = types[type_id]
        row.received += received
        row.returned += returned
        row.finished += finished
        row.on_time += on_time
        row.times += times
    places: dict[str, Counter] = defaultdict(Counter)
    for place, received, finished, on_time in (
        DailyPlaceFigures.objects.filter(day__gte=first, day__lt=stop)
        .exclude(kecamatan="")
        .values_list("kecamatan", "received", "finished", "on_time")
    ):
        places[place].update(received=received, finished=finished, on_time=on_time)
    return PeriodFigures(types=dict(types), places=dict(places))
