"""QUEUE on files moved through the real services, at the clock's chosen moments.

A desk's usual spread of waits is learned from its own history (``stage_waits``), so each
test first lays down a history: a *tight* approval desk (every file approved 7 working
hours after it arrived: MAD 0, so the floor ``min_mad_hours`` = 1.25 h holds, an overtake
counts beyond 6 × 1.25 = 7.5 h and is large beyond 9 × 1.25 = 11.25 h), or a *wide* one
(waits of 15, 22.5 and 30 hours: MAD 7.5 h). More than half the tight desk's waits are
exactly 7 hours, so the few waits the test itself adds leave its median and MAD alone.
The edge tests sit just inside and just outside each default.
"""

from __future__ import annotations

import datetime
import random
import zoneinfo
from itertools import count

import pytest
import time_machine

from accounts.models import Role
from integrity.flags.engine import flags_for_event
from integrity.flags.registry import RULES
from integrity.models import CaseOrigin, Flag, Severity
from integrity.services import case_open
from permits.models import ApplicationEvent, CheckStatus, Stage
from permits.services.applications import application_create, application_return
from permits.services.documents import document_upload
from tests.factories import PermitTypeFactory, RequirementFactory
from tests.permits.conftest import PDF, act, fire, pdf, walk
from worktime.calendar import get_calendar

pytestmark = pytest.mark.django_db

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
START = datetime.datetime(2026, 9, 7, 8, 0, tzinfo=JAKARTA)  # a Monday
HOUR = datetime.timedelta(hours=1)
_nik = count(3201010000000001)


def work(moment, hours: float) -> datetime.datetime:
    """``hours`` working hours after ``moment``."""
    return get_calendar().add_working_time(moment, datetime.timedelta(hours=hours))


def days(moment, calendar_days: int) -> datetime.datetime:
    """The same time ``calendar_days`` later, moved to the next opening if closed."""
    return get_calendar().next_working_moment(moment + datetime.timedelta(days=calendar_days))


class Office:
    """Plays a plan of acts in the order of their moments, through the services."""

    def __init__(self, office):
        self.office = office
        self.permit_type = office.simple_type
        self.acts: list[tuple[datetime.datetime, int, str, str, dict]] = []
        self.files: dict = {}
        self._seq = count()

    def arrive(self, key, at, *, stage=Stage.APPROVAL, nik=None):
        """File ``key`` is created, verified and reaches ``stage`` at ``at``."""
        self.acts.append((at, next(self._seq), "arrive", key, {"stage": stage, "nik": nik}))

    def move(self, key, at, name="approve"):
        self.acts.append((at, next(self._seq), "move", key, {"name": name}))

    def act(self, key, at, how):
        self.acts.append((at, next(self._seq), "call", key, {"how": how}))

    def play(self):
        for at, _seq, kind, key, data in sorted(self.acts, key=lambda a: (a[0], a[1])):
            with time_machine.travel(at, tick=False):
                if kind == "arrive":
                    self.files[key] = self._arrive(data["stage"], data["nik"])
                elif kind == "move":
                    app = self.files[key]
                    app.refresh_from_db()
                    self.files[key] = fire(app, data["name"], app.assigned_to)
                else:
                    app = self.files[key]
                    app.refresh_from_db()
                    data["how"](app)
        self.acts.clear()

    def _arrive(self, stage, nik):
        office = self.office
        app = application_create(
            permit_type=self.permit_type,
            actor=act(office.counter),
            applicant_name="Pemohon Uji",
            applicant_nik=nik or str(next(_nik)),
            applicant_phone="+6281234567890",
            applicant_address="Jl. Merdeka 1, Sukamaju",
        )
        return walk(office, app, stage)

    def history(self, prefix, start, waits, *, every=1.0, stage=Stage.APPROVAL, name="approve"):
        """Files arriving ``every`` working hours from ``start``, each approved after its
        wait (working hours); returns the moment after the last approval."""
        end = start
        for i, wait in enumerate(waits):
            arrives = work(start, i * every) if i else start
            self.arrive(f"{prefix}{i}", arrives, stage=stage)
            leaves = work(arrives, wait)
            self.move(f"{prefix}{i}", leaves, name)
            end = max(end, leaves)
        return end

    def tight(self, start, n=20):
        return self.history("t", start, [7] * n)

    def overtake(self, key, at, extra, *, nik=None, after=0.5):
        """File ``key``-a arrives at ``at``; ``key``-b arrives ``extra`` working hours later
        and is approved ``after`` hours after that, while ``key``-a still waits; ``key``-a
        is approved half an hour later. Returns the moment after."""
        b_arrives = work(at, extra)
        self.arrive(f"{key}-a", at)
        self.arrive(f"{key}-b", b_arrives, nik=nik)
        self.move(f"{key}-b", work(b_arrives, after))
        self.move(f"{key}-a", work(b_arrives, after + 0.5))
        return work(b_arrives, after + 1)

    def evaluate(self, at):
        """Play what is planned, then do what the after-commit tasks do for every event
        so far, at ``at``."""
        self.play()
        with time_machine.travel(at, tick=False):
            for pk in ApplicationEvent.objects.order_by("pk").values_list("pk", flat=True):
                flags_for_event(pk)
        return list(Flag.objects.filter(rule="QUEUE").order_by("occurred_at"))


