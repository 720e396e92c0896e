"""The SOP clock on real 2026 dates: weekends, Nyepi, Idulfitri with cuti bersama, Good Friday."""

import datetime
import zoneinfo

import pytest
import time_machine

from permits.models import CheckStatus, Stage
from permits.services.applications import application_return
from permits.services.documents import document_upload
from permits.sla import ClockState
from tests.factories import PDF, act, fire, mark_all_ok, new_file, pay, pdf, walk

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
H = datetime.timedelta(hours=1)
pytestmark = pytest.mark.django_db


def at(*args):
    return datetime.datetime(*args, tzinfo=WIB)


def test_the_clock_starts_only_when_the_file_is_declared_complete(office):
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        app = walk(office, new_file(office, office.simple_type), Stage.VERIFICATION)
        assert app.clock.state == ClockState.NOT_STARTED
        assert app.sop_deadline is None


def test_a_deadline_over_a_weekend_turns_due_soon_then_late(office):
    app = new_file(office, office.simple_type)  # SOP: 3 working days
    with time_machine.travel(at(2026, 11, 26, 10), tick=False):  # Thursday
        app = walk(office, app, Stage.APPROVAL)
        assert app.clock_started_at == at(2026, 11, 26, 10)
        assert app.sop_deadline == at(2026, 12, 1, 10)  # Tuesday
        assert app.clock.state == ClockState.ON_TIME
    with time_machine.travel(at(2026, 11, 30, 10), tick=False):
        app.refresh_from_db()
        assert app.clock.state == ClockState.DUE_SOON
        assert app.clock.remaining == 7.5 * H
    with time_machine.travel(at(2026, 12, 1, 11), tick=False):
        status = app.clock
        assert status.state == ClockState.LATE
        assert status.remaining == -1 * H


def test_awaiting_payment_pauses_the_clock_across_cuti_bersama_and_good_friday(office):
    app = new_file(office, office.full_type)  # SOP 5 working days, with review, inspection, fee
    with time_machine.travel(at(2026, 3, 16, 9), tick=False):
        app = walk(office, app, Stage.TECHNICAL_REVIEW)
        # 16, 17, 25, 26, 27 and 30 March: Nyepi and Idulfitri (18–24 March) do not count.
        assert app.sop_deadline == at(2026, 3, 30, 9)
        assert app.sop_budget == 37 * H
    with time_machine.travel(at(2026, 3, 17, 10), tick=False):
        app = fire(app, "finish_review", app.assigned_to)
    with time_machine.travel(at(2026, 3, 25, 9), tick=False):
        app = fire(app, "finish_inspection", app.assigned_to)
        assert app.state == Stage.AWAITING_PAYMENT
        assert app.work_used == 15 * H
        assert app.sop_deadline is None
        assert app.clock.state == ClockState.PAUSED
    with time_machine.travel(at(2026, 3, 31, 14), tick=False):
        assert app.clock.used == 15 * H  # a paused clock stands still
    with time_machine.travel(at(2026, 4, 1, 10), tick=False):
        app = pay(office, app).application
        # 22 h left: 1 April 5.5 h, 2 April 7.5 h, Good Friday off, 6 April 7.5 h, 7 April 1.5 h.
        assert app.sop_deadline == at(2026, 4, 7, 9, 30)
        assert app.clock.state == ClockState.ON_TIME


def test_a_return_after_completion_pauses_the_clock_and_never_resets_it(office):
    app = new_file(office, office.full_type)
    with time_machine.travel(at(2026, 11, 23, 8), tick=False):  # Monday
        app = walk(office, app, Stage.TECHNICAL_REVIEW)
        budget = app.sop_budget
    with time_machine.travel(at(2026, 11, 24, 8), tick=False):  # one working day later
        check = app.checks.get(requirement__code="STR")
        app = application_return(
            application=app,
            actor=act(app.assigned_to),
            findings={check.pk: (CheckStatus.INVALID, "STR kedaluwarsa.")},
        )
        assert app.work_used == 7.5 * H
        assert app.clock.state == ClockState.PAUSED
    with time_machine.travel(at(2026, 11, 30, 9), tick=False):  # a week later
        document_upload(
            application=app,
            requirement=check.requirement,
            uploaded=pdf(content=PDF + b"% STR baru\n"),  # new content: the same is refused
            actor=act(office.applicant),
        )
        app = fire(app, "resubmit", office.applicant)
        assert app.clock.state == ClockState.PAUSED  # still with the counter, not yet complete
        mark_all_ok(app, app.assigned_to)
        app = fire(app, "declare_complete", app.assigned_to)
        assert app.sop_budget == budget  # not restarted
        assert app.clock.used == 7.5 * H
        assert app.clock.remaining == budget - 7.5 * H


def test_a_file_finished_after_its_deadline_is_recorded_as_late(office):
    app = new_file(office, office.simple_type)
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        app = walk(office, app, Stage.SIGNING)
    with time_machine.travel(at(2026, 12, 2, 9), tick=False):
        app = walk(office, app, Stage.ISSUED)
        assert app.finished_late is True
        assert app.clock.state == ClockState.DONE_LATE


def test_a_file_finished_in_time_is_recorded_as_on_time(office):
    app = new_file(office, office.simple_type)
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        app = walk(office, app, Stage.ISSUED)
        assert app.finished_late is False
        assert app.clock.state == ClockState.DONE_ON_TIME


def test_an_sop_in_working_hours_counts_hours(office):
    office.simple_type.sop_unit = "hours"
    office.simple_type.sop_duration = 4
    office.simple_type.save()
    with time_machine.travel(at(2026, 11, 27, 13), tick=False):  # Friday, closes at 15:00
        app = walk(office, new_file(office, office.simple_type), Stage.APPROVAL)
        assert app.sop_deadline == at(2026, 11, 30, 10)
