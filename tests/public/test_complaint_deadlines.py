"""SP4N-LAPOR! deadlines on the office's working-time calendar: forwarded within 3 working
days, answered within 5, closed 10 after the answer; each passed deadline escalates once
(running the sweep twice escalates once), and an answer left unanswered closes by itself."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from outbox.models import Message
from public.models import (
    Complaint,
    ComplaintCategory,
    ComplaintEntry,
    ComplaintState,
    ComplaintSubject,
    Route,
)
from public.services.complaints import (
    complaint_answer,
    complaint_forward,
    complaint_message,
    complaint_submit,
    complaints_escalate,
)
from public.tasks import escalate_complaints
from worktime.calendar import get_calendar

pytestmark = pytest.mark.django_db

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
# Monday 7 September 2026, 10.00: no public holiday in the fortnight after it.
MONDAY = datetime.datetime(2026, 9, 7, 10, 0, tzinfo=JAKARTA)
MINUTE = datetime.timedelta(minutes=1)


def complaint_about(office, *, officer=None, category=ComplaintCategory.DELAY, now=MONDAY):
    complaint, _code = complaint_submit(
        subject=ComplaintSubject.OFFICER if officer else ComplaintSubject.UNIT,
        officer=officer,
        unit=None if officer else office.dpmptsp,
        category=category,
        description="Berkas saya tertahan tanpa penjelasan dari petugas.",
        anonymous=True,
        now=now,
    )
    return complaint


def escalations(complaint) -> int:
    return ComplaintEntry.objects.filter(
        complaint=complaint, kind=ComplaintEntry.Kind.ESCALATED
    ).count()


def test_deadlines_are_counted_in_working_days(office):
    complaint = complaint_about(office, officer=office.counter)
    calendar = get_calendar()
    assert complaint.forward_due == calendar.add_working_days(MONDAY, 3)
    # Three working days after a Monday morning is the Thursday, not a calendar 72 hours
    # that would fall the same way only by chance: a Friday's three days end on Wednesday.
    assert complaint.forward_due.astimezone(JAKARTA).date() == datetime.date(2026, 9, 10)
    friday = complaint_about(office, now=MONDAY + datetime.timedelta(days=4))
    assert friday.forward_due.astimezone(JAKARTA).date() == datetime.date(2026, 9, 16)
    forwarded = complaint_forward(complaint=complaint, by=office.supervisor, now=MONDAY)
    assert forwarded.answer_due == calendar.add_working_days(MONDAY, 5)
    answered = complaint_answer(
        complaint=complaint, by=office.supervisor, body="Sudah kami periksa.", now=MONDAY
    )
    assert answered.close_due == calendar.add_working_days(MONDAY, 10)


def test_nothing_escalates_before_the_deadline(office):
    complaint = complaint_about(office, officer=office.counter)
    assert complaints_escalate(now=complaint.forward_due - MINUTE) == {"escalated": 0, "closed": 0}
    assert not complaint.is_overdue(complaint.forward_due - MINUTE)


def test_a_complaint_not_forwarded_in_time_escalates_once(office):
    complaint = complaint_about(office, officer=office.counter)
    Message.objects.all().delete()
    late = complaint.forward_due + MINUTE
    assert complaint.is_overdue(late)
    assert complaints_escalate(now=late) == {"escalated": 1, "closed": 0}
    assert complaints_escalate(now=late + datetime.timedelta(hours=5)) == {
        "escalated": 0,
        "closed": 0,
    }
    complaint.refresh_from_db()
    assert complaint.escalated_for == ComplaintState.RECEIVED
    assert complaint.escalated_to == office.head  # the supervisor's own supervisor
    assert escalations(complaint) == 1
    told = set(
        Message.objects.filter(kind="complaint.escalated").values_list("recipient", flat=True)
    )
    assert told == {office.supervisor.pk, office.auditor.pk, office.head.pk}
    assert office.counter.pk not in told


def test_the_task_runs_the_sweep(office):
    complaint = complaint_about(office, now=datetime.datetime(2020, 1, 6, 10, tzinfo=JAKARTA))
    assert escalate_complaints.delay().get()["escalated"] == 1
    assert escalate_complaints.delay().get()["escalated"] == 0
    complaint.refresh_from_db()
    assert complaint.escalated_for == ComplaintState.RECEIVED


def test_an_answer_overdue_escalates_once_more(office):
    complaint = complaint_about(office, officer=office.counter)
    complaints_escalate(now=complaint.forward_due + MINUTE)
    forwarded_at = complaint.forward_due + datetime.timedelta(hours=1)
    complaint = complaint_forward(complaint=complaint, by=office.supervisor, now=forwarded_at)
    assert complaints_escalate(now=complaint.answer_due - MINUTE)["escalated"] == 0
    assert complaints_escalate(now=complaint.answer_due + MINUTE)["escalated"] == 1
    assert complaints_escalate(now=complaint.answer_due + MINUTE * 90)["escalated"] == 0
    complaint.refresh_from_db()
    assert complaint.escalated_for == ComplaintState.FORWARDED
    assert escalations(complaint) == 2


def test_a_unit_complaint_escalates_to_the_head_of_the_office(office):
    complaint = complaint_about(office)
    complaints_escalate(now=complaint.forward_due + MINUTE)
    complaint.refresh_from_db()
    assert complaint.escalated_to == office.head


def test_the_inspectorates_complaints_escalate_inside_the_inspectorate(office):
    complaint = complaint_about(office, officer=office.counter, category=ComplaintCategory.MONEY)
    assert complaint.route == Route.INSPECTORATE
    Message.objects.all().delete()
    assert complaints_escalate(now=complaint.forward_due + MINUTE)["escalated"] == 1
    complaint.refresh_from_db()
    assert complaint.escalated_to is None
    told = set(
        Message.objects.filter(kind="complaint.escalated").values_list("recipient", flat=True)
    )
    assert told == {office.auditor.pk}


def test_a_handler_is_never_escalated_to_themselves(office):
    # The head of the office handles a complaint about a supervisor he supervises; above him
    # there is nobody in the office, so nobody is named.
    complaint = complaint_about(office, officer=office.supervisor)
    assert complaint.handler == office.head
    complaints_escalate(now=complaint.forward_due + MINUTE)
    complaint.refresh_from_db()
    assert complaint.escalated_for == ComplaintState.RECEIVED
    assert complaint.escalated_to is None


def test_an_answer_left_unanswered_closes_after_ten_working_days(office):
    complaint = complaint_about(office, officer=office.counter)
    complaint = complaint_answer(
        complaint=complaint, by=office.supervisor, body="Petugas sudah dibina.", now=MONDAY
    )
    assert complaints_escalate(now=complaint.close_due - MINUTE)["closed"] == 0
    assert complaints_escalate(now=complaint.close_due + MINUTE)["closed"] == 1
    assert complaints_escalate(now=complaint.close_due + MINUTE * 2)["closed"] == 0
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.CLOSED
    assert "otomatis" in complaint.outcome
    # An answered complaint waits for the complainant: it is never "late" meanwhile.
    assert escalations(complaint) == 0


def test_a_message_after_the_answer_reopens_it_with_a_new_answer_deadline(office):
    complaint = complaint_about(office, officer=office.counter)
    complaint_answer(complaint=complaint, by=office.supervisor, body="Sudah dibina.", now=MONDAY)
    later = MONDAY + datetime.timedelta(days=1)
    complaint_message(complaint=complaint, body="Saya masih dimintai uang kemarin.", now=later)
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.FORWARDED
    assert complaint.close_due is None
    assert complaint.answer_due == get_calendar().add_working_days(later, 5)
    assert complaints_escalate(now=complaint.answer_due + MINUTE) == {"escalated": 1, "closed": 0}
    assert Complaint.objects.get(pk=complaint.pk).state == ComplaintState.FORWARDED
