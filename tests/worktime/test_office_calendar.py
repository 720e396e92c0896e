import datetime
import zoneinfo

import pytest

from worktime.calendar import get_calendar
from worktime.models import DayOverride, ServiceHours

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db


def test_the_default_service_hours_are_installed_by_migration():
    hours = {row.weekday: row for row in ServiceHours.objects.all()}
    assert (hours[0].opens, hours[0].closes) == (datetime.time(8), datetime.time(15, 30))
    assert (hours[4].opens, hours[4].closes) == (datetime.time(8), datetime.time(15))
    assert not hours[5].is_open and not hours[6].is_open


def test_a_local_day_off_stops_the_clock():
    regency_anniversary = datetime.date(2026, 11, 24)
    assert get_calendar().is_working_day(regency_anniversary)
    DayOverride.objects.create(
        date=regency_anniversary, kind=DayOverride.Kind.DAY_OFF, name="Hari Jadi Kabupaten"
    )
    assert not get_calendar().is_working_day(regency_anniversary)


def test_a_removed_national_holiday_becomes_a_working_day():
    cuti_bersama = datetime.date(2026, 12, 24)
    assert not get_calendar().is_working_day(cuti_bersama)
    DayOverride.objects.create(
        date=cuti_bersama, kind=DayOverride.Kind.WORKING_DAY, name="Layanan tetap buka"
    )
    assert get_calendar().is_working_day(cuti_bersama)


def test_edited_service_hours_take_effect():
    friday = ServiceHours.objects.get(weekday=4)
    friday.closes = datetime.time(11, 30)
    friday.save()
    assert not get_calendar().is_working_time(datetime.datetime(2026, 11, 27, 12, tzinfo=WIB))


def test_opening_saturday_makes_it_a_working_day():
    saturday = ServiceHours.objects.get(weekday=5)
    saturday.is_open = True
    saturday.opens, saturday.closes = datetime.time(8), datetime.time(12)
    saturday.save()
    assert get_calendar().is_working_time(datetime.datetime(2026, 11, 28, 9, tzinfo=WIB))


def test_the_calendar_is_read_once_then_costs_no_query(django_assert_num_queries):
    calendar = get_calendar()
    start = datetime.datetime(2026, 1, 5, 9, tzinfo=WIB)
    with django_assert_num_queries(0):
        for day in range(0, 700, 7):
            moment = start + datetime.timedelta(days=day)
            get_calendar().add_working_days(moment, 14)
            calendar.working_time_between(start, moment)


def test_closing_before_opening_is_refused_by_validation():
    from django.core.exceptions import ValidationError

    monday = ServiceHours.objects.get(weekday=0)
    monday.closes = datetime.time(7)
    with pytest.raises(ValidationError):
        monday.full_clean()


def test_an_empty_service_hours_table_falls_back_to_the_usual_hours():
    ServiceHours.objects.all().delete()
    assert get_calendar().is_working_time(datetime.datetime(2026, 11, 23, 9, tzinfo=WIB))
    assert not get_calendar().is_working_time(datetime.datetime(2026, 11, 27, 15, 10, tzinfo=WIB))