@pytest.fixture
def desk(office):
    """One approving supervisor and one counter officer."""
    for user in (office.supervisor2, office.counter2):
        user.is_active = False
        user.save(update_fields=["is_active"])
    return Office(office)


def flagged(flags, desk, *keys):
    return [desk.files[key].pk for key in keys] == [flag.application_id for flag in flags]


# --- ordinary variance ----------------------------------------------------------------


def test_a_supervisor_approving_in_any_order_within_usual_waits_raises_nothing(desk):
    rng = random.Random(17)
    waits = [rng.uniform(15, 33.75) for _ in range(40)]  # 2 to 4.5 working days
    end = desk.history("w", START, waits, every=2)
    desk.play()
    arrivals = [i * 2 for i in range(40)]
    leaves = [a + w for a, w in zip(arrivals, waits, strict=True)]
    # Files overtaken by one that came in more than a service day later: the old rule
    # (7 hours' tolerance) flagged every one of these.
    overtaken = [
        (i, j)
        for i in range(40)
        for j in range(i + 1, 40)
        if arrivals[j] - arrivals[i] > 7.5 and leaves[j] < leaves[i]
    ]
    assert len(overtaken) > 10
    assert desk.evaluate(end) == []


def test_an_overtake_within_a_wide_desk_spread_raises_nothing_but_far_outside_is_large(desk):
    waits = [15, 22.5, 30] * 8  # median 22.5, MAD 7.5: large beyond 67.5 hours
    start = desk.history("w", START, waits, every=3)
    at = desk.overtake("in", days(start, 1), 30)  # large at the tight desk
    at = desk.overtake("out", days(at, 1), 70)
    flags = desk.evaluate(at)
    assert flagged(flags, desk, "out-b")
    flag = flags[0]
    assert flag.detail["reasons"] == ["large"]
    assert flag.detail["mad_hours"] == 7.5 and flag.detail["baseline"] == "holder"


# --- a genuine jump ---------------------------------------------------------------------


def test_a_jump_far_outside_the_spread_is_flagged(desk):
    at = desk.overtake("j", days(desk.tight(START), 1), 12.5)
    flags = desk.evaluate(at)
    assert flagged(flags, desk, "j-b")
    flag = flags[0]
    a, b = desk.files["j-a"], desk.files["j-b"]
    assert flag.officer == desk.office.supervisor
    assert flag.severity == Severity.MEDIUM
    assert flag.detail["passed_over"] == a.pk
    assert flag.detail["extra_hours"] == 12.5 and flag.detail["mad_hours"] == 1.25
    assert flag.detail["reasons"] == ["large"]
    entered = a.events.get(to_state=Stage.APPROVAL, from_state=Stage.VERIFICATION)
    approved = b.events.get(action="application.approved")
    assert set(flag.evidence.values_list("pk", flat=True)) == {entered.pk, approved.pk}
    assert "12,5 jam lebih lama" in str(RULES["QUEUE"].explain(flag.detail))


def test_a_single_overtake_just_under_large_raises_nothing(desk):
    at = desk.overtake("j", days(desk.tight(START), 1), 10)  # 8 MAD: counted, not large
    assert desk.evaluate(at) == []


# --- repeated ---------------------------------------------------------------------------


def test_the_third_counted_overtake_by_one_holder_within_30_days_is_flagged(desk):
    at = days(desk.tight(START), 1)
    first = at
    for i in range(3):  # 8 hours each: counted (over 7.5), not large
        at = desk.overtake(f"r{i}", at if i == 0 else days(first, 12 * i), 8)
    flags = desk.evaluate(at)
    assert flagged(flags, desk, "r2-b")
    assert flags[0].detail["reasons"] == ["repeated"]
    assert flags[0].detail["overtakes"] == 3
    assert flags[0].severity == Severity.MEDIUM


def test_two_counted_overtakes_are_not_yet_repeated(desk):
    at = days(desk.tight(START), 1)
    for i in range(2):
        at = desk.overtake(f"r{i}", days(at, 1), 8)
    assert desk.evaluate(at) == []


