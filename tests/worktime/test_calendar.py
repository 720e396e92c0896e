import datetime
import zoneinfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from worktime.calendar import WorkCalendar

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
H = datetime.timedelta(hours=1)
M = datetime.timedelta(minutes=1)

OFFICE_HOURS = {
    0: (datetime.time(8), datetime.time(15, 30)),
    1: (datetime.time(8), datetime.time(15, 30)),
    2: (datetime.time(8), datetime.time(15, 30)),
    3: (datetime.time(8), datetime.time(15, 30)),
    4: (datetime.time(8), datetime.time(15)),
}
CALENDAR = WorkCalendar(hours=OFFICE_HOURS, timezone=WIB)


def at(y, mo, d, h=0, mi=0):
    return datetime.datetime(y, mo, d, h, mi, tzinfo=WIB)


# --- days -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (datetime.date(2026, 3, 17), True),  # Tuesday before Nyepi
        (datetime.date(2026, 3, 18), False),  # cuti bersama Nyepi
        (datetime.date(2026, 3, 19), False),  # Nyepi
        (datetime.date(2026, 3, 20), False),  # cuti bersama Idulfitri
        (datetime.date(2026, 3, 21), False),  # Idulfitri, a Saturday
        (datetime.date(2026, 3, 23), False),  # cuti bersama Idulfitri
        (datetime.date(2026, 3, 24), False),  # cuti bersama Idulfitri
        (datetime.date(2026, 3, 25), True),  # back at work
        (datetime.date(2026, 8, 17), False),  # Independence Day
        (datetime.date(2026, 12, 24), False),  # cuti bersama Christmas
        (datetime.date(2026, 11, 21), False),  # a Saturday
        (datetime.date(2026, 11, 23), True),  # a Monday
    ],
)
def test_it_knows_working_days_on_the_real_2026_calendar(day, working):
    assert CALENDAR.is_working_day(day) is working


def test_it_names_national_holidays_and_cuti_bersama_in_indonesian():
    assert CALENDAR.holiday_name(datetime.date(2026, 3, 21)) == "Hari Raya Idul Fitri"
    assert "Cuti Bersama" in CALENDAR.holiday_name(datetime.date(2026, 3, 23))
    assert CALENDAR.holiday_name(datetime.date(2026, 3, 25)) is None


@pytest.mark.parametrize(
    ("moment", "working"),
    [
        (at(2026, 11, 23, 7, 59), False),
        (at(2026, 11, 23, 8, 0), True),
        (at(2026, 11, 23, 15, 29), True),
        (at(2026, 11, 23, 15, 30), False),  # closing time is no longer service time
        (at(2026, 11, 27, 14, 59), True),  # Friday
        (at(2026, 11, 27, 15, 0), False),  # Friday closes at 15:00
        (at(2026, 11, 28, 10, 0), False),  # Saturday
        (at(2026, 3, 18, 10, 0), False),  # cuti bersama
    ],
)
def test_it_tells_working_time_at_the_edges_of_service_hours(moment, working):
    assert CALENDAR.is_working_time(moment) is working


def test_it_converts_other_time_zones_to_jakarta_time():
    # 01:00 UTC is 08:00 in Jakarta: the office has just opened.
    assert CALENDAR.is_working_time(datetime.datetime(2026, 11, 23, 1, 0, tzinfo=datetime.UTC))
    with pytest.raises(ValueError):
        CALENDAR.is_working_time(datetime.datetime(2026, 11, 23, 10, 0))


# --- measuring and adding ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (at(2026, 11, 23, 8), at(2026, 11, 23, 15, 30), 7.5 * H),
        (at(2026, 11, 23, 6), at(2026, 11, 23, 20), 7.5 * H),
        (at(2026, 11, 27, 14), at(2026, 11, 30, 9), 2 * H),  # over a weekend
        (at(2026, 3, 17, 10), at(2026, 3, 25, 10), 7.5 * H),  # over Nyepi and Idulfitri
        (at(2026, 11, 28, 9), at(2026, 11, 29, 17), 0 * H),  # inside a weekend
        (at(2026, 11, 30, 9), at(2026, 11, 27, 14), -2 * H),  # backwards is negative
    ],
)
def test_it_measures_working_time(start, end, expected):
    assert CALENDAR.working_time_between(start, end) == expected


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        (at(2026, 11, 23, 9), 2 * H, at(2026, 11, 23, 11)),
        (at(2026, 11, 23, 14), 2 * H, at(2026, 11, 24, 8, 30)),
        (at(2026, 11, 27, 14), 2 * H, at(2026, 11, 30, 9)),  # Friday into Monday
        (at(2026, 11, 28, 10), 30 * M, at(2026, 11, 30, 8, 30)),  # from a Saturday
        (at(2026, 11, 23, 6), 7.5 * H, at(2026, 11, 23, 15, 30)),  # a whole day ends at closing
        (at(2026, 3, 17, 14), 4 * H, at(2026, 3, 25, 10, 30)),  # over the 2026 Lebaran break
        (at(2026, 11, 23, 9), 0 * H, at(2026, 11, 23, 9)),
    ],
)
def test_it_adds_working_time(start, duration, expected):
    assert CALENDAR.add_working_time(start, duration) == expected


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (at(2026, 11, 23, 10), 2, at(2026, 11, 25, 10)),
        (at(2026, 11, 26, 15, 15), 1, at(2026, 11, 27, 15)),  # Friday closes earlier
        (at(2026, 11, 27, 10), 1, at(2026, 11, 30, 10)),  # over a weekend
        (at(2026, 11, 28, 10), 1, at(2026, 11, 30, 15, 30)),  # Saturday counts from Monday
        (at(2026, 11, 23, 16), 1, at(2026, 11, 24, 15, 30)),  # after closing: from tomorrow
        (at(2026, 3, 17, 10), 1, at(2026, 3, 25, 10)),  # Nyepi and Idulfitri skipped
        (at(2026, 3, 16, 11), 5, at(2026, 3, 30, 11)),  # 17, 25, 26, 27, 30 March
        (at(2026, 12, 23, 9), 2, at(2026, 12, 29, 9)),  # Christmas and its cuti bersama
    ],
)
def test_it_finds_the_sop_deadline_in_working_days(start, days, expected):
    assert CALENDAR.add_working_days(start, days) == expected


