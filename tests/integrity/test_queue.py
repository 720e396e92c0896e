"""QUEUE on files moved through the real services, at the clock's chosen moments.

A desk's ordinary quickest is learned from its own history (``stage_waits``: each file's
time in the stage as a share of what it is measured by, a working day at the approval
desk, the SOP budget in technical review; the 5th percentile read once what lies three
spreads under the logs' median is set aside), so each test first lays down a history: a
*tight* approval desk (every file approved after 30% of a working day: the 5th percentile
is 0.30, so a file moved on under 0.75 × 0.30 = 22.5% of a day is quick), or a *stepped*
one, whose 5th percentile moves when the percentile does. The
files a test adds (the quick file at the bottom, the passed-over one at the top) leave
those percentiles where they are. The edge tests sit just inside and just outside each
default.
"""

from __future__ import annotations

import datetime
import random

import pytest
import time_machine

from accounts.models import Role
from integrity.conflicts.services.cases import case_open
from integrity.inspection.flags.registry import RULES
from integrity.models import CaseOrigin, Severity
from permits.models import CheckStatus, SopUnit, Stage
from permits.services.applications import application_return
from permits.services.documents import document_upload
from tests.factories import PDF, PermitTypeFactory, RequirementFactory, act, fire, pdf, walk
from tests.integrity.kit import START, Office, days, work

pytestmark = [pytest.mark.django_db, pytest.mark.judged_once]  # see tests/conftest.py

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def desk(office):
    """One approving supervisor and one counter officer."""
    for user in (office.supervisor2, office.counter2):
        user.is_active = False
        user.save(update_fields=["is_active"])
    return Office(office)


def flagged(flags, desk, *keys):
    return [desk.files[key].pk for key in keys] == [flag.application_id for flag in flags]


def stepped(desk, start):
    """Files at 10, 15, 20 and 25% of a working day, then eighteen at 30% and eighteen at
    50%: with a quick file under them and a passed-over one over them, nothing lies three
    spreads under the logs' median (the floor is 0.031), so the 5th percentile is read off
    all 42: 0.152 (fence 0.1141); at the 3.5th it would give a fence of 0.0895 (with the
    quick file at 0.10) or 0.1015 (at 0.125), at the 6.5th 0.1362."""
    return desk.history("s", start, [0.1, 0.15, 0.2, 0.25] + [0.3] * 18 + [0.5] * 18)


# --- ordinary variance ----------------------------------------------------------------


def test_a_supervisor_approving_in_any_order_within_usual_waits_raises_nothing(desk):
    rng = random.Random(17)
    shares = [rng.uniform(2, 4.5) for _ in range(40)]  # 2 to 4.5 working days
    end = desk.history("w", START, shares, every=2)
    desk.play()
    approved = {
        key: app.events.get(action="application.approved").created_at
        for key, app in desk.files.items()
    }
    arrived = {key: app.submitted_at for key, app in desk.files.items()}
    # Files overtaken by one that came in more than a service day later: the first rule
    # (7 hours' tolerance) flagged every one of these.
    overtaken = [
        (a, b)
        for a in desk.files
        for b in desk.files
        if arrived[b] - arrived[a] > 7.5 * HOUR and approved[b] < approved[a]
    ]
    assert len(overtaken) > 10
    assert desk.evaluate(end) == []


def test_a_quick_file_that_passed_nobody_raises_nothing(desk):
    at = days(desk.tight(START), 1)
    desk.arrive("alone", at)
    desk.move("alone", work(at, 0.5))
    assert desk.evaluate(work(at, 2)) == []


# --- a jump -------------------------------------------------------------------------------


def test_a_quick_file_taken_over_one_owed_its_turn_is_flagged(desk):
    at = desk.jump("j", days(desk.tight(START), 1), 0.2)
    flags = desk.evaluate(at)
    assert flagged(flags, desk, "j-b")
    flag = flags[0]
    a, b = desk.files["j-a"], desk.files["j-b"]
    assert flag.officer == desk.office.supervisor
    assert flag.severity == Severity.MEDIUM
    assert flag.detail["passed_over"] == a.pk
    assert flag.detail["baseline"] == "holder" and flag.detail["reasons"] == []
    # The approval desk works in rounds: a stay there is measured in working days (7.5 h).
    assert flag.detail["took_hours"] == 1.5 and flag.detail["usual_hours"] == 2.25
    entered = a.events.get(to_state=Stage.APPROVAL, from_state=Stage.VERIFICATION)
    approved = b.events.get(action="application.approved")
    assert set(flag.evidence.values_list("pk", flat=True)) == {entered.pk, approved.pk}
    words = str(RULES["QUEUE"].explain(flag.detail))
    assert "Diteruskan 1,5 jam sesudah" in words and "biasanya paling cepat 2,2 jam" in words


