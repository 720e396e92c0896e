"""Working-time arithmetic over the office's calendar.

A moment's *position* is the number of working microseconds from the start of the
calendar's window to that moment: inside service hours it grows with the clock, outside
them it stands still. With positions, every question is a subtraction or a binary search:

* ``working_time_between(a, b)`` is ``position(b) - position(a)``;
* ``add_working_time(a, d)`` finds the moment whose position is ``position(a) + d``;
* ``is_working_time(m)`` looks the day up.

Positions are precomputed per day (a cumulative table over a window of years that grows
on demand), so no call costs a database query or a loop over days. The calendar is built
from the database once and cached until a ``ServiceHours`` or ``DayOverride`` row changes.

Service hours are the half-open interval [opens, closes): 15:30 on a Monday is no longer
working time, but a deadline may fall exactly at closing time ("by 15:30").
"""

from __future__ import annotations

import bisect
import datetime
import threading
import zoneinfo
from dataclasses import dataclass, field

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from core.cache import shared_version, shared_version_bump

MICROSECONDS_PER_SECOND = 1_000_000
_ONE_DAY = datetime.timedelta(days=1)
_WINDOW_MARGIN_YEARS = 2
_MAX_WINDOW_YEARS = 200


def _micro(td: datetime.timedelta) -> int:
    return (td.days * 86_400 + td.seconds) * MICROSECONDS_PER_SECOND + td.microseconds