def test_it_refuses_negative_durations():
    with pytest.raises(ValueError):
        CALENDAR.add_working_time(at(2026, 11, 23, 9), -H)
    with pytest.raises(ValueError):
        CALENDAR.add_working_days(at(2026, 11, 23, 9), -1)


def test_it_works_across_years_and_widens_its_window():
    calendar = WorkCalendar(hours=OFFICE_HOURS, timezone=WIB)
    assert calendar.add_working_days(at(2026, 12, 30, 9), 2) == at(2027, 1, 4, 9)
    far = at(2040, 6, 4, 9)
    assert calendar.is_working_time(far)
    assert calendar.working_time_between(at(2026, 12, 30, 9), at(2026, 12, 30, 10)) == H


def test_a_calendar_with_no_open_day_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        WorkCalendar(hours={}, timezone=WIB)


# --- properties -------------------------------------------------------------------------

moments = st.datetimes(
    min_value=datetime.datetime(2025, 1, 1), max_value=datetime.datetime(2028, 12, 31)
).map(lambda naive: naive.replace(tzinfo=WIB))
durations = st.timedeltas(min_value=datetime.timedelta(0), max_value=datetime.timedelta(days=30))
positive_durations = st.timedeltas(
    min_value=datetime.timedelta(microseconds=1), max_value=datetime.timedelta(days=30)
)


@settings(max_examples=300)
@given(start=moments, duration=durations)
def test_adding_then_measuring_gives_the_duration_back(start, duration):
    end = CALENDAR.add_working_time(start, duration)
    assert CALENDAR.working_time_between(start, end) == duration
    assert end >= start


@settings(max_examples=300)
@given(start=moments, duration=positive_durations)
def test_a_deadline_never_lands_outside_working_time(start, duration):
    deadline = CALENDAR.add_working_time(start, duration).astimezone(WIB)
    hours = CALENDAR.service_hours(deadline.date())
    assert hours is not None, f"{deadline} is on a day off"
    opens, closes = hours
    assert opens < deadline <= closes


@settings(max_examples=200)
@given(start=moments, days=st.integers(min_value=1, max_value=20))
def test_a_deadline_in_days_lands_in_service_hours_after_that_many_working_days(start, days):
    deadline = CALENDAR.add_working_days(start, days).astimezone(WIB)
    opens, closes = CALENDAR.service_hours(deadline.date())
    assert opens < deadline <= closes
    used = CALENDAR.working_time_between(start, deadline)
    # Never less than the shorter day (Friday) per day, never more than a long day's.
    assert days * 7 * H - 30 * M <= used <= days * 7.5 * H


@settings(max_examples=300)
@given(a=moments, b=moments, c=moments)
def test_measuring_a_split_interval_adds_up(a, b, c):
    a, b, c = sorted([a, b, c])
    whole = CALENDAR.working_time_between(a, c)
    assert whole == CALENDAR.working_time_between(a, b) + CALENDAR.working_time_between(b, c)
    assert whole >= datetime.timedelta(0)


@settings(max_examples=200)
@given(moment=moments)
def test_working_time_agrees_with_service_hours(moment):
    hours = CALENDAR.service_hours(moment.date())
    expected = hours is not None and hours[0] <= moment < hours[1]
    assert CALENDAR.is_working_time(moment) is expected


@settings(max_examples=200)
@given(start=moments, duration=positive_durations)
def test_shifting_back_undoes_shifting_forward(start, duration):
    end = CALENDAR.shift_working_time(start, duration)
    back = CALENDAR.shift_working_time(end, -duration)
    assert CALENDAR.working_time_between(back, start) == datetime.timedelta(0)
    assert CALENDAR.working_time_between(back, end) == duration


def test_shifting_back_over_a_weekend_lands_on_friday():
    assert CALENDAR.shift_working_time(at(2026, 11, 30, 9), -2 * H) == at(2026, 11, 27, 14)
