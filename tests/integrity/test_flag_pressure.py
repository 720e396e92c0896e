"""PRESSURE: a superior (or an outsider) opens a file or writes in it, and within the hour
its officer pushes it through ahead of files that waited longer in their hands. Files,
views and messages go through the real services."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine

from accounts.models import Role
from integrity.inspection.flags.registry import RULES
from integrity.models import RuleSetting, Severity
from permits.models import Stage
from permits.services.applications import application_reassign
from permits.services.checks import check_update
from permits.services.file_messages import file_message_post
from permits.services.views_log import file_view_record
from tests.factories import OPDFactory, act, fire, mark_all_ok, new_file, walk
from tests.integrity.kit import evaluate_all, rule_flags

pytestmark = [pytest.mark.django_db, pytest.mark.judged_once]  # see tests/conftest.py

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
WEDNESDAY_8 = datetime.datetime(2026, 11, 18, 8, 0, tzinfo=JAKARTA)


def at(minutes: float):
    return time_machine.travel(WEDNESDAY_8 + datetime.timedelta(minutes=minutes), tick=False)


def queue_of(office, count: int, stage: str = Stage.SUBMITTED, holder=None) -> list:
    """``count`` files brought to ``stage`` ten minutes apart from 08.00, all in the hands of
    ``holder`` (the counter's unless said)."""
    holder = holder or office.counter
    files = []
    for i in range(count):
        with at(10 * i):
            app = walk(office, new_file(office), stage)
            if app.assigned_to != holder:
                app = application_reassign(
                    application=app,
                    officer=holder,
                    actor=act(office.supervisor),
                    reason="Pemerataan beban.",
                )
            files.append(app)
    return files


def view(app, user, minutes):
    with at(minutes):
        file_view_record(application=app, actor=act(user))


def push(app, minutes):
    """The counter takes the file, passes every requirement and declares it complete."""
    with at(minutes):
        app.refresh_from_db()
        app = fire(app, "begin_verification", app.assigned_to)
        mark_all_ok(app, app.assigned_to)
        return fire(app, "declare_complete", app.assigned_to)


def ahead_of_its_place(office, hours: float, waits: dict) -> bool:
    """PRESSURE's judgement of a review finished ``hours`` of working time after a file
    entered technical review, against the desk's waits ``waits`` (``stage_waits``' shape,
    ``"type"`` keyed by the file's permit type as ``None``)."""
    from types import SimpleNamespace

    from integrity.inspection.flags.engine import Context
    from worktime.calendar import get_calendar

    with at(0):
        app = walk(office, new_file(office), Stage.TECHNICAL_REVIEW)
    entered = app.events.filter(to_state=Stage.TECHNICAL_REVIEW).latest("created_at")
    event = SimpleNamespace(
        action="application.reviewed",
        from_state=Stage.TECHNICAL_REVIEW,
        actor_id=app.assigned_to_id,
        application_id=app.pk,
        application=app,
        created_at=get_calendar().add_working_time(
            entered.created_at, datetime.timedelta(hours=hours)
        ),
    )
    params = dict(RULES["PRESSURE"].params)
    context = Context.load()
    holder = str(app.assigned_to_id)
    context.memo[("stage-waits", Stage.TECHNICAL_REVIEW, params["window_days"])] = {
        "all": waits["all"],
        "by": {holder: waits["by"]} if waits.get("by") else {},
        "type": {str(app.permit_type_id): waits["type"]},
        "share": {
            "all": waits["share_all"],
            "by": {holder: waits["share_by"]} if waits.get("share_by") else {},
        },
    }
    return RULES["PRESSURE"]._ahead_of_its_place(event, params, context)


def test_a_supervisors_look_then_the_file_pushed_ahead_raises_pressure(office):
    first, _second, last = queue_of(office, 3)
    view(last, office.supervisor, 120)
    push(last, 150)
    evaluate_all()
    flag = rule_flags("PRESSURE").get()
    assert flag.application == last
    assert flag.officer == office.counter
    assert flag.severity == Severity.MEDIUM
    assert flag.detail["contact"] == "view"
    assert flag.detail["by"] == office.supervisor.pk
    assert flag.detail["waiting"] == 2
    assert flag.detail["passed_over"] == first.pk
    actions = list(flag.evidence.order_by("seq").values_list("action", flat=True))
    # The first waiting file's entry, then every push inside the hour (one flag per look).
    assert actions == [
        "application.submitted",
        "application.verification_started",
        "application.completed",
    ]
    assert "Atasan langsung membuka berkas" in str(RULES["PRESSURE"].explain(flag.detail))


def test_looks_again_and_acts_inside_the_hour_make_one_flag(office):
    *_older, last = queue_of(office, 3)
    view(last, office.supervisor, 120)
    view(last, office.supervisor, 140)
    with at(150):
        last = fire(last, "begin_verification", last.assigned_to)
    view(last, office.supervisor, 160)
    with at(170):
        mark_all_ok(last, last.assigned_to)
        fire(last, "declare_complete", last.assigned_to)
    evaluate_all()
    assert rule_flags("PRESSURE").count() == 1


def test_a_verdict_turned_to_ok_after_the_look_raises_pressure(office):
    *_older, last = queue_of(office, 2)
    with at(100):
        last = fire(last, "begin_verification", last.assigned_to)
        check = last.checks.get(requirement__code="STR")
        check_update(check=check, status="invalid", note="STR buram.", actor=act(office.counter))
    view(last, office.supervisor, 120)
    with at(130):
        check.refresh_from_db()
        check_update(check=check, status="ok", note="Sudah jelas.", actor=act(office.counter))
    evaluate_all()
    flag = rule_flags("PRESSURE").get()
    assert flag.evidence.order_by("-seq").first().action == "check.updated"
    assert flag.detail["stage"] == Stage.VERIFICATION


def test_the_same_push_two_hours_after_the_look_raises_nothing(office):
    *_older, last = queue_of(office, 3)
    view(last, office.supervisor, 120)
    push(last, 240)
    evaluate_all()
    assert not rule_flags("PRESSURE").exists()


@pytest.mark.parametrize(("minutes_after", "raised"), [(59, True), (61, False)])
def test_within_minutes_is_the_edge(office, minutes_after, raised):
    *_older, last = queue_of(office, 2)
    view(last, office.supervisor, 120)
    push(last, 120 + minutes_after)
    evaluate_all()
    assert rule_flags("PRESSURE").exists() is raised


def test_the_first_file_in_the_queue_raises_nothing(office):
    first, *_later = queue_of(office, 3)
    view(first, office.supervisor, 120)
    push(first, 150)
    evaluate_all()
    assert not rule_flags("PRESSURE").exists()


@pytest.mark.parametrize(("min_waiting", "raised"), [(2, True), (3, False)])
def test_min_waiting_is_the_edge(office, min_waiting, raised):
    RuleSetting.objects.create(code="PRESSURE", params={"min_waiting": min_waiting})
    *_older, last = queue_of(office, 3)  # two wait longer
    view(last, office.head, 120)
    push(last, 150)
    evaluate_all()
    assert rule_flags("PRESSURE").exists() is raised


@pytest.mark.parametrize(("online", "raised"), [(True, True), (False, False)])
def test_a_walk_in_served_at_the_desk_after_a_look_raises_nothing(office, online, raised):
    """A walk-in applicant stands at the counter and is served while online files wait,
    by design (as QUEUE and FAST): first is its place in the queue. The same look and
    push on an online file that came after the waiting one is pressure."""
    (_first,) = queue_of(office, 1)
    with at(20):
        last = walk(office, new_file(office, online=online), Stage.SUBMITTED)
        if last.assigned_to != office.counter:
            last = application_reassign(
                application=last,
                officer=office.counter,
                actor=act(office.supervisor),
                reason="Pemerataan beban.",
            )
    view(last, office.supervisor, 120)
    push(last, 150)
    evaluate_all()
    assert rule_flags("PRESSURE").exists() is raised


def test_a_counter_colleagues_look_raises_nothing(office):
    *_older, last = queue_of(office, 3)
    view(last, office.counter2, 120)
    push(last, 150)
    evaluate_all()
    assert not rule_flags("PRESSURE").exists()


def test_the_heads_message_then_the_push_raises_pressure(office):
    *_older, last = queue_of(office, 2)
    with at(120):
        file_message_post(application=last, actor=act(office.head), body="Tolong segera.")
    push(last, 130)
    evaluate_all()
    flag = rule_flags("PRESSURE").get()
    assert flag.detail["contact"] == "message"
    assert flag.detail["by_role"] == Role.HEAD
    message = last.events.get(action="message.posted")
    assert flag.evidence.filter(pk=message.pk).exists()


def test_an_outsiders_look_counts_and_the_applicants_message_does_not(office, make_user):
    *_older, last = queue_of(office, 2)
    with at(110):
        file_message_post(application=last, actor=act(office.applicant), body="Kapan selesai?")
    push(last, 115)
    evaluate_all()
    assert not rule_flags("PRESSURE").exists()

    *_more, other = queue_of(office, 2)
    outsider = make_user(Role.TECHNICAL, username="dinas.lain", unit=OPDFactory(code="DISHUB"))
    view(other, outsider, 120)
    push(other, 130)
    evaluate_all()
    assert rule_flags("PRESSURE").get().detail["by"] == outsider.pk


def test_the_administrator_switches_pressure_off(office):
    RuleSetting.objects.create(code="PRESSURE", enabled=False)
    *_older, last = queue_of(office, 3)
    view(last, office.supervisor, 120)
    push(last, 150)
    evaluate_all()
    assert not rule_flags("PRESSURE").exists()


def test_the_admin_form_takes_pressure_parameters():
    from integrity.admin import RuleSettingForm

    form = RuleSettingForm(
        data={
            "code": "PRESSURE",
            "enabled": "on",
            "severity": "high",
            "params": '{"within_minutes": 30, "min_waiting": 2}',
        }
    )
    assert form.is_valid(), form.errors
    assert ("PRESSURE", "PRESSURE · Didorong sesudah disentuh atasan atau pihak luar") in (
        form.fields["code"].choices
    )


@pytest.mark.parametrize(("hours", "ahead"), [(6.0, True), (8.0, False)])
def test_a_stage_finished_sooner_than_its_type_usually_waits_is_ahead_of_its_place(
    office, hours, ahead
):
    """Files of this type usually waited 7 working hours in technical review (the median of
    20 waits, ``baselines.stage_waits``): finishing the review after 6 hours is ahead of
    its place in the queue, after 8 it is not (and raises no PRESSURE flag)."""
    waits = {"all": [30.0] * 20, "type": [7.0] * 20, "share_all": []}
    assert ahead_of_its_place(office, hours, waits) is ahead


@pytest.mark.parametrize(("working_minutes", "raised"), [(59, True), (61, False)])
def test_the_hour_is_the_offices_a_late_look_and_a_push_next_morning(
    office, working_minutes, raised
):
    """The window is working time: a look at 15.45 and the push first thing the next
    morning are minutes apart at the office, though a night lies between."""
    from worktime.calendar import get_calendar

    *_older, last = queue_of(office, 2)
    look = datetime.datetime(2026, 11, 18, 15, 45, tzinfo=JAKARTA)
    with time_machine.travel(look, tick=False):
        file_view_record(application=last, actor=act(office.supervisor))
    pushed = get_calendar().add_working_time(look, datetime.timedelta(minutes=working_minutes))
    assert pushed.astimezone(JAKARTA).date() == datetime.date(2026, 11, 19)
    with time_machine.travel(pushed, tick=False):
        last.refresh_from_db()
        last = fire(last, "begin_verification", last.assigned_to)
    evaluate_all()
    assert rule_flags("PRESSURE").exists() is raised


def test_an_inspection_finished_after_a_look_raises_nothing(office):
    """Field trips are planned by place, not taken in turn: a visit made before that of a
    file that waited longer is the route (as QUEUE). A review pushed the same way is
    pressure (``test_a_supervisors_look_then_the_file_pushed_ahead_raises_pressure``)."""
    _first, last = queue_of(office, 2, Stage.INSPECTION, holder=office.technical)
    view(last, office.supervisor, 120)
    with at(130):
        last.refresh_from_db()
        fire(last, "finish_inspection", office.technical)
    evaluate_all()
    assert not rule_flags("PRESSURE").exists()


@pytest.mark.parametrize(("hours", "ahead"), [(10.0, True), (12.5, False)])
def test_without_enough_files_of_its_type_the_desks_share_of_the_promise_is_the_measure(
    office, hours, ahead
):
    """Too few files of this type to know its usual wait: the holder's files spent a median
    30% of their promise in technical review, so this five-day file (a budget of about 37
    hours) is ahead of its place under about 11 hours. The holder's own files come before
    the stage's (50%: about 18.5 hours). Not judged in hours by the holder's median (2 hours here:
    a desk that mostly sees quick types), under which no five-day review is ever ahead."""
    waits = {
        "all": [2.0] * 40,
        "by": [2.0] * 40,
        "type": [7.0] * 19,
        "share_all": [0.5] * 40,
        "share_by": [0.2] * 10 + [0.3] * 10 + [0.4] * 10,
    }
    assert ahead_of_its_place(office, hours, waits) is ahead


def test_a_late_file_chased_and_done_first_raises_nothing(office):
    """The files' completeness check was due Thursday 18 November's next working day; on
    Friday the supervisor chases the late one and the counter begins it before an older
    one: the supervisor doing her job. The same look and push while it was still due is
    pressure (``test_a_supervisors_look_then_the_file_pushed_ahead_raises_pressure``)."""
    office.full_type.check_duration = 1
    office.full_type.save()
    *_older, last = queue_of(office, 2)
    last.refresh_from_db()
    friday_9 = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=JAKARTA)
    assert last.check_due_at < friday_9
    with time_machine.travel(friday_9, tick=False):
        file_view_record(application=last, actor=act(office.supervisor))
    with time_machine.travel(friday_9 + datetime.timedelta(minutes=10), tick=False):
        last.refresh_from_db()
        fire(last, "begin_verification", last.assigned_to)
    evaluate_all()
    assert not rule_flags("PRESSURE").exists()