def _since_midnight(t: datetime.time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * MICROSECONDS_PER_SECOND + t.microsecond


@dataclass
class _Table:
    """Per-day cumulative working time for the dates [first, first + len(opens))."""

    first: datetime.date
    opens: list[int]  # microseconds after midnight; equal to closes on a closed day
    closes: list[int]
    cum_start: list[int]  # working time before the day starts
    cum_end: list[int]  # working time at the day's closing

    def index(self, day: datetime.date) -> int:
        return (day - self.first).days

    @property
    def last(self) -> datetime.date:
        return self.first + datetime.timedelta(days=len(self.opens) - 1)

    def covers(self, day: datetime.date) -> bool:
        return 0 <= self.index(day) < len(self.opens)


@dataclass
class WorkCalendar:
    """Service hours per weekday plus the national and local days off.

    ``hours`` maps a weekday (Monday 0) to its (opens, closes); a missing weekday is
    closed. ``extra_days_off`` and ``extra_working_days`` are the local overrides.
    """

    hours: dict[int, tuple[datetime.time, datetime.time]]
    extra_days_off: frozenset[datetime.date] = frozenset()
    extra_working_days: frozenset[datetime.date] = frozenset()
    timezone: datetime.tzinfo = field(default_factory=lambda: zoneinfo.ZoneInfo(settings.TIME_ZONE))
    _table: _Table | None = field(default=None, init=False, repr=False)
    _holidays: dict[datetime.date, str] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        if not any(opens < closes for opens, closes in self.hours.values()):
            raise ImproperlyConfigured("The office calendar has no open weekday.")

    # --- days ---------------------------------------------------------------------------

    def holiday_name(self, day: datetime.date) -> str | None:
        """The national holiday or cuti bersama on ``day``, in Indonesian, if any."""
        self._ensure(day)
        return self._holidays.get(day)

    def is_working_day(self, day: datetime.date) -> bool:
        table = self._ensure(day)
        i = table.index(day)
        return table.opens[i] < table.closes[i]

    def service_hours(
        self, day: datetime.date
    ) -> tuple[datetime.datetime, datetime.datetime] | None:
        """The day's opening and closing as aware datetimes, or None on a day off."""
        table = self._ensure(day)
        i = table.index(day)
        if table.opens[i] >= table.closes[i]:
            return None
        midnight = datetime.datetime.combine(day, datetime.time(), tzinfo=self.timezone)
        return (
            midnight + datetime.timedelta(microseconds=table.opens[i]),
            midnight + datetime.timedelta(microseconds=table.closes[i]),
        )

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """The first working day strictly after ``day``."""
        day += _ONE_DAY
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    # --- moments ------------------------------------------------------------------------

    def is_working_time(self, moment: datetime.datetime) -> bool:
        local = self._local(moment)
        table = self._ensure(local.date())
        i = table.index(local.date())
        t = _since_midnight(local.time())
        return table.opens[i] <= t < table.closes[i]

    def position(self, moment: datetime.datetime) -> int:
        """Working microseconds from the window's start to ``moment``."""
        local = self._local(moment)
        table = self._ensure(local.date())
        i = table.index(local.date())
        t = _since_midnight(local.time())
        inside = min(max(t, table.opens[i]), table.closes[i]) - table.opens[i]
        return table.cum_start[i] + inside

    def working_time_between(
        self, start: datetime.datetime, end: datetime.datetime
    ) -> datetime.timedelta:
        """Working time from ``start`` to ``end``; negative when ``end`` comes first."""
        self._ensure(self._local(start).date(), self._local(end).date())
        return datetime.timedelta(microseconds=self.position(end) - self.position(start))

    def add_working_time(
        self, moment: datetime.datetime, duration: datetime.timedelta
    ) -> datetime.datetime:
        """The moment when ``duration`` of working time has passed since ``moment``.

        A positive duration always ends inside service hours (closing time included).
        """
        if duration < datetime.timedelta(0):
            raise ValueError("duration must not be negative")
        return self.shift_working_time(moment, duration)

    def shift_working_time(
        self, moment: datetime.datetime, delta: datetime.timedelta
    ) -> datetime.datetime:
        """Like ``add_working_time``, but ``delta`` may be negative (a deadline that passed)."""
        if not delta:
            return moment
        local = self._local(moment)
        if delta < datetime.timedelta(0):
            # Widen the window backwards before taking positions: widening later would
            # move the window's first day and shift every position.
            self._ensure(local.date() - datetime.timedelta(days=-delta.days * 3 + 30))
        target = self.position(moment) + _micro(delta)
        table = self._table
        assert table is not None
        while target > table.cum_end[-1]:
            table = self._ensure(table.last + datetime.timedelta(days=366))
        # The first day whose closing reaches the target: a deadline that ends a day
        # exactly lands on that day's closing, not on the next day's opening.
        i = bisect.bisect_left(table.cum_end, target)
        day = table.first + datetime.timedelta(days=i)
        offset = table.opens[i] + target - table.cum_start[i]
        midnight = datetime.datetime.combine(day, datetime.time(), tzinfo=self.timezone)
        return midnight + datetime.timedelta(microseconds=offset)

    def add_working_days(self, moment: datetime.datetime, days: int) -> datetime.datetime:
        """The SOP deadline ``days`` working days after ``moment``.

        The same time of day, ``days`` working days later, held within that day's service
        hours (Thursday 15:15 plus one day is Friday 15:00, closing time). A moment outside
        service hours counts from the next opening, and a result at opening is shown as
        the previous working day's closing, the same working-time position.
        """
        if days < 0:
            raise ValueError("days must not be negative")
        if days == 0:
            return moment
        start = self.next_working_moment(moment)
        day = start.date()
        for _ in range(days):
            day = self.next_working_day(day)
        opens, closes = self.service_hours(day)
        wall = datetime.datetime.combine(day, start.timetz())
        result = min(max(wall, opens), closes)
        if result == opens:
            previous = self.previous_working_day(day)
            return self.service_hours(previous)[1]
        return result

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after ``start`` up to and including ``end``; negative when ``end``
        comes first (Friday to the next Monday is 1; Monday to the Friday before is -1)."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            self.is_working_day(start + datetime.timedelta(days=i))
            for i in range(1, (end - start).days + 1)
        )

    def previous_working_day(self, day: datetime.date) -> datetime.date:
        """The last working day strictly before ``day``."""
        day -= _ONE_DAY
        while not self.is_working_day(day):
            day -= _ONE_DAY
        return day

    def next_working_moment(self, moment: datetime.datetime) -> datetime.datetime:
        """``moment`` itself inside service hours, otherwise the next opening."""
        local = self._local(moment)
        hours = self.service_hours(local.date())
        if hours and hours[0] <= local < hours[1]:
            return local
        if hours and local < hours[0]:
            return hours[0]
        return self.service_hours(self.next_working_day(local.date()))[0]

    # --- internals ----------------------------------------------------------------------

    def _local(self, moment: datetime.datetime) -> datetime.datetime:
        if moment.tzinfo is None:
            raise ValueError("working-time arithmetic needs an aware datetime")
        return moment.astimezone(self.timezone)

    def _ensure(self, *days: datetime.date) -> _Table:
        table = self._table
        if table is not None and all(table.covers(day) for day in days):
            return table
        with self._lock:
            low = min(day.year for day in days) - _WINDOW_MARGIN_YEARS
            high = max(day.year for day in days) + _WINDOW_MARGIN_YEARS
            if self._table is not None:
                # Only ever widen: positions already handed out stay valid as long as
                # the window's first day does not move.
                low = min(low, self._table.first.year)
                high = max(high, self._table.last.year)
            if high - low > _MAX_WINDOW_YEARS:
                raise ValueError("dates too far apart for the office calendar")
            self._table = self._build(low, high)
            return self._table

    def _build(self, first_year: int, last_year: int) -> _Table:
        national = holidays.country_holidays(
            "ID",
            categories=("public", "government"),
            years=range(first_year, last_year + 1),
            language="id",
        )
        self._holidays = dict(national.items())
        first = datetime.date(first_year, 1, 1)
        day_count = (datetime.date(last_year + 1, 1, 1) - first).days
        opens, closes, cum_start, cum_end = [], [], [], []
        total = 0
        day = first
        for _ in range(day_count):
            o = c = 0
            off = (day in national or day in self.extra_days_off) and (
                day not in self.extra_working_days
            )
            if not off and day.weekday() in self.hours:
                o, c = (_since_midnight(t) for t in self.hours[day.weekday()])
                c = max(o, c)
            opens.append(o)
            closes.append(c)
            cum_start.append(total)
            total += c - o
            cum_end.append(total)
            day += _ONE_DAY
        return _Table(first, opens, closes, cum_start, cum_end)


