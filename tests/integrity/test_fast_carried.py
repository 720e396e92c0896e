"""FAST's second way to be taken ahead: carried through a desk far faster than that desk
ever moves a file on, with nobody waiting (QUEUE's measure of a desk's quickest).

A tight approval desk approves every file after 30% of its SOP budget, so its 5th
percentile is 0.30 and a file approved under 0.75 × 0.30 = 22.5% of its budget was carried
through. The file under test is signed ten minutes after its approval, so it is issued
well under 25% of its SOP either way: only the approval's pace decides.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine

from integrity.flags.engine import flags_for_event
from integrity.models import Flag
from permits.models import ApplicationEvent, Stage
from tests.integrity.test_queue import START, Office, days, work

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(office):
    """One approving supervisor, one head, one counter officer."""
    for user in (office.supervisor2, office.counter2, office.head2):
        user.is_active = False
        user.save(update_fields=["is_active"])
    return Office(office)


def issue_alone(desk, share):
    """A file reaches approval a day after the desk's history, alone; it is approved after
    ``share`` of its budget and signed ten minutes later. The rules look an hour after."""
    end = START
    for i in range(20):  # the tight desk, each file signed right after its approval
        arrives = work(START, i)
        desk.arrive(f"t{i}", arrives)
        leaves = work(arrives, 0.3 * desk.budget(arrives))
        desk.move(f"t{i}", leaves)
        desk.move(f"t{i}", leaves + datetime.timedelta(minutes=5), "sign")
        end = max(end, leaves)
    at = days(end, 1)
    desk.arrive("fast", at)
    approved = work(at, share * desk.budget(at))
    desk.move("fast", approved)
    desk.move("fast", approved + datetime.timedelta(minutes=10), "sign")
    desk.play()
    with time_machine.travel(approved + datetime.timedelta(hours=1), tick=False):
        for pk in ApplicationEvent.objects.order_by("pk").values_list("pk", flat=True):
            flags_for_event(pk)
    return desk.files["fast"], list(Flag.objects.filter(rule="FAST"))


@pytest.mark.parametrize(("share", "carried"), [(0.21, True), (0.24, False)])
def test_a_file_carried_through_a_desk_far_faster_than_it_works_is_fast(desk, share, carried):
    """0.21 of the budget is under the desk's 0.225 fence, 0.24 over it: a file approved at
    the desk's own pace, in a quiet week, went ahead of nobody."""
    app, flags = issue_alone(desk, share)
    assert app.state == Stage.ISSUED
    assert app.work_used < 0.25 * app.sop_budget  # fast by its SOP either way
    if not carried:
        assert flags == []
        return
    (flag,) = flags
    assert flag.application == app
    assert flag.detail["passed_over"] == 0 and flag.detail["carried"] == [Stage.APPROVAL]
    approval = app.events.get(action="application.approved")
    assert approval.pk in set(flag.evidence.values_list("pk", flat=True))
