"""SOP reminders: due within a working day → the holder; late → the holder's supervisor."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail

from outbox.backends import LocmemPhoneBackend
from outbox.models import Message
from permits.models import SlaReminder, Stage
from permits.services.reminders import escalation_recipient
from permits.tasks import expire_returned_files, send_sla_reminders
from tests.factories import fire, new_file, return_file, walk

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db


def at(day, hour, minute=0):
    return time_machine.travel(
        datetime.datetime(2026, 11, day, hour, minute, tzinfo=WIB), tick=False
    )


@pytest.fixture
def mailed_office(office):
    for person in vars(office).values():
        if hasattr(person, "username"):
            person.email = f"{person.username}@contoh.go.id"
            person.save()
    return office


@pytest.fixture
def approval_file(mailed_office):
    """A 3-working-day file, complete on Monday 2 November at 10.00: due Thursday 10.00."""
    office = mailed_office
    with at(2, 10):
        app = walk(office, new_file(office, office.simple_type), Stage.APPROVAL)
    assert app.sop_deadline == datetime.datetime(2026, 11, 5, 10, tzinfo=WIB)
    return app


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a task; its after-commit callbacks (outbox delivery) run on return, as they
    would after a real commit."""

    def run_task(task):
        with django_capture_on_commit_callbacks(execute=True):
            return task.delay().get()

    return run_task


def sop(due_soon, late):
    """What the task reports when only SOP reminders are sent."""
    return {
        "due_soon": due_soon,
        "late": late,
        "check_due_soon": 0,
        "check_late": 0,
        "recommendations_late": 0,
    }