def test_peer_margin_edges(desk):
    """Fence 0.75 × 0.30 = 0.225 of the budget: 0.21 is under it, 0.24 over it (a margin
    of 0.525 or 0.975 would turn both)."""
    at = desk.jump("under", days(desk.tight(START), 1), 0.21)
    at = desk.jump("over", days(at, 1), 0.24)
    assert flagged(desk.evaluate(at), desk, "under-b")


@pytest.mark.parametrize(("share", "quick"), [(0.10, True), (0.125, False)])
def test_percentile_edges(desk, share, quick):
    """Stepped desk: fence 0.1141 at the 5th percentile; 0.10 is under it (not under the
    3.5th's 0.0895), 0.125 over it (under the 6.5th's 0.1362)."""
    start = days(stepped(desk, START), 1)
    before = 0.6 * desk.budget(start)  # the passed-over file ends over 50%
    at = desk.jump("j", start, share, before=before)
    assert flagged(desk.evaluate(at), desk, *(["j-b"] if quick else []))


def test_the_desks_quickest_is_not_set_by_its_own_jumps(desk):
    """A desk whose officer jumped four files in the last weeks (at 5% of a day): ranked,
    the 5th percentile of 30 shares would be a jump (0.05, fence 0.0375) and the next jump
    at 10% would pass; with what lies far under the logs' median set aside it stays 0.3
    (fence 0.225)."""
    at = days(desk.tight(START), 1)
    for i in range(4):
        at = desk.jump(f"j{i}", days(at, 1), 0.05)
    at = desk.jump("next", days(at, 1), 0.1)
    flags = desk.evaluate(at)
    assert flagged(flags, desk, "j0-b", "j1-b", "j2-b", "j3-b", "next-b")


# --- owed its turn ------------------------------------------------------------------------


def test_a_file_that_came_within_the_sitting_before_is_not_owed_its_turn(desk):
    """Entered 25 minutes before: the same sitting (30); 35 minutes before: owed."""
    at = desk.jump("same", days(desk.tight(START), 1), 0.2, before=25 / 60)
    at = desk.jump("before", days(at, 1), 0.2, before=35 / 60)
    assert flagged(desk.evaluate(at), desk, "before-b")


def test_a_file_moved_on_within_the_sitting_after_was_not_passed_over(desk):
    """Approved 25 minutes after the quick one: the same round; 35 minutes: passed over."""
    at = desk.jump("round", days(desk.tight(START), 1), 0.2, a_after=25 / 60)
    at = desk.jump("later", days(at, 1), 0.2, a_after=35 / 60)
    assert flagged(desk.evaluate(at), desk, "later-b")


def test_a_sitting_is_judged_once_it_is_over(desk):
    at = days(desk.tight(START), 1)
    desk.jump("j", at, 0.2, a_after=5)
    b = work(work(at, 8), 0.2 * desk.budget(work(at, 8)))
    desk.play()
    assert desk.evaluate(b + datetime.timedelta(minutes=20)) == []
    assert flagged(desk.evaluate(b + datetime.timedelta(minutes=40)), desk, "j-b")


def test_a_file_due_later_is_not_owed_its_turn(desk):
    """A ten-day file that came first is due after a three-day file that came later:
    taking the three-day file first is earliest deadline first."""
    office = desk.office
    slow = PermitTypeFactory(code="KES-LAMA", opd=office.dinkes, sop_duration=10, fee=0)
    for position, requirement in enumerate(("KTP", "STR"), start=1):
        RequirementFactory(permit_type=slow, code=requirement, position=position)
    at = desk.jump("later", days(desk.tight(START), 1), 0.2, a_type=slow)
    assert desk.evaluate(at) == []