def test_three_overtakes_just_under_the_counting_fence_raise_nothing(desk):
    at = days(desk.tight(START), 1)
    for i in range(3):  # 7 hours: 5.6 MAD, not counted
        at = desk.overtake(f"r{i}", days(at, 1), 7)
    assert desk.evaluate(at) == []


def test_three_counted_overtakes_spread_over_35_days_raise_nothing(desk):
    first = days(desk.tight(START), 1)
    at = first
    for i in range(3):
        at = desk.overtake(f"r{i}", first if i == 0 else days(first, 17 * i + 1), 8)
    assert desk.evaluate(at) == []


# --- the same person benefiting ---------------------------------------------------------


def test_the_same_applicant_benefiting_twice_is_flagged_high(desk):
    at = days(desk.tight(START), 1)
    for i in range(2):
        at = desk.overtake(f"f{i}", days(at, 1), 8, nik="3201019999000001")
    flags = desk.evaluate(at)
    assert flagged(flags, desk, "f1-b")
    assert flags[0].severity == Severity.HIGH
    assert flags[0].detail["reasons"] == ["favoured"]
    assert flags[0].detail["favoured"] == ["nik:3201019999000001"]


def test_a_repeated_jump_for_a_returning_applicant_is_high(desk):
    at = days(desk.tight(START), 1)
    for i, nik in enumerate(("3201019999000002", "3201019999000001", "3201019999000001")):
        at = desk.overtake(f"f{i}", days(at, 1), 8, nik=nik)
    flags = desk.evaluate(at)
    assert flagged(flags, desk, "f2-b")
    assert flags[0].severity == Severity.HIGH
    assert flags[0].detail["reasons"] == ["repeated", "favoured"]


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
    desk.arrive("b", work(at, 12.5))
    desk.move("b", work(at, 13))
    desk.play()
    desk.files["held"].refresh_from_db()
    assert desk.files["held"].held_since is not None
    assert desk.evaluate(work(at, 14)) == []


def test_a_file_returned_to_the_applicant_waits_again_from_its_resubmission(desk):
    """At the technical desk: A is returned, B arrives, A comes back after B and waits
    while B is reviewed. Counted from A's first arrival, B would have overtaken it by
    12.5 hours (large at this tight desk)."""
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
    at = days(desk.history("t", START, [7] * 20, **review), 1)
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


def test_twenty_waits_are_enough_to_judge(desk):
    at = desk.overtake("j", days(desk.tight(START, n=18), 1), 30)  # with the jump's two: 20
    assert flagged(desk.evaluate(at), desk, "j-b")


def test_nineteen_waits_are_too_few_to_judge(desk):
    at = desk.overtake("j", days(desk.tight(START, n=17), 1), 30)
    assert desk.evaluate(at) == []


def test_history_from_50_days_ago_counts(desk):
    end = desk.tight(START)
    at = desk.overtake("j", days(end, 50), 12.5)
    assert flagged(desk.evaluate(at), desk, "j-b")


def test_history_from_70_days_ago_no_longer_counts(desk):
    end = desk.tight(START)
    at = desk.overtake("j", days(end, 70), 12.5)
    assert desk.evaluate(at) == []


def test_a_holder_with_little_history_is_judged_by_the_stage(desk):
    office = desk.office
    end = desk.tight(START)
    desk.play()
    office.supervisor2.is_active = True
    office.supervisor2.save(update_fields=["is_active"])
    office.supervisor.is_active = False
    office.supervisor.save(update_fields=["is_active"])
    at = desk.overtake("j", days(end, 1), 12.5)
    flags = desk.evaluate(at)
    assert flagged(flags, desk, "j-b")
    assert flags[0].officer == office.supervisor2
    assert flags[0].detail["baseline"] == "stage"


def test_the_holders_own_spread_is_used_when_they_have_enough_history(desk):
    """A wide desk beside a tight one: the same 30-hour overtake is large for the tight
    supervisor and ordinary for the wide one."""
    office = desk.office
    end = desk.tight(START)
    desk.play()
    office.supervisor.is_active, office.supervisor2.is_active = False, True
    for user in (office.supervisor, office.supervisor2):
        user.save(update_fields=["is_active"])
    end = desk.history("w", days(end, 1), [15, 22.5, 30] * 8, every=3)
    at = desk.overtake("wide", days(end, 1), 30)
    desk.play()
    office.supervisor.is_active, office.supervisor2.is_active = True, False
    for user in (office.supervisor, office.supervisor2):
        user.save(update_fields=["is_active"])
    at = desk.overtake("tight", days(at, 1), 30)
    flags = desk.evaluate(at)
    assert flagged(flags, desk, "tight-b")
    assert flags[0].detail["baseline"] == "holder"
    assert flags[0].officer.role == Role.SUPERVISOR