def inbox(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_nothing_is_sent_while_the_deadline_is_more_than_a_working_day_away(run, approval_file):
    with at(3, 11):
        assert run(send_sla_reminders) == sop(0, 0)
    assert not SlaReminder.objects.exists()


def test_the_holder_is_told_once_when_the_file_is_due_within_a_working_day(run, approval_file):
    holder = approval_file.assigned_to
    with at(4, 11):
        assert run(send_sla_reminders) == sop(1, 0)
        assert run(send_sla_reminders) == sop(0, 0)
    (message,) = inbox(holder)
    assert message.subject == "1 berkas Anda jatuh tempo dalam satu hari kerja"
    assert approval_file.registration_number in message.body
    event = approval_file.events.get(action="sla.reminded")
    assert event.actor is None and event.data["recipient"] == holder.pk


def test_a_late_file_is_escalated_to_the_holders_supervisor(run, approval_file, mailed_office):
    holder = approval_file.assigned_to
    with at(5, 11):
        assert run(send_sla_reminders) == sop(0, 1)
        assert run(send_sla_reminders) == sop(0, 0)
    (message,) = inbox(holder.supervisor)
    assert holder.supervisor == mailed_office.head
    assert message.subject == "1 berkas tim Anda melewati batas waktu SOP"
    assert holder.display_name in message.body
    assert approval_file.events.filter(action="sla.escalated").count() == 1


def test_one_message_lists_all_of_an_officers_files(run, mailed_office):
    office = mailed_office
    office.supervisor2.is_active = False  # every approval goes to one supervisor
    office.supervisor2.save()
    with at(2, 10):
        first = walk(office, new_file(office, office.simple_type), Stage.APPROVAL)
        second = walk(office, new_file(office, office.simple_type), Stage.APPROVAL)
    with at(4, 11):
        run(send_sla_reminders)
    (message,) = inbox(office.supervisor)
    assert message.subject.startswith("2 berkas")
    assert first.registration_number in message.body
    assert second.registration_number in message.body


def test_no_reminder_outside_working_time(run, approval_file):
    with at(7, 11):  # Saturday
        assert run(send_sla_reminders) == sop(0, 0)
    with at(5, 20):  # Thursday evening
        assert run(send_sla_reminders) == sop(0, 0)
    assert mail.outbox == []


def test_a_paused_file_waits_on_the_applicant_and_gets_no_reminder(run, mailed_office):
    office = mailed_office
    with at(2, 10):
        app = walk(office, new_file(office), Stage.VERIFICATION)
        app = return_file(office, app)
    with at(20, 11):
        assert run(send_sla_reminders) == sop(0, 0)


def test_escalation_without_a_direct_supervisor_goes_to_the_units_supervisor(office):
    office.counter.supervisor = None
    office.counter.save()
    assert escalation_recipient(office.counter) in {office.supervisor, office.supervisor2}


def test_escalation_from_a_supervisor_goes_to_their_head(office):
    assert escalation_recipient(office.supervisor) == office.head


def test_escalation_from_the_head_goes_to_another_head_or_stays(office):
    assert escalation_recipient(office.head) == office.head2
    office.head2.is_active = False
    office.head2.save()
    assert escalation_recipient(office.head) == office.head


def test_the_applicant_is_told_when_a_returned_file_expires(run, mailed_office):
    office = mailed_office
    with at(2, 10):
        app = return_file(office, walk(office, new_file(office), Stage.VERIFICATION))
    with at(30, 11):
        assert run(expire_returned_files) == 1
    (message,) = [m for m in inbox(office.applicant) if "kedaluwarsa" in m.subject]
    assert message.subject == f"Berkas {app.registration_number} kedaluwarsa"
    assert "14 hari kerja" in message.body
    assert Message.objects.get(kind="file.expired").application == app


def test_an_applicant_without_email_is_told_by_sms(run, office, settings):
    settings.OUTBOX_PHONE_BACKEND = "outbox.backends.LocmemPhoneBackend"
    LocmemPhoneBackend.sent.clear()
    office.applicant.phone = "+6281234567890"
    office.applicant.save()
    with at(2, 10):
        return_file(office, walk(office, new_file(office), Stage.VERIFICATION))
    with at(30, 11):
        run(expire_returned_files)
    sent = LocmemPhoneBackend.sent
    expired = [(c, n) for c, n, text in sent if "kedaluwarsa" in text.splitlines()[0]]
    assert expired == [("sms", "+6281234567890")]


# --- the completeness check --------------------------------------------------------------
# Submitted Friday 13 November 14.00 WIB: the check is due Monday 16 November 14.00.


@pytest.fixture
def waiting_file(mailed_office):
    office = mailed_office
    office.counter2.is_active = False
    office.counter2.save()
    with at(13, 14):
        app = walk(office, new_file(office, office.simple_type), Stage.SUBMITTED)
    assert app.assigned_to == office.counter
    return app


def test_the_counter_is_told_once_when_a_check_falls_due_within_two_working_hours(
    run, waiting_file
):
    counter = waiting_file.assigned_to
    with at(16, 11, 59):
        assert run(send_sla_reminders)["check_due_soon"] == 0
    with at(16, 12):
        assert run(send_sla_reminders)["check_due_soon"] == 1
        assert run(send_sla_reminders)["check_due_soon"] == 0
    (message,) = inbox(counter)
    assert message.subject == "1 berkas menunggu pemeriksaan kelengkapan yang segera jatuh tempo"
    name = waiting_file.permit_type.name_id
    assert f"{waiting_file.registration_number} · {name} · batas 16 Nov 2026 14.00" in (
        message.body
    )
    event = waiting_file.events.get(action="sla.check_reminded")
    assert event.data["recipient"] == counter.pk


def test_an_overdue_check_is_told_to_the_counter_once_and_raises_late(run, waiting_file):
    from integrity.inspection.flags.engine import flags_for_event
    from integrity.models import Flag

    counter = waiting_file.assigned_to
    with at(16, 14):
        assert run(send_sla_reminders)["check_late"] == 0
    with at(16, 14, 1):
        assert run(send_sla_reminders)["check_late"] == 1
    with at(17, 9):
        assert run(send_sla_reminders)["check_late"] == 0
    subjects = [m.subject for m in inbox(counter)]
    assert "1 berkas melewati batas pemeriksaan kelengkapan" in subjects
    event = waiting_file.events.get(action="sla.check_overdue")
    flags_for_event(event.pk)
    flag = Flag.objects.get(rule="LATE")
    assert flag.detail["running"] and flag.officer == counter
    assert SlaReminder.objects.filter(application=waiting_file).count() == 2


def test_a_resubmission_earns_new_check_reminders(run, mailed_office):
    office = mailed_office
    with at(2, 9):
        app = walk(office, new_file(office), Stage.VERIFICATION)
    with at(3, 10):  # the check was due Tuesday 3 November 09.00
        assert run(send_sla_reminders)["check_late"] == 1
        app = return_file(office, app)
        app = fire(app, "resubmit", office.applicant)
    with at(4, 10, 1):
        assert run(send_sla_reminders)["check_late"] == 1
    assert app.events.filter(action="sla.check_overdue").count() == 2


def test_a_checked_file_gets_no_check_reminder(run, waiting_file, mailed_office):
    with at(16, 9):
        walk(mailed_office, waiting_file, Stage.APPROVAL)
    with at(16, 15):
        assert run(send_sla_reminders)["check_late"] == 0
