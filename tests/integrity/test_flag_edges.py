"""Every rule parameter tested just inside and just outside its default (issue 17, point 4),
and the statistics the rules use against hand-computed values.

Each pair of points sits within 30% of the default's edge on both sides, so moving any
default by 30% either way turns one of them red (checked by editing each default ±30%).
The rules run on their defaults (``Rule.params``), never on values written here.
"""

from __future__ import annotations

import datetime as dt
import math
from types import SimpleNamespace

import pytest
from django.utils import timezone

from integrity.inspection.flags.baselines import binomial_tail, percentile
from integrity.inspection.flags.engine import Context
from integrity.inspection.flags.registry import RULES
from integrity.inspection.flags.rules import hours
from permits.models import Application
from permits.services.context import Actor
from permits.services.events import event_record

pytestmark = [pytest.mark.django_db, pytest.mark.judged_once]  # see tests/conftest.py
JAKARTA = dt.timezone(dt.timedelta(hours=7))
MONDAY = dt.datetime(2026, 2, 2, tzinfo=JAKARTA)  # a working Monday, service 08:00-15:30


def context():
    return Context.load()


def defaults(code):
    return dict(RULES[code].params)


# The statistics -------------------------------------------------------------------------
def test_percentile_interpolates_between_closest_ranks():
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 50) == 3.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile([10.0, 20.0, 30.0, 40.0, 50.0], 25) == 20.0
    # (n - 1) * 5 / 100 = 0.2 → 10 + 0.2 × (20 - 10)
    assert percentile([10.0, 20.0, 30.0], 5) == pytest.approx(11.0)
    assert percentile(list(map(float, range(101))), 5) == pytest.approx(5.0)
    assert percentile([7.0], 90) == 7.0
    assert percentile([1.0, 9.0], 100) == 9.0
    assert percentile([1.0, 9.0], 0) == 1.0


def test_binomial_tail_matches_textbook_values():
    # Fair coin, 10 tosses: P(X >= 8) = (45 + 10 + 1) / 1024.
    assert binomial_tail(8, 10, 0.5) == pytest.approx(56 / 1024)
    # P(X >= 1) = 1 - (1 - p)^n
    assert binomial_tail(1, 20, 0.1) == pytest.approx(1 - 0.9**20)
    # All n: p^n
    assert binomial_tail(5, 5, 0.25) == pytest.approx(0.25**5)
    # A die, 6 throws, at least two sixes: 1 - (5/6)^6 - 6 (1/6)(5/6)^5 ≈ 0.26322
    assert binomial_tail(2, 6, 1 / 6) == pytest.approx(0.263224, abs=1e-6)
    assert binomial_tail(0, 5, 0.3) == 1.0
    assert binomial_tail(3, 5, 0.0) == 0.0
    assert binomial_tail(3, 5, 1.0) == 1.0
    assert binomial_tail(6, 5, 0.5) == 0.0
    assert math.isclose(binomial_tail(3, 3, 0.1), 0.001)


# HOURS: grace_minutes (30) around staff hours (07:30-16:00), due_hours (7.5) -------------
@pytest.mark.parametrize(
    ("moment", "flagged"),
    [
        (MONDAY.replace(hour=16) + dt.timedelta(minutes=25), False),
        (MONDAY.replace(hour=16) + dt.timedelta(minutes=35), True),
        (MONDAY.replace(hour=7, minute=30) - dt.timedelta(minutes=25), False),
        (MONDAY.replace(hour=7, minute=30) - dt.timedelta(minutes=35), True),
    ],
)
def test_hours_grace_edges(moment, flagged):
    event = SimpleNamespace(created_at=moment, actor_id=7, pk=1, application_id=None)
    hits = RULES["HOURS"].on_event(event, defaults("HOURS"), context())
    assert bool(hits) is flagged


TUESDAY_OPENS = MONDAY.replace(hour=8) + dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("deadline", "flagged"),
    [
        (TUESDAY_OPENS + dt.timedelta(hours=6.5), False),  # 6.5 working hours left
        (TUESDAY_OPENS + dt.timedelta(days=1, hours=1), True),  # 8.5 (Tuesday has 7.5)
        (MONDAY.replace(hour=15), False),  # already late: catching up
    ],
)
def test_hours_due_edges(deadline, flagged, monkeypatch):
    """Monday 20:00, on a file due ``deadline``: within one working day's hours (7.5) of
    working time it is overtime on a file due, beyond it a flag."""
    monkeypatch.setattr(hours, "deadline_at", lambda application_id, moment: deadline)
    event = SimpleNamespace(created_at=MONDAY.replace(hour=20), actor_id=7, pk=1, application_id=1)
    hits = RULES["HOURS"].on_event(event, defaults("HOURS"), context())
    assert bool(hits) is flagged


