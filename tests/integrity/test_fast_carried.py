"""FAST's second way to be taken ahead: carried through a desk far faster than that desk
ever moves a file on, with nobody waiting (QUEUE's measure of a desk's quickest).

A tight technical desk reviews every file of a ten-day type after 30% of its SOP budget
(each file then approved and signed at once), so its 5th percentile is 0.30 and a file
reviewed under 0.75 × 0.30 = 22.5% of its budget was carried through. The file under
test is approved and signed ten minutes apart after its review, so it is issued under 25%
of its SOP either way: only the review's pace decides.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine

from integrity.inspection.flags.engine import flags_for_event
from integrity.models import Flag
from permits.models import ApplicationEvent, Stage
from tests.factories import PermitTypeFactory, RequirementFactory
from tests.integrity.kit import START, Office, days, work

pytestmark = [pytest.mark.django_db, pytest.mark.judged_once]  # see tests/conftest.py


@pytest.fixture
def desk(office):
    """One technical officer, one approving supervisor, one head, one counter officer, and
    a ten-day type with a technical review."""
    for user in (office.supervisor2, office.counter2, office.head2, office.technical2):
        user.is_active = False
        user.save(update_fields=["is_active"])
    desk = Office(office)
    desk.permit_type = PermitTypeFactory(
        code="KES-TEKNIS", opd=office.dinkes, sop_duration=10, fee=0, needs_technical_review=True
    )
    for position, requirement in enumerate(("KTP", "STR"), start=1):
        RequirementFactory(permit_type=desk.permit_type, code=requirement, position=position)
    return desk


def issue_alone(desk, share):
    """A file reaches technical review a day after the desk's history, alone; it is
    reviewed after ``share`` of its budget, then approved and signed ten minutes apart.
    The rules look an hour after."""
    review = Stage.TECHNICAL_REVIEW
    ten = datetime.timedelta(minutes=10)
    end = START
    for i in range(20):  # the tight desk, each file approved and signed right after
        arrives = work(START, i)
        desk.arrive(f"t{i}", arrives, stage=review)
        leaves = work(arrives, 0.3 * desk.budget(arrives, stage=review))
        desk.move(f"t{i}", leaves, "finish_review")
        desk.move(f"t{i}", leaves + ten)
        desk.move(f"t{i}", leaves + 2 * ten, "sign")
        end = max(end, leaves)
    at = days(end, 1)
    desk.arrive("fast", at, stage=review)
    reviewed = work(at, share * desk.budget(at, stage=review))
    desk.move("fast", reviewed, "finish_review")
    desk.move("fast", reviewed + ten)
    desk.move("fast", reviewed + 2 * ten, "sign")
    desk.play()
    with time_machine.travel(reviewed + datetime.timedelta(hours=1), tick=False):
        for pk in ApplicationEvent.objects.order_by("pk").values_list("pk", flat=True):
            flags_for_event(pk)
    return desk.files["fast"], list(Flag.objects.filter(rule="FAST"))


@pytest.mark.parametrize(("share", "carried"), [(0.21, True), (0.24, False)])
def test_a_file_carried_through_a_desk_far_faster_than_it_works_is_fast(desk, share, carried):
    """0.21 of the budget is under the desk's 0.225 fence, 0.24 over it: a file reviewed at
    the desk's own pace, in a quiet week, went ahead of nobody."""
    app, flags = issue_alone(desk, share)
    assert app.state == Stage.ISSUED
    assert app.work_used < 0.25 * app.sop_budget  # fast by its SOP either way
    if not carried:
        assert flags == []
        return
    (flag,) = flags
    assert flag.application == app
    assert flag.detail["passed_over"] == 0
    assert flag.detail["carried"] == [Stage.TECHNICAL_REVIEW]
    review = app.events.get(action="application.reviewed")
    assert review.pk in set(flag.evidence.values_list("pk", flat=True))


def test_a_file_taken_at_once_by_an_approval_round_is_not_carried(office):
    """The approval desk works in rounds: a file that arrives just before one is approved
    within minutes, honestly. However far under the desk's usual stay, that is no flag."""
    for user in (office.supervisor2, office.counter2, office.head2):
        user.is_active = False
        user.save(update_fields=["is_active"])
    desk = Office(office)
    five = datetime.timedelta(minutes=5)
    end = START
    for i in range(20):  # approvals after 30% of a working day, each signed at once
        arrives = work(START, i)
        desk.arrive(f"t{i}", arrives)
        leaves = work(arrives, 0.3 * desk.budget(arrives))
        desk.move(f"t{i}", leaves)
        desk.move(f"t{i}", leaves + five, "sign")
        end = max(end, leaves)
    at = days(end, 1)
    desk.arrive("quick", at)
    desk.move("quick", at + five)  # 5 minutes: about 1% of a working day
    desk.move("quick", at + 2 * five, "sign")
    desk.play()
    with time_machine.travel(at + datetime.timedelta(hours=1), tick=False):
        for pk in ApplicationEvent.objects.order_by("pk").values_list("pk", flat=True):
            flags_for_event(pk)
    assert desk.files["quick"].state == Stage.ISSUED
    assert not Flag.objects.filter(rule="FAST").exists()
