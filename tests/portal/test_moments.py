"""One way to show a moment: local time (WIB), Indonesian words, English when chosen; the
same text Django's ``date`` filter gives in a template, at the day boundaries too."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from core.moments import (
    DAY,
    LONG,
    MONTH,
    SECONDS,
    SHORT,
    TIME,
    WEEKDAY,
    moment_iso,
    moment_parse,
    moment_text,
)

UTC = datetime.UTC
# 06.30 WIB on Monday 7 December 2026 is still Sunday 6 December in UTC.
MORNING = datetime.datetime(2026, 12, 6, 23, 30, 5, tzinfo=UTC)
# 23.30 WIB on Monday 7 December 2026 is 16.30 UTC, the same day.
NIGHT = datetime.datetime(2026, 12, 7, 16, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "form", "moment", "text"),
    [
        ("id", SHORT, MORNING, "7 Des 2026, 06.30"),
        ("id", WEEKDAY, MORNING, "Sen 7 Des 2026, 06.30"),
        ("id", LONG, MORNING, "Senin, 7 Desember 2026, 06.30"),
        ("id", SECONDS, MORNING, "7 Des 2026, 06.30.05"),
        ("id", DAY, MORNING, "7 Des 2026"),
        ("id", TIME, MORNING, "06.30"),
        ("id", SHORT, NIGHT, "7 Des 2026, 23.30"),
        ("id", WEEKDAY, NIGHT, "Sen 7 Des 2026, 23.30"),
        ("en", SHORT, MORNING, "7 Dec 2026, 06.30"),
        ("en", WEEKDAY, MORNING, "Mon 7 Dec 2026, 06.30"),
        ("en", LONG, NIGHT, "Monday, 7 December 2026, 23.30"),
        ("en", DAY, NIGHT, "7 Dec 2026"),
    ],
)
def test_a_moment_reads_in_local_time_at_both_day_boundaries(language, form, moment, text):
    with translation.override(language):
        assert moment_text(moment, form) == text


def test_a_date_reads_as_a_day():
    with translation.override("id"):
        assert moment_text(datetime.date(2026, 12, 7)) == "7 Des 2026"
        assert moment_text(datetime.date(2026, 12, 7), LONG) == "Senin, 7 Desember 2026"
        assert moment_text(datetime.date(2026, 12, 1), MONTH) == "Desember 2026"
        # 1 December 00.30 WIB is still November in UTC.
        assert moment_text(datetime.datetime(2026, 11, 30, 17, 30, tzinfo=UTC), MONTH) == (
            "Desember 2026"
        )
    with translation.override("en"):
        assert moment_text(datetime.date(2026, 12, 1), MONTH) == "December 2026"
    assert moment_text(None) == ""


def test_the_iso_form_carries_the_local_offset():
    assert moment_iso(MORNING) == "2026-12-07T06:30:05+07:00"
    assert moment_parse("2026-12-06T23:30:05+00:00") == MORNING
    assert moment_parse("2026-12-06 23:30") is None  # naive: not a moment
    assert moment_parse("STR") is None


FORMS = {SHORT: "j M Y, H.i", WEEKDAY: "D j M Y, H.i", LONG: "l, j F Y, H.i", DAY: "j M Y"}


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_month_and_weekday_reads_as_the_templates_date_filter(language):
    moments = [
        datetime.datetime(2026, month, 1 + month, hour, 30, tzinfo=UTC)
        for month in range(1, 13)
        for hour in (0, 16, 17, 23)
    ]
    with translation.override(language):
        for form, pattern in FORMS.items():
            template = Template("{{ m|date:'" + pattern + "' }}")
            for moment in moments:
                assert moment_text(moment, form) == template.render(Context({"m": moment}))