# FAST: share (0.25), percentile (5), peer_margin (0.75), min_sample (20) -----------------
def _fast(used_hours, budget_hours, sample):
    app = SimpleNamespace(
        pk=10**6,
        permit_type_id=10**6,
        clock_started_at=MONDAY,
        sop_budget=dt.timedelta(hours=budget_hours),
        work_used=dt.timedelta(hours=used_hours),
        verified_by_id=None,
    )
    ctx = context()
    ctx.memo[("fast", app.permit_type_id)] = sample
    reasons, _detail = RULES["FAST"].speed(app, defaults("FAST"), ctx)
    return set(reasons)


@pytest.mark.parametrize(("used", "reasons"), [(23.0, {"share"}), (27.0, set())])
def test_fast_share_edges(used, reasons):
    """Budget 100 h, no peer sample: under 25 h is a quarter of the SOP."""
    assert _fast(used, 100, []) == reasons


HUNDRED = [float(i) for i in range(101)]  # 5th percentile 5.0; × 0.75 = 3.75


@pytest.mark.parametrize(("used", "reasons"), [(3.5, {"peers"}), (4.0, set())])
def test_fast_peer_fence_edges(used, reasons):
    """Percentile 5 × margin 0.75 of 0..100 is 3.75 h: 3.5 is under, 4.0 over. With the
    5th percentile at 3.5 or 6.5 (±30%) or the margin at 0.525 or 0.975 one point flips."""
    assert _fast(used, 10, HUNDRED) == reasons


@pytest.mark.parametrize(("size", "reasons"), [(17, set()), (23, {"peers"})])
def test_fast_min_sample_edges(size, reasons):
    """Peers count only with at least 20 issued files: 17 too few, 23 enough."""
    sample = [100.0] * size
    assert _fast(10.0, 20, sample) == reasons


def test_fast_window_edges(office):
    from integrity.inspection.flags.baselines import type_durations
    from permits.models import Stage

    now = timezone.now()
    days = defaults("FAST")["window_days"]
    for age, hours_used in ((80, 1.0), (100, 2.0)):
        app = Application.objects.create(
            permit_type=office.simple_type,
            applicant_name="Uji",
            created_by=office.counter,
            applicant_nik=f"32010141019000{age:02d}"[-16:],
            state=Stage.ISSUED,
            finished_at=now - dt.timedelta(days=age),
            clock_started_at=now - dt.timedelta(days=age + 1),
            work_used=dt.timedelta(hours=hours_used),
        )
        assert app.pk
    assert type_durations(office.simple_type.pk, days) == [1.0]  # 80 days in, 100 out


# LATE: severe_over (0.5) -----------------------------------------------------------------
@pytest.mark.parametrize(("over", "severe"), [(40, False), (60, True)])
def test_late_severity_edges(over, severe):
    """Budget 100 h: 40 h over is late, 60 h over (more than half again) is severe."""
    app = SimpleNamespace(
        pk=10**6,
        clock_started_at=MONDAY,
        sop_budget=dt.timedelta(hours=100),
        work_used=dt.timedelta(hours=100 + over),
        finished_late=True,
    )
    event = SimpleNamespace(
        application=app, action="application.signed", actor_id=3, created_at=MONDAY, pk=1
    )
    hits = RULES["LATE"]._late_sop(event, defaults("LATE"))
    assert len(hits) == 1
    assert (hits[0].severity is not None) is severe