def test_a_file_of_another_type_due_first_is_owed_its_turn(desk):
    office = desk.office
    quick = PermitTypeFactory(code="KES-CEPAT", opd=office.dinkes, sop_duration=2, fee=0)
    for position, requirement in enumerate(("KTP", "STR"), start=1):
        RequirementFactory(permit_type=quick, code=requirement, position=position)
    at = desk.jump("other", days(desk.tight(START), 1), 0.2, a_type=quick)
    assert flagged(desk.evaluate(at), desk, "other-b")


# --- not judged ---------------------------------------------------------------------------


def test_a_quick_rejection_is_no_jump(desk):
    office = desk.office
    at = days(desk.tight(START), 1)
    desk.arrive("a", at)
    desk.arrive("b", work(at, 8))
    desk.act(
        "b",
        work(at, 8.5),
        lambda app: fire(
            app, "reject", office.supervisor, reason="Bukan wewenang", legal_basis="Perda 1"
        ),
    )
    desk.move("a", work(at, 12))
    desk.play()
    assert desk.files["b"].events.filter(action="application.rejected").exists()
    assert desk.evaluate(work(at, 13)) == []


def test_types_promised_in_hours_are_not_judged(desk):
    desk.permit_type.sop_unit = SopUnit.HOURS
    desk.permit_type.sop_duration = 20
    desk.permit_type.save(update_fields=["sop_unit", "sop_duration"])
    at = desk.jump("j", days(desk.tight(START), 1), 0.2)
    assert desk.evaluate(at) == []


def test_a_walk_in_served_at_the_counter_is_not_judged(desk):
    """At the counter an online file waits; the counter's promise is the completeness
    check (one working day: about 7.5 hours). A walk-in
    begun at once is served while its applicant stands there; an online file begun at
    once jumped the queue."""
    count_ = {"stage": Stage.SUBMITTED, "name": "begin_verification", "budget": 7.5}
    at = days(desk.history("c", START, [0.3] * 20, every=0.5, **count_), 1)
    desk.play()
    at = at.replace(hour=8, minute=0)
    desk.arrive("online-a", at, stage=Stage.SUBMITTED, online=True)
    desk.arrive("walk-in", work(at, 2), stage=Stage.SUBMITTED)
    desk.move("walk-in", work(at, 2.2), "begin_verification")
    desk.arrive("online-b", work(at, 3), stage=Stage.SUBMITTED, online=True)
    desk.move("online-b", work(at, 3.2), "begin_verification")
    desk.move("online-a", work(at, 5), "begin_verification")
    flags = desk.evaluate(work(at, 6))
    assert desk.files["walk-in"].channel == "counter"
    assert desk.files["online-b"].channel == "online"
    assert flagged(flags, desk, "online-b")
    assert flags[0].detail["passed_over"] == desk.files["online-a"].pk


# --- repeated, favoured -------------------------------------------------------------------


def test_the_third_jump_by_one_holder_within_30_days_is_high(desk):
    first = days(desk.tight(START), 1)
    at = first
    for i in range(3):
        at = desk.jump(f"r{i}", first if i == 0 else days(first, 12 * i), 0.2)
    flags = desk.evaluate(at)
    assert flagged(flags, desk, "r0-b", "r1-b", "r2-b")
    assert [flag.severity for flag in flags] == [Severity.MEDIUM, Severity.MEDIUM, Severity.HIGH]
    assert flags[2].detail["reasons"] == ["repeated"] and flags[2].detail["jumps"] == 3


def test_three_jumps_spread_over_35_days_stay_medium(desk):
    first = days(desk.tight(START), 1)
    at = first
    for i in range(3):
        at = desk.jump(f"r{i}", first if i == 0 else days(first, 17 * i + 1), 0.2)
    flags = desk.evaluate(at)
    assert [flag.severity for flag in flags] == [Severity.MEDIUM] * 3


def test_the_same_applicant_benefiting_twice_is_high(desk):
    at = days(desk.tight(START), 1)
    for i in range(2):
        at = desk.jump(f"f{i}", days(at, 1), 0.2, nik="3201019999000001")
    flags = desk.evaluate(at)
    assert [flag.severity for flag in flags] == [Severity.MEDIUM, Severity.HIGH]
    assert flags[1].detail["reasons"] == ["favoured"]
    assert flags[1].detail["favoured"] == ["nik:3201019999000001"]