# --- the office calendar, cached --------------------------------------------------------

_VERSION_KEY = "worktime:calendar-version"
_cached: dict[str, object] = {}


def build_calendar() -> WorkCalendar:
    """Read service hours and local overrides from the database (two queries)."""
    from worktime.models import DEFAULT_SERVICE_HOURS, DayOverride, ServiceHours

    rows = list(ServiceHours.objects.all())
    hours = {
        row.weekday: (row.opens, row.closes)
        for row in rows
        if row.is_open and row.opens < row.closes
    }
    if not rows:
        hours = dict(DEFAULT_SERVICE_HOURS)
    overrides = list(DayOverride.objects.values_list("date", "kind"))
    return WorkCalendar(
        hours=hours,
        extra_days_off=frozenset(d for d, kind in overrides if kind == DayOverride.Kind.DAY_OFF),
        extra_working_days=frozenset(
            d for d, kind in overrides if kind == DayOverride.Kind.WORKING_DAY
        ),
    )


def calendar_version() -> str:
    """The calendar's shared version: it moves whenever a holiday, a day override or the
    service hours change (in any process), for what is kept rendered from them."""
    return shared_version(_VERSION_KEY)


def get_calendar() -> WorkCalendar:
    """The office calendar, rebuilt only after its rows changed (in any process), or after
    ``DERIVED_SECONDS`` (a change made while Redis was down could not bump the version)."""
    version = calendar_version()
    if _cached.get("version") != version or "calendar" not in _cached:
        _cached["calendar"] = build_calendar()
        _cached["version"] = version
    return _cached["calendar"]  # type: ignore[return-value]


def invalidate_calendar() -> None:
    shared_version_bump(_VERSION_KEY)
    _cached.clear()
