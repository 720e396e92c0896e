"""LATE covers the completeness check: a check ended after its deadline (a working day from
the submission or resubmission by default) raises it once per submission, the deadline itself
being on time; a check still open past it is found by the nightly sweep."""

import datetime
import zoneinfo

import pytest
import time_machine

from integrity.inspection.flags.engine import flags_for_event, flags_sweep
from integrity.models import Flag
from permits.models import ApplicationEvent, Stage
from permits.services.documents import document_upload
from tests.factories import PDF, act, fire, mark_all_ok, new_file, pdf, return_file, walk

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
pytestmark = [pytest.mark.django_db, pytest.mark.judged_once]  # see tests/conftest.py
# Submitted Friday 13 November 2026 14.00 WIB: the check is due Monday 16 November 14.00.
SUBMITTED = datetime.datetime(2026, 11, 13, 14, tzinfo=WIB)
DUE = datetime.datetime(2026, 11, 16, 14, tzinfo=WIB)
MINUTE = datetime.timedelta(minutes=1)


def evaluate_all() -> None:
    for pk in ApplicationEvent.objects.order_by("pk").values_list("pk", flat=True):
        flags_for_event(pk)


def late_checks():
    return Flag.objects.filter(rule="LATE", key__startswith="LATE:check:")


def evidence(flag):
    return list(flag.evidence.order_by("created_at", "id").values_list("action", flat=True))


@pytest.fixture
def waiting(office):
    with time_machine.travel(SUBMITTED, tick=False):
        return walk(office, new_file(office, office.simple_type), Stage.VERIFICATION)


def resubmit(office, app, moment):
    """The applicant uploads a new STR (the one found invalid) and resubmits."""
    with time_machine.travel(moment, tick=False):
        requirement = app.checks.get(requirement__code="STR").requirement
        document_upload(
            application=app,
            requirement=requirement,
            uploaded=pdf(content=PDF + b"% STR baru\n"),
            actor=act(office.applicant),
        )
        return fire(app, "resubmit", office.applicant)


def complete(app, moment):
    with time_machine.travel(moment, tick=False):
        mark_all_ok(app, app.assigned_to)
        return fire(app, "declare_complete", app.assigned_to)


def test_a_check_completed_at_its_deadline_is_on_time(waiting):
    complete(waiting, DUE)
    evaluate_all()
    assert not Flag.objects.filter(rule="LATE").exists()


def test_a_check_completed_a_minute_after_its_deadline_raises_late(waiting):
    officer = waiting.assigned_to
    complete(waiting, DUE + MINUTE)
    evaluate_all()
    flag = late_checks().get()
    assert flag.application == waiting
    assert flag.officer == officer
    assert flag.detail == {"check": True, "due": DUE.isoformat(), "over_hours": 0.02}
    assert evidence(flag) == ["application.submitted", "application.completed"]
    evaluate_all()  # the same evidence never raises twice
    assert late_checks().count() == 1


def test_a_late_return_raises_late_and_the_resubmission_gets_its_own_deadline(office, waiting):
    with time_machine.travel(DUE + datetime.timedelta(hours=1), tick=False):
        app = return_file(office, waiting)
    app = resubmit(office, app, datetime.datetime(2026, 11, 17, 9, tzinfo=WIB))
    # Due Wednesday 18 November 09.00: completed at that very minute, on time.
    complete(app, datetime.datetime(2026, 11, 18, 9, tzinfo=WIB))
    evaluate_all()
    flag = late_checks().get()
    assert evidence(flag) == ["application.submitted", "application.returned"]
    assert flag.detail["over_hours"] == 1.0


def test_a_late_resubmitted_check_raises_a_second_flag(office, waiting):
    with time_machine.travel(DUE + datetime.timedelta(hours=1), tick=False):
        app = return_file(office, waiting)
    app = resubmit(office, app, datetime.datetime(2026, 11, 17, 9, tzinfo=WIB))
    complete(app, datetime.datetime(2026, 11, 18, 9, 1, tzinfo=WIB))
    evaluate_all()
    flags = late_checks().order_by("occurred_at")
    assert [evidence(f)[0] for f in flags] == ["application.submitted", "application.resubmitted"]


def test_a_check_rejected_late_raises_late(waiting):
    with time_machine.travel(DUE + MINUTE, tick=False):
        fire(waiting, "reject", waiting.assigned_to, reason="Bukan wewenang", legal_basis="Perda 1")
    evaluate_all()
    assert evidence(late_checks().get()) == ["application.submitted", "application.rejected"]


def test_the_sweep_flags_a_file_still_waiting_past_its_check_once(waiting):
    with time_machine.travel(DUE, tick=False):
        flags_sweep(everything=True)
    assert not late_checks().exists()
    with time_machine.travel(DUE + MINUTE, tick=False):
        flags_sweep(everything=True)
        flags_sweep(everything=True)
    flag = late_checks().get()
    assert flag.detail == {"check": True, "due": DUE.isoformat(), "running": True}
    assert flag.officer == waiting.assigned_to
    # Completed later: the same check, the same flag.
    complete(waiting, DUE + datetime.timedelta(hours=2))
    evaluate_all()
    assert late_checks().count() == 1


def test_a_late_check_does_not_hide_a_late_sop_from_the_sweep(office, waiting):
    app = complete(waiting, DUE + MINUTE)  # the SOP clock starts: 3 working days
    evaluate_all()
    with time_machine.travel(DUE + datetime.timedelta(days=14), tick=False):
        flags_sweep()
    keys = set(Flag.objects.filter(rule="LATE").values_list("key", flat=True))
    assert f"LATE:{app.pk}" in keys and len(keys) == 2