# --- not waiting on the officer ---------------------------------------------------------


def test_a_file_under_an_integrity_hold_is_not_passed_over(desk):
    office = desk.office
    at = days(desk.tight(START), 1)
    desk.arrive("held", at)
    desk.act(
        "held",
        work(at, 0.5),
        lambda app: case_open(
            application=app,
            officer=office.supervisor,
            actor=act(office.head),
            origin=CaseOrigin.SUPERVISOR,
            note="Diduga berkerabat dengan pemohon.",
        ),
    )
    desk.arrive("b", work(at, 8))
    desk.move("b", work(at, 9))
    desk.play()
    desk.files["held"].refresh_from_db()
    assert desk.files["held"].held_since is not None
    assert desk.evaluate(work(at, 11)) == []


def test_a_file_returned_to_the_applicant_waits_again_from_its_resubmission(desk):
    """At the technical desk: A is returned, B arrives, A comes back after B and waits
    while B is reviewed in half an hour (quick at this tight desk). Counted from A's first
    arrival, B would have jumped it."""
    office = desk.office
    office.technical2.is_active = False
    office.technical2.save(update_fields=["is_active"])
    reviewed = []
    for code in ("KES-TR1", "KES-TR2"):  # the desk's history, then the files under test
        reviewed.append(
            PermitTypeFactory(
                code=code, opd=office.dinkes, sop_duration=10, fee=0, needs_technical_review=True
            )
        )
        for position, requirement in enumerate(("KTP", "STR"), start=1):
            RequirementFactory(permit_type=reviewed[-1], code=requirement, position=position)
    desk.permit_type = reviewed[0]
    review = {"stage": Stage.TECHNICAL_REVIEW, "name": "finish_review"}
    at = days(desk.history("t", START, [0.3] * 20, **review), 1)
    desk.play()
    desk.permit_type = reviewed[1]

    def give_back(app):
        check = app.checks.get(requirement__code="STR")
        application_return(
            application=app,
            actor=act(app.assigned_to),
            findings={check.pk: (CheckStatus.INVALID, "STR sudah habis masa berlakunya.")},
        )

    def resubmit(app):
        document_upload(
            application=app,
            requirement=app.checks.get(requirement__code="STR").requirement,
            uploaded=pdf(content=PDF + b"% STR baru\n"),
            actor=act(office.counter),
        )
        fire(app, "resubmit", office.counter)

    desk.arrive("a", at, stage=Stage.TECHNICAL_REVIEW)
    desk.act("a", work(at, 0.5), give_back)
    desk.arrive("b", work(at, 12.5), stage=Stage.TECHNICAL_REVIEW)
    desk.act("a", work(at, 12.6), resubmit)
    desk.act("a", work(at, 12.7), lambda app: walk(office, app, Stage.TECHNICAL_REVIEW))
    desk.move("b", work(at, 13), "finish_review")
    desk.play()
    desk.files["a"].refresh_from_db()
    assert desk.files["a"].state == Stage.TECHNICAL_REVIEW
    assert desk.evaluate(work(at, 14)) == []


# --- how much history ---------------------------------------------------------------------


def test_twenty_files_are_enough_to_judge(desk):
    at = desk.jump("j", days(desk.tight(START, n=18), 1), 0.2)  # with the jump's two: 20
    assert flagged(desk.evaluate(at), desk, "j-b")


def test_nineteen_files_are_too_few_to_judge(desk):
    at = desk.jump("j", days(desk.tight(START, n=17), 1), 0.2)
    assert desk.evaluate(at) == []


def test_history_from_50_days_ago_counts(desk):
    at = desk.jump("j", days(desk.tight(START), 50), 0.2)
    assert flagged(desk.evaluate(at), desk, "j-b")


def test_history_from_70_days_ago_no_longer_counts(desk):
    at = desk.jump("j", days(desk.tight(START), 70), 0.2)
    assert desk.evaluate(at) == []


