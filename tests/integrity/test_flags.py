"""Red-flag rules on files moved through the real services: each rule raises its flag on
the events it depends on (after commit), links its evidence, raises nothing on honest
work, never raises the same evidence twice, and obeys the administrator's settings."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine

from integrity.inspection.flags.engine import flag_raise, flags_for_event, flags_sweep
from integrity.models import Flag, FlagEvidence, RuleSetting, Severity
from permits.models import CheckStatus, Stage
from permits.services.checks import check_update
from permits.services.context import ActionRefused
from permits.services.documents import document_upload
from tests.factories import (
    PDF,
    act,
    decide,
    declared_case,
    fire,
    hold,
    mark_all_ok,
    new_file,
    pdf,
    return_file,
    review,
    submitted,
    walk,
)

pytestmark = pytest.mark.django_db

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
WEDNESDAY_10 = datetime.datetime(2026, 11, 18, 10, 0, tzinfo=JAKARTA)
SATURDAY_10 = datetime.datetime(2026, 11, 21, 10, 0, tzinfo=JAKARTA)


def evaluate_all() -> None:
    """What the after-commit tasks do, for every event so far (tests run in one
    transaction, so on_commit callbacks do not fire by themselves)."""
    from permits.models import ApplicationEvent

    for pk in ApplicationEvent.objects.order_by("pk").values_list("pk", flat=True):
        flags_for_event(pk)


def flags(rule: str):
    return Flag.objects.filter(rule=rule)


def evidence_actions(flag: Flag) -> list[str]:
    return list(flag.evidence.order_by("created_at", "id").values_list("action", flat=True))


@pytest.fixture
def office_hours():
    with time_machine.travel(WEDNESDAY_10, tick=True):
        yield


# --- FLIP ------------------------------------------------------------------------------------


def flipped(office, *, new_document: bool):
    """A file returned for an invalid STR, resubmitted, then STR passed."""
    app = walk(office, new_file(office), Stage.VERIFICATION)
    app = return_file(office, app)
    str_check = app.checks.get(requirement__code="STR")
    if new_document:
        document_upload(
            application=app,
            requirement=str_check.requirement,
            uploaded=pdf(content=PDF + b"% STR baru\n"),  # new content: the same is refused
            actor=act(office.applicant),
        )
    app = fire(app, "resubmit", office.applicant)
    note = "" if new_document else "Asli diperlihatkan di loket."
    check_update(check=str_check, status=CheckStatus.OK, note=note, actor=act(app.assigned_to))
    return app


def test_a_requirement_passed_without_a_new_document_raises_flip(
    office, office_hours, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        app = flipped(office, new_document=False)
    flag = flags("FLIP").get()
    assert flag.application == app
    assert flag.officer == app.assigned_to
    assert flag.severity == Severity.MEDIUM
    assert flag.detail["requirement"] == "STR"
    assert evidence_actions(flag) == ["check.updated", "check.updated"]


def test_completing_the_flipped_file_at_once_makes_the_flag_high(office, office_hours):
    app = flipped(office, new_document=False)
    mark_all_ok(app, app.assigned_to)
    fire(app, "declare_complete", app.assigned_to)
    evaluate_all()
    flag = flags("FLIP").get()
    assert flag.severity == Severity.HIGH
    assert flag.detail["fast_move"] is True
    assert flag.detail["content"] == "no_new_document"
    assert evidence_actions(flag)[-1] == "application.completed"


def test_a_requirement_passed_after_a_new_document_raises_nothing(office, office_hours):
    app = flipped(office, new_document=True)
    mark_all_ok(app, app.assigned_to)
    fire(app, "declare_complete", app.assigned_to)
    evaluate_all()
    assert not flags("FLIP").exists()


# --- HOURS -----------------------------------------------------------------------------------


def test_acting_on_a_saturday_raises_hours_once_per_officer_and_day(office):
    """The technical officer works a file due next week on a Saturday: two acts, one flag."""
    with time_machine.travel(WEDNESDAY_10, tick=True):
        app = walk(office, submitted(office), Stage.TECHNICAL_REVIEW)  # SOP 5 days
    with time_machine.travel(SATURDAY_10, tick=True):
        check = app.checks.first()
        check_update(
            check=check, status=CheckStatus.OK, note="Dicek ulang.", actor=act(app.assigned_to)
        )
        app = fire(app, "finish_review", app.assigned_to)
        evaluate_all()
    flag = flags("HOURS").get()
    assert flag.officer == office.technical
    assert flag.detail == {"day": "2026-11-21", "reason": "day_off"}
    assert flag.evidence.count() >= 2
    assert flag.severity == Severity.LOW


def test_weekend_work_on_a_file_due_the_next_working_day_is_overtime_not_a_flag(office):
    """Counter work on Saturday on a file whose completeness check is due on Monday."""
    friday = datetime.datetime(2026, 11, 20, 11, 0, tzinfo=JAKARTA)
    with time_machine.travel(friday, tick=True):
        app = submitted(office)  # the check is due on Monday
    with time_machine.travel(SATURDAY_10, tick=True):
        app = fire(app, "begin_verification", app.assigned_to)
        mark_all_ok(app, app.assigned_to)
        evaluate_all()
    assert not flags("HOURS").exists()


@pytest.mark.parametrize(
    ("hour", "minute", "flagged"),
    [(15, 45, False), (16, 20, False), (16, 40, True), (19, 30, True), (7, 5, False)],
)
def test_staff_hours_not_service_hours_bound_the_office_day(office, hour, minute, flagged):
    """Staff work 07:30-16:00 (the counter serves 08:00-15:30); 30 minutes' grace either
    side. The file (technical review, SOP 5 days) is not due."""
    with time_machine.travel(WEDNESDAY_10, tick=True):
        app = walk(office, submitted(office), Stage.TECHNICAL_REVIEW)
    moment = WEDNESDAY_10.replace(hour=hour, minute=minute)
    if hour < 10:
        moment += datetime.timedelta(days=1)
    with time_machine.travel(moment, tick=True):
        fire(app, "finish_review", app.assigned_to)
        evaluate_all()
    assert flags("HOURS").exists() is flagged


def test_acting_in_service_hours_raises_no_hours_flag(office, office_hours):
    app = submitted(office)
    walk(office, app, Stage.TECHNICAL_REVIEW)
    evaluate_all()
    assert not flags("HOURS").exists()


def test_the_applicant_acting_at_night_is_not_an_hours_flag(office):
    with time_machine.travel(datetime.datetime(2026, 11, 18, 23, 0, tzinfo=JAKARTA), tick=True):
        submitted(office)
        evaluate_all()
    assert not flags("HOURS").exists()


# --- HELD, COI -------------------------------------------------------------------------------


def test_an_attempt_on_a_held_file_raises_held(office, office_hours):
    app = walk(office, new_file(office), Stage.TECHNICAL_REVIEW)
    hold(office, app)
    app.refresh_from_db()
    with pytest.raises(ActionRefused):
        fire(app, "finish_review", app.assigned_to)
    evaluate_all()
    flag = flags("HELD").get()
    assert flag.officer == app.assigned_to
    assert flag.severity == Severity.HIGH
    assert evidence_actions(flag) == ["integrity.held", "integrity.held_attempt"]
    assert flag.detail == {"action": "finish_review"}


def test_a_confirmed_conflict_raises_coi_and_a_cleared_one_does_not(office, office_hours):
    confirmed = walk(office, new_file(office), Stage.SUBMITTED)
    case = declared_case(confirmed)
    decide(review(case, office.supervisor), office.head)
    cleared = walk(office, new_file(office), Stage.SUBMITTED)
    other = declared_case(cleared)
    decide(
        review(other, office.supervisor, real=False),
        office.head,
        decision="no_conflict",
        measure="",
    )
    evaluate_all()
    flag = flags("COI").get()
    assert flag.application == confirmed
    assert flag.officer == case.officer
    assert evidence_actions(flag) == ["integrity.case_opened", "integrity.case_decided"]


# --- FAST, LATE ------------------------------------------------------------------------------


@pytest.fixture
def one_desk(office):
    """One approving supervisor, one head: every approval and signature is theirs."""
    for user in (office.supervisor2, office.head2):
        user.is_active = False
        user.save(update_fields=["is_active"])
    return office


def fast_track(office, *, waiting_since, other_moves_at=None):
    """File B reaches approval at ``waiting_since`` and waits (approved at
    ``other_moves_at``, if given); file A is submitted and approved at Wednesday 09.00 and
    signed at 09.30. The rules look at 11.00, when every sitting is over."""
    with time_machine.travel(waiting_since, tick=False):
        other = walk(office, new_file(office, office.simple_type), Stage.APPROVAL)
    with time_machine.travel(WEDNESDAY_10 - datetime.timedelta(hours=1), tick=False):
        app = walk(office, new_file(office, office.simple_type), Stage.SIGNING)
    with time_machine.travel(WEDNESDAY_10 - datetime.timedelta(minutes=30), tick=False):
        app = walk(office, app, Stage.ISSUED)
    if other_moves_at is not None:
        with time_machine.travel(other_moves_at, tick=False):
            walk(office, other, Stage.SIGNING)
    with time_machine.travel(WEDNESDAY_10 + datetime.timedelta(hours=1), tick=False):
        evaluate_all()
    return app


def test_a_permit_issued_within_the_hour_ahead_of_a_waiting_file_raises_fast(one_desk):
    office = one_desk
    app = fast_track(office, waiting_since=WEDNESDAY_10 - datetime.timedelta(days=1))
    flag = flags("FAST").get()
    assert flag.application == app
    assert "share" in flag.detail["reasons"] and flag.detail["passed_over"] == 1
    assert evidence_actions(flag) == [
        "application.completed",
        "application.approved",  # ahead of the file waiting for approval
        "application.signed",
    ]


def test_a_permit_issued_within_the_hour_with_nobody_waiting_raises_no_fast(one_desk):
    """A quiet office: nobody was passed over."""
    with time_machine.travel(WEDNESDAY_10 - datetime.timedelta(hours=1), tick=False):
        app = walk(one_desk, new_file(one_desk, one_desk.simple_type), Stage.ISSUED)
    with time_machine.travel(WEDNESDAY_10 + datetime.timedelta(hours=1), tick=False):
        evaluate_all()
    assert app.state == Stage.ISSUED
    assert not flags("FAST").exists()


@pytest.mark.parametrize(("minutes", "flagged"), [(25, False), (35, True)])
def test_fast_sitting_edges(one_desk, minutes, flagged):
    """The waiting file is approved ``minutes`` after the fast one (09.00): within the
    half-hour sitting it was one round, beyond it the fast file went first."""
    fast_track(
        one_desk,
        waiting_since=WEDNESDAY_10 - datetime.timedelta(days=1),
        other_moves_at=WEDNESDAY_10 - datetime.timedelta(minutes=60 - minutes),
    )
    assert flags("FAST").exists() is flagged


@pytest.mark.parametrize(("days", "flagged"), [(25, True), (35, False)])
def test_fast_lookback_edges(one_desk, days, flagged):
    """A file waiting for approval since ``days`` ago is passed over within the 30 days
    looked back; one older than that is not looked for."""
    fast_track(one_desk, waiting_since=WEDNESDAY_10 - datetime.timedelta(days=days))
    assert flags("FAST").exists() is flagged


def test_a_fast_file_inspected_before_one_that_waited_longer_raises_no_fast(one_desk):
    """Field trips are planned by place, not taken in turn (as QUEUE and PRESSURE say): a
    file issued within the hour, inspected while another had waited at the same officer's
    inspection desk since the day before, and approved and signed with nobody waiting
    there, went ahead of nobody. (The inspection desk has no history here, so nothing says
    the report came far sooner than that desk ever writes one: ``test_fast_carried``.)"""
    office = one_desk
    office.technical2.is_active = False
    office.technical2.save(update_fields=["is_active"])
    with time_machine.travel(WEDNESDAY_10 - datetime.timedelta(days=1), tick=False):
        other = walk(office, new_file(office), Stage.INSPECTION)
    with time_machine.travel(WEDNESDAY_10 - datetime.timedelta(hours=1), tick=False):
        app = walk(office, new_file(office), Stage.ISSUED)
    with time_machine.travel(WEDNESDAY_10 + datetime.timedelta(hours=1), tick=False):
        evaluate_all()
    other.refresh_from_db()
    inspected = app.events.get(action="application.inspected")
    assert other.state == Stage.INSPECTION and other.assigned_to_id == inspected.actor_id
    assert app.state == Stage.ISSUED
    assert not flags("FAST").exists()


def test_a_permit_issued_after_its_deadline_raises_late(office):
    with time_machine.travel(WEDNESDAY_10, tick=True):
        app = walk(office, new_file(office, office.simple_type), Stage.APPROVAL)
    with time_machine.travel(WEDNESDAY_10 + datetime.timedelta(days=14), tick=True):
        app = walk(office, app, Stage.ISSUED)
        evaluate_all()
    assert app.finished_late
    flag = flags("LATE").get()
    assert flag.application == app
    assert flag.detail["over_hours"] > 0
    assert not flags("FAST").exists()


def test_the_nightly_sweep_flags_a_running_file_past_its_deadline(office):
    with time_machine.travel(WEDNESDAY_10, tick=True):
        app = walk(office, new_file(office, office.simple_type), Stage.APPROVAL)
    with time_machine.travel(WEDNESDAY_10 + datetime.timedelta(days=14), tick=True):
        flags_sweep()
    flag = flags("LATE").get()
    assert flag.application == app
    assert flag.detail == {"running": True}


# --- the engine ------------------------------------------------------------------------------


def test_the_same_evidence_never_raises_two_flags(office, office_hours):
    app = flipped(office, new_document=False)
    evaluate_all()
    evaluate_all()
    assert flags("FLIP").count() == 1
    assert FlagEvidence.objects.filter(flag__rule="FLIP").count() == 2
    assert flags_sweep(everything=True).raised == 0
    assert app.flags.count() == Flag.objects.filter(application=app).count()


def test_the_sweep_catches_events_whose_task_was_lost(office, office_hours):
    flipped(office, new_document=False)  # no on_commit: as if the broker had lost the task
    assert not Flag.objects.exists()
    run = flags_sweep()
    assert run.raised >= 1
    assert flags("FLIP").exists()
    assert run.events > 0 and run.finished_at is not None


def test_a_rule_switched_off_by_the_administrator_raises_nothing(office, office_hours):
    RuleSetting.objects.create(code="FLIP", enabled=False)
    flipped(office, new_document=False)
    evaluate_all()
    assert not flags("FLIP").exists()


def act_at(office, moment):
    with time_machine.travel(moment, tick=True):
        app = submitted(office)
        fire(app, "begin_verification", app.assigned_to)
        evaluate_all()


def test_the_default_grace_covers_a_few_minutes_after_closing(office):
    act_at(office, datetime.datetime(2026, 11, 18, 15, 50, tzinfo=JAKARTA))  # staff day ends 16.00
    assert not flags("HOURS").exists()


def test_the_administrator_sets_severity_and_parameters(office):
    RuleSetting.objects.create(
        code="HOURS", severity=Severity.HIGH, params={"grace_minutes": 5, "due_hours": 0}
    )
    act_at(office, datetime.datetime(2026, 11, 18, 16, 10, tzinfo=JAKARTA))
    assert flags("HOURS").get().severity == Severity.HIGH


def test_unknown_parameters_in_a_setting_are_ignored(office, office_hours):
    RuleSetting.objects.create(code="FLIP", params={"nonsense": 1})
    flipped(office, new_document=False)
    evaluate_all()
    assert flags("FLIP").exists()


def test_complaints_and_surveys_raise_flags_through_the_hook(office):
    first = flag_raise(
        rule="COMPLAINT", key="A-1", officer=office.counter, detail={"summary": "Meminta uang"}
    )
    again = flag_raise(rule="COMPLAINT", key="A-1", officer=office.counter)
    assert first.pk == again.pk and first.key == "COMPLAINT:A-1"
    assert first.severity == Severity.MEDIUM
    RuleSetting.objects.create(code="SURVEY", enabled=False)
    assert flag_raise(rule="SURVEY", key="R-1") is None


# --- the administrator's form ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"nonsense": 1}, "tidak dikenal"),
        ({"share": "banyak"}, "angka"),
        ({"share": -0.1}, "angka"),
        ({"share": True}, "angka"),
        ([1, 2], "objek JSON"),
    ],
)
def test_the_admin_form_refuses_bad_parameters(params, error):
    import json

    from integrity.admin import RuleSettingForm

    form = RuleSettingForm(
        data={"code": "FAST", "enabled": "on", "severity": "", "params": json.dumps(params)}
    )
    assert not form.is_valid()
    assert error in str(form.errors["params"])


def test_the_admin_form_keeps_good_parameters():
    from integrity.admin import RuleSettingForm

    form = RuleSettingForm(
        data={"code": "FAST", "enabled": "on", "severity": "high", "params": '{"share": 0.2}'}
    )
    assert form.is_valid(), form.errors
    setting = form.save()
    assert setting.params == {"share": 0.2}


def test_the_admin_reaches_the_rule_settings_page(client, office):
    client.force_login(office.admin)
    response = client.get("/admin/integrity/rulesetting/add/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "PRESSURE · Didorong sesudah disentuh atasan atau pihak luar" in page
    assert client.get("/admin/integrity/flag/").status_code == 404
