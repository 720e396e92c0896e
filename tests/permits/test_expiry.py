import datetime
import zoneinfo

import pytest
import time_machine

from permits.models import Stage
from permits.tasks import expire_returned_files
from tests.factories import new_file, return_file, walk

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db


def test_a_returned_file_expires_after_14_working_days(office, settings):
    settings.RETURNED_EXPIRY_WORKING_DAYS = 14
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, tzinfo=WIB), tick=False):
        app = return_file(office, walk(office, new_file(office), Stage.VERIFICATION))
    assert app.applicant_deadline == datetime.datetime(2026, 11, 20, 10, tzinfo=WIB)
    with time_machine.travel(datetime.datetime(2026, 11, 20, 9, tzinfo=WIB), tick=False):
        assert expire_returned_files.delay().get() == 0
    with time_machine.travel(datetime.datetime(2026, 11, 20, 11, tzinfo=WIB), tick=False):
        assert expire_returned_files.delay().get() == 1
        assert expire_returned_files.delay().get() == 0  # idempotent
    app.refresh_from_db()
    assert app.state == Stage.EXPIRED
    event = app.events.get(action="application.expired")
    assert event.actor is None and event.actor_role == "system"


def test_a_resubmitted_file_does_not_expire(office):
    app = return_file(office, walk(office, new_file(office), Stage.VERIFICATION))
    app = walk(office, app, Stage.VERIFICATION)
    with time_machine.travel(datetime.datetime(2027, 6, 1, 10, tzinfo=WIB), tick=False):
        assert expire_returned_files.delay().get() == 0
    app.refresh_from_db()
    assert app.state == Stage.VERIFICATION
