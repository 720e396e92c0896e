"""The planted office of ``bench/planted.py``: its staff, its synthetic permit types, the
files' bookkeeping, and the world's clock and event list."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.utils import timezone

from accounts.models import Role, User
from permits.models import (
    OPD,
    Application,
    ApplicationEvent,
    PermitType,
    Requirement,
    Stage,
)
from permits.models.stages import stage_path
from worktime.calendar import get_calendar

HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)
# The synthetic types (``_types``) use technical review, no inspection and no fee: their
# files pass these stages after submission (``permits.models.stages.stage_path``).
PLANTED_TYPE = {"needs_technical_review": True, "needs_inspection": False, "fee": 0}
STAGES = tuple(stage_path(SimpleNamespace(**PLANTED_TYPE))[1:-1])
# Working hours each stage takes, as shares of the file's target time.
STAGE_SHARE = {Stage.TECHNICAL_REVIEW: 0.5, Stage.APPROVAL: 0.3, Stage.SIGNING: 0.2}


@dataclass
class Truth:
    """What was planted: per rule, the subjects that should be flagged."""

    subjects: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    files: int = 0
    events: int = 0


@dataclass
class _File:
    app: Application
    kind: str  # normal, fast, late, flip, return
    submitted: dt.datetime
    target: dt.timedelta = dt.timedelta(0)
    holders: dict = field(default_factory=dict)
    entered: dict = field(default_factory=dict)
    exited: dict = field(default_factory=dict)


class _World:
    def __init__(self, rng: random.Random, days: int) -> None:
        self.rng = rng
        self.calendar = get_calendar()
        self.end = timezone.now() - dt.timedelta(days=2)
        self.start = self.end - dt.timedelta(days=days)
        self.events: list[ApplicationEvent] = []
        self.truth = Truth()
        self.tag = uuid.uuid4().hex[:6]

    def moment(self, after: dt.datetime, working: dt.timedelta) -> dt.datetime:
        """``working`` time after ``after``, strictly inside service hours."""
        at = self.calendar.add_working_time(after, working)
        if not self.calendar.is_working_time(at):
            at -= MINUTE
        return at

    def event(self, app, verb, actor, at, from_state="", to_state="", **data):
        self.events.append(
            ApplicationEvent(
                application=app,
                action=verb,
                actor=actor,
                actor_role=actor.role if actor else "system",
                created_at=at,
                from_state=from_state,
                to_state=to_state,
                data=data,
            )
        )


def _staff(world: _World) -> dict:
    tag = world.tag
    dpm, _ = OPD.objects.get_or_create(code=f"DPM{tag}", defaults={"name_id": "DPMPTSP uji"})
    dinas, _ = OPD.objects.get_or_create(code=f"DIN{tag}", defaults={"name_id": "Dinas uji"})

    def users(role, count, unit):
        return [
            User.objects.create(
                username=f"{role}-{tag}-{i}", role=role, unit=unit, full_name=f"{role} {i}"
            )
            for i in range(count)
        ]

    return {
        Role.COUNTER: users(Role.COUNTER, 4, dpm),
        Role.TECHNICAL: users(Role.TECHNICAL, 3, dinas),
        Role.SUPERVISOR: users(Role.SUPERVISOR, 2, dpm),
        Role.HEAD: users(Role.HEAD, 1, dpm),
        "applicant": users(Role.APPLICANT, 1, None)[0],
        "dinas": dinas,
    }


def _types(world: _World, dinas) -> dict[str, PermitType]:
    def make(name, days):
        permit_type = PermitType.objects.create(
            code=f"SYN-{name}-{world.tag}",
            name_id=f"Izin sintetis {name}",
            opd=dinas,
            family="trade",
            sop_duration=days,
            legal_basis="-",
            **PLANTED_TYPE,
            number_pattern=f"{{seq}}/SYN{name}{world.tag}/{{year}}",
        )
        Requirement.objects.create(permit_type=permit_type, code="KTP", name_id="KTP", position=1)
        return permit_type

    return {
        "a": make("A", 5),
        "b": make("B", 7),
        "c": make("C", 10),
        "fast": make("F", 10),
        "late": make("L", 3),
    }
