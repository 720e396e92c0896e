"""The audit workspace reads moments in the office's time: flag explanations, the field
changes and the events' data of a file's story (stored in UTC, shown in WIB)."""

import datetime

import pytest
from django.utils import translation

from integrity.inspection.flags.registry import RULES
from integrity.inspection.selectors.story import file_story
from permits.models import Stage
from permits.services.context import Actor
from permits.services.events import file_event
from tests.factories import new_file, walk

pytestmark = pytest.mark.django_db

SUNDAY_NIGHT_UTC = datetime.datetime(2026, 12, 6, 23, 30, tzinfo=datetime.UTC)  # Mon 06.30 WIB


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("id", "sejak 7 Des 2026, 06.30."),
        ("en", "since 7 Dec 2026, 06.30."),
    ],
)
def test_a_queue_flag_tells_since_when_the_other_file_waited_in_local_time(language, text):
    with translation.override(language):
        explained = str(RULES["QUEUE"].explain({"waiting_since": SUNDAY_NIGHT_UTC.isoformat()}))
    assert explained.endswith(text), explained


@pytest.mark.parametrize(
    ("language", "text"),
    [("id", "Bertindak pada 7 Des 2026, "), ("en", " 7 Dec 2026, ")],
)
def test_an_hours_flag_names_the_day_in_words(language, text):
    with translation.override(language):
        explained = str(RULES["HOURS"].explain({"day": "2026-12-07", "reason": "day_off"}))
    assert text in explained


def test_the_story_shows_event_data_and_field_changes_in_local_time(office):
    app = walk(office, new_file(office), Stage.SUBMITTED)
    file_event(
        application=app,
        action="sla.reminded",
        actor=Actor.system(),
        data={"deadline": SUNDAY_NIGHT_UTC.isoformat()},
    )
    app.held_since = datetime.datetime(2026, 12, 7, 16, 30, tzinfo=datetime.UTC)  # 23.30 WIB
    app.save(update_fields=["held_since"])
    with translation.override("id"):
        entries = file_story(app)
        details = " | ".join(entry.detail for entry in entries)
        changes = [change for entry in entries for change in entry.changes]
    assert "batas waktu SOP 7 Des 2026, 06.30." in details
    assert ("Ditahan sejak", "—", "7 Des 2026, 23.30") in changes
    assert "+00:00" not in details and "16:30" not in details
