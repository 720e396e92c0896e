"""The SOP badge tells the deadline in the office's time, at both ends of the local day,
in Indonesian and in English."""

import datetime

import pytest
from django.utils import translation

from permits.sla import ClockState, ClockStatus
from permits.templatetags.permits_tags import sla_badge

HOUR = datetime.timedelta(hours=1)


def running(deadline):
    return ClockStatus(ClockState.ON_TIME, deadline, 8 * HOUR, HOUR, 7 * HOUR)


@pytest.mark.parametrize(
    ("deadline", "language", "text"),
    [
        # 06.30 WIB on Monday is still Sunday in UTC.
        (
            datetime.datetime(2026, 12, 6, 23, 30, tzinfo=datetime.UTC),
            "id",
            "Sen 7 Des 2026, 06.30",
        ),
        (
            datetime.datetime(2026, 12, 6, 23, 30, tzinfo=datetime.UTC),
            "en",
            "Mon 7 Dec 2026, 06.30",
        ),
        (
            datetime.datetime(2026, 12, 7, 16, 30, tzinfo=datetime.UTC),
            "id",
            "Sen 7 Des 2026, 23.30",
        ),
        (
            datetime.datetime(2026, 12, 7, 16, 30, tzinfo=datetime.UTC),
            "en",
            "Mon 7 Dec 2026, 23.30",
        ),
    ],
)
def test_the_badge_shows_the_deadline_in_local_time(deadline, language, text):
    with translation.override(language):
        badge = str(sla_badge(running(deadline)))
    assert f"{text} · " in badge
    assert "Min 6 Des" not in badge and "Sun 6 Dec" not in badge and "16.30" not in badge
