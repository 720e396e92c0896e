"""Moments as people read them: in the office's time zone, in the active language.

Times are stored in UTC. Every moment Terang shows is in the office's time zone
(``settings.TIME_ZONE``, WIB by default) in the Indonesian form "7 Des 2026, 06.30" (the
English form when English is chosen: "7 Dec 2026, 06.30"). Templates get that from Django's
``date`` filter, which converts to the current time zone before formatting. Python code
does not: ``django.template.defaultfilters.date(value, ...)`` and ``strftime`` format an
aware datetime in its own zone, so a UTC value read from the database comes out seven hours
early (and, before 07.00 WIB, on the day before). Python code therefore formats moments
here, and only here.

The names of months and weekdays are looked up once per language, so a page formatting
dozens of moments (the tracking page, a worklist's SOP badges) pays a few microseconds
each; ``tests/portal/test_moments.py`` checks that the output is exactly the ``date``
filter's.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.dates import MONTHS, MONTHS_3, WEEKDAYS, WEEKDAYS_ABBR

# The forms Terang uses, as Django ``date`` format strings (what each one mirrors).
SHORT = "short"  # "7 Des 2026, 06.30"            j M Y, H.i
WEEKDAY = "weekday"  # "Sen 7 Des 2026, 06.30"    D j M Y, H.i  (SOP badges)
LONG = "long"  # "Senin, 7 Desember 2026, 06.30"  l, j F Y, H.i  (promises, receipts)
SECONDS = "seconds"  # "7 Des 2026, 06.30.05"     j M Y, H.i.s  (the audit trail)
DAY = "day"  # "7 Des 2026"                       j M Y
TIME = "time"  # "06.30"                          H.i
MONTH = "month"  # "Desember 2026"                F Y


@dataclass(frozen=True)
class _Names:
    months: tuple[str, ...]
    months_short: tuple[str, ...]
    weekdays: tuple[str, ...]
    weekdays_short: tuple[str, ...]


@functools.lru_cache(maxsize=8)
def _names_for(language: str) -> _Names:
    with translation.override(language):
        return _Names(
            months=tuple(str(MONTHS[m]) for m in range(1, 13)),
            months_short=tuple(str(MONTHS_3[m]).title() for m in range(1, 13)),
            weekdays=tuple(str(WEEKDAYS[d]) for d in range(7)),
            weekdays_short=tuple(str(WEEKDAYS_ABBR[d]) for d in range(7)),
        )


def local(value: datetime.datetime) -> datetime.datetime:
    """``value`` in the office's time zone (the current one, which is the office's unless a
    request chose another)."""
    return timezone.localtime(value)


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in the office's time zone: a filter by local days
    as a range of the stored UTC moments (``moment >= day_start(since)`` and ``moment <
    day_start(until + 1 day)``), which an index serves, unlike ``__date``."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def moment_iso(value: datetime.datetime | None) -> str:
    """The local ISO 8601 form, offset included, for ``<time datetime>`` and open data."""
    return "" if value is None else local(value).isoformat(timespec="seconds")


def moment_text(value: datetime.datetime | datetime.date | None, form: str = SHORT) -> str:
    """``value`` in words in the active language: an aware datetime in local time (``SHORT``,
    ``WEEKDAY``, ``LONG``, ``SECONDS``, ``DAY``, ``TIME``, ``MONTH``), a date as ``DAY``,
    ``LONG`` or ``MONTH``."""
    if value is None:
        return ""
    names = _names_for(translation.get_language() or "id")
    moment = isinstance(value, datetime.datetime)
    if moment:
        value = local(value)  # the local day and month, not UTC's
    month, day = names.months[value.month - 1], value.day
    long_day = f"{names.weekdays[value.weekday()]}, {day} {month} {value.year}"
    short_day = f"{day} {names.months_short[value.month - 1]} {value.year}"
    if form == MONTH:
        return f"{month} {value.year}"
    if not moment:
        return long_day if form == LONG else short_day
    clock = f"{value:%H.%M}"
    if form == DAY:
        return short_day
    if form == TIME:
        return clock
    if form == WEEKDAY:
        return f"{names.weekdays_short[value.weekday()]} {short_day}, {clock}"
    if form == LONG:
        return f"{long_day}, {clock}"
    if form == SECONDS:
        return f"{short_day}, {clock}.{value:%S}"
    return f"{short_day}, {clock}"


def moment_parse(text: str) -> datetime.datetime | None:
    """An aware moment stored as ISO text (event data, flag details), or None."""
    try:
        value = datetime.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return value if timezone.is_aware(value) else None