# PAIR: alpha (0.001), min_count (4), window_days (365) ------------------------------------
def _pair(office, *, files: int, share: float, ages=(), steered=0, steer_share=0.0):
    """The counter officer handled ``files`` recent files of one applicant (plus one file
    per age in ``ages``, days ago), with ``share`` of the unit's files overall; the first
    ``steered`` of them were handed to them by the supervisor's reassignment, as
    ``steer_share`` of the unit's files were."""
    now = timezone.now()
    officer = office.counter
    events = []
    for i, age in enumerate(list(ages) + [0] * files):  # the newest act last
        when = now - dt.timedelta(days=age, minutes=files + len(ages) - i)
        app = Application.objects.create(
            permit_type=office.simple_type,
            applicant_name="Calo",
            created_by=officer,
            applicant_nik="3201019999000001",
            submitted_at=when,
        )
        if i < steered:
            event_record(
                application=app,
                action="application.reassigned",
                actor=Actor(office.supervisor),
                data={"from": None, "to": officer.pk, "reason": "manual"},
                at=when - dt.timedelta(seconds=30),
            )
        events.append(
            event_record(
                application=app,
                action="application.completed",
                actor=Actor(officer),
                at=when,
            )
        )
    ctx = context()
    ctx.memo[("share", officer.role, officer.unit_id)] = {
        str(officer.pk): round(share * 10_000),
        "0": round((1 - share) * 10_000),
    }
    ctx.memo[("steer", officer.role, officer.unit_id)] = {
        str(officer.pk): round(steer_share * 10_000)
    }
    event = (
        type(events[-1])
        .objects.select_related("application")
        .filter(pk=max(e.pk for e in events))
        .get()
    )
    return RULES["PAIR"].on_event(event, defaults("PAIR"), ctx)


@pytest.mark.parametrize(
    ("share", "flagged"),
    # 5 of 5 files: P = share^5 = 0.00098 (under 0.001) or 0.00119 (over; under 0.0013).
    [(0.25, True), (0.26, False)],
)
def test_pair_alpha_edges(office, share, flagged):
    assert bool(_pair(office, files=5, share=share)) is flagged


@pytest.mark.parametrize(("files", "flagged"), [(3, False), (4, True)])
def test_pair_min_count_edges(office, files, flagged):
    """With a 1% share even 3 of 3 is improbable (1e-6), but fewer than 4 files is no case."""
    assert bool(_pair(office, files=files, share=0.01)) is flagged


@pytest.mark.parametrize(("age", "flagged"), [(300, True), (420, False)])
def test_pair_window_edges(office, age, flagged):
    """Three recent files and one ``age`` days ago: counted within 365 days, not beyond."""
    assert bool(_pair(office, files=3, share=0.01, ages=[age])) is flagged


@pytest.mark.parametrize(
    ("steer_share", "flagged"),
    # 6 files, all with an officer who has half the counter; 4 of them handed by
    # reassignment. Assignment: the other 2 of 2, P1 = 0.25. Hand-overs: P2 = P(X >= 4) for
    # B(6, q). Fisher: P1·P2·(1 - ln(P1·P2)) = 0.00092 at q = 0.072 (under 0.001) and
    # 0.00107 at q = 0.075 (over; under 0.0013).
    [(0.072, True), (0.075, False)],
)
def test_pair_steered_alpha_edges(office, steer_share, flagged):
    hits = _pair(office, files=6, share=0.5, steered=4, steer_share=steer_share)
    assert bool(hits) is flagged
    if hits:
        assert hits[0].detail["steered"] == 4
        assert len(hits[0].evidence) == 10  # six acts, four reassignments


def test_pair_hand_overs_make_the_case_the_share_alone_does_not(office):
    """All 6 files with an officer who has half the counter: 0.5^6 = 0.016, no case; the
    same with 4 of them handed by the supervisor, to an officer rarely handed files (1%)."""
    assert not _pair(office, files=6, share=0.5)
    assert _pair(office, files=6, share=0.5, steered=4, steer_share=0.01)


# QUEUE: its parameters' edges are in tests/integrity/test_queue.py (the rule learns the
# desk's spread of waits; issue 17 point 2).


@pytest.mark.parametrize(
    ("age", "kept"), [(dt.timedelta(hours=23), True), (-dt.timedelta(hours=1), False)]
)
def test_a_baseline_is_kept_a_day_and_never_from_the_future(office, age, kept):
    """A stored baseline is read again within 24 hours of its computing; one computed
    "after" now (a clock set back, a replayed history) is computed afresh."""
    from integrity.inspection.flags.baselines import type_durations
    from integrity.models import FlagBaseline

    FlagBaseline.objects.create(
        key=f"fast:{office.simple_type.pk}:90", value=[99.0], computed_at=timezone.now() - age
    )
    assert (type_durations(office.simple_type.pk, 90) == [99.0]) is kept