def test_a_holder_with_little_history_is_judged_by_the_stage(desk):
    office = desk.office
    end = desk.tight(START)
    desk.play()
    office.supervisor2.is_active = True
    office.supervisor2.save(update_fields=["is_active"])
    office.supervisor.is_active = False
    office.supervisor.save(update_fields=["is_active"])
    at = desk.jump("j", days(end, 1), 0.2)
    flags = desk.evaluate(at)
    assert flagged(flags, desk, "j-b")
    assert flags[0].officer == office.supervisor2
    assert flags[0].detail["baseline"] == "stage"


def test_the_holders_own_quickest_is_used_when_they_have_enough_history(desk):
    """A quick desk beside a tight one: the same 20% approval is quick for the tight
    supervisor and ordinary for the quick one (whose files take 10%)."""
    office = desk.office
    end = desk.tight(START)
    desk.play()
    office.supervisor.is_active, office.supervisor2.is_active = False, True
    for user in (office.supervisor, office.supervisor2):
        user.save(update_fields=["is_active"])
    end = desk.history("q", days(end, 1), [0.1] * 24, every=1)
    at = desk.jump("quick", days(end, 1), 0.2)
    desk.play()
    office.supervisor.is_active, office.supervisor2.is_active = True, False
    for user in (office.supervisor, office.supervisor2):
        user.save(update_fields=["is_active"])
    at = desk.jump("tight", days(at, 1), 0.2)
    flags = desk.evaluate(at)
    assert flagged(flags, desk, "tight-b")
    assert flags[0].detail["baseline"] == "holder"
    assert flags[0].officer.role == Role.SUPERVISOR


# --- the deadline a file had ----------------------------------------------------------------


def test_a_files_deadline_is_read_as_it_stood_at_the_moment(desk):
    """Before its completeness check the file owes the check's deadline; once declared
    complete, its SOP deadline; before it existed, nothing."""
    from integrity.inspection.flags.rules.common import deadlines_at

    at = days(START, 1)
    desk.arrive("a", at, stage=Stage.SUBMITTED, online=True)
    desk.play()
    app = desk.files["a"]
    checked_by = app.check_due_at
    with time_machine.travel(work(at, 1), tick=False):
        app = walk(desk.office, app, Stage.APPROVAL)
    assert app.sop_deadline is not None and app.sop_deadline != checked_by
    assert deadlines_at([app.pk], work(at, 0.5)) == {app.pk: checked_by}
    assert deadlines_at([app.pk], work(at, 2)) == {app.pk: app.sop_deadline}
    assert deadlines_at([app.pk], at - HOUR) == {}
    # At the moment of an act that stops the clock, the deadline it had until then.
    due = app.sop_deadline
    signed_at = work(at, 3)
    with time_machine.travel(signed_at, tick=False):
        app = walk(desk.office, app, Stage.ISSUED)
    assert app.sop_deadline is None
    signed = app.events.get(action="application.signed").created_at
    assert signed == signed_at
    assert deadlines_at([app.pk], signed) == {app.pk: due}


def test_the_inspection_desk_is_not_a_queue(desk):
    """Inspection trips are planned by place: a file visited the day after it arrived,
    while one that came earlier waits for its area's trip, is the route, not a jump (the
    same stays at the approval desk would be one)."""
    office = desk.office
    office.technical2.is_active = False
    office.technical2.save(update_fields=["is_active"])
    desk.permit_type = PermitTypeFactory(
        code="PU-TINJAU", opd=office.dinkes, sop_duration=10, fee=0, needs_inspection=True
    )
    for position, requirement in enumerate(("KTP", "STR"), start=1):
        RequirementFactory(permit_type=desk.permit_type, code=requirement, position=position)
    visit = {"stage": Stage.INSPECTION, "name": "finish_inspection"}
    at = days(desk.history("v", START, [3.0] * 20, **visit), 1)
    desk.arrive("a", at, stage=Stage.INSPECTION)
    desk.arrive("b", work(at, 8), stage=Stage.INSPECTION)
    desk.move("b", work(at, 9), "finish_inspection")  # an hour: far under three days
    desk.move("a", work(at, 20), "finish_inspection")
    desk.play()
    assert desk.files["b"].events.filter(action="application.inspected").exists()
    assert desk.evaluate(work(at, 21)) == []
