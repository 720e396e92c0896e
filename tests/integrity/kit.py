"""Shared by the integrity tests: running the rules, raising and judging flags, findings,
and a desk of files for the queue rules (the small office is the root conftest's)."""

from __future__ import annotations

import datetime
import zoneinfo
from itertools import count

import time_machine
from django.utils import timezone

from integrity.inspection.flags.baselines import ROUND_STAGES, WORKING_DAY
from integrity.inspection.flags.engine import flag_raise, flags_for_event, flags_sweep
from integrity.inspection.flags.registry import RULES
from integrity.inspection.services.findings import finding_open
from integrity.models import Flag, RuleSetting
from permits.models import ApplicationEvent, Stage
from permits.services.applications import application_create
from tests.factories import (
    act,
    fire,
    walk,
)
from worktime.calendar import get_calendar


def evaluate_all() -> None:
    """What the after-commit tasks do, for every event so far (tests run in one
    transaction, so on_commit callbacks do not fire by themselves)."""

    for pk in ApplicationEvent.objects.order_by("pk").values_list("pk", flat=True):
        flags_for_event(pk)


def rule_flags(rule: str):
    return Flag.objects.filter(rule=rule)


def raise_flag(key="x1", *, rule="COMPLAINT", summary=None, application=None, officer=None, **kw):
    """A red flag through the engine's hook for evidence outside the event log."""
    detail = kw.pop("detail", None)
    if detail is None:
        detail = {"summary": summary or f"Aduan {key}"}
    flag = flag_raise(
        rule=rule, key=key, application=application, officer=officer, detail=detail, **kw
    )
    assert flag is not None
    return flag


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


FINDING = {
    "title": "Pungutan di loket",
    "condition": "Pemohon membayar Rp50.000 di luar retribusi.",
    "criteria": "PP 94/2021 Pasal 5",
    "recommendation": "Kembalikan pungutan dan beri pembinaan.",
}


def open_finding(office, *, responsible=None, by=None, flags=(), application=None, **fields):
    data = {**FINDING, "due_date": in_days(14), **fields}
    return finding_open(
        actor=act(by or office.auditor),
        responsible=responsible or office.counter,
        application=application,
        flags=list(flags),
        **data,
    )


JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


START = datetime.datetime(2026, 9, 7, 8, 0, tzinfo=JAKARTA)  # a Monday


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

    def budget(self, at, permit_type=None, stage=Stage.APPROVAL) -> float:
        """What a stay in ``stage`` is measured against (working hours): a working day at
        the approval desk (it works in rounds), else the SOP budget of a file of the desk's
        type whose clock starts at ``at`` (a file reaches its stage at once, so its clock
        starts on arrival)."""
        if stage in ROUND_STAGES:
            return WORKING_DAY.total_seconds() / 3600
        calendar = get_calendar()
        permit_type = permit_type or self.permit_type
        due = permit_type.sop_deadline(at, calendar)
        return calendar.working_time_between(at, due).total_seconds() / 3600

    def arrive(self, key, at, *, stage=Stage.APPROVAL, nik=None, permit_type=None, online=False):
        """File ``key`` is created (at the counter, or online by the applicant), verified
        and reaches ``stage`` at ``at``."""
        data = {"stage": stage, "nik": nik, "type": permit_type or self.permit_type}
        data["online"] = online
        self.acts.append((at, next(self._seq), "arrive", key, data))

    def move(self, key, at, name="approve"):
        self.acts.append((at, next(self._seq), "move", key, {"name": name}))

    def act(self, key, at, how):
        self.acts.append((at, next(self._seq), "call", key, {"how": how}))

    def play(self):
        for at, _seq, kind, key, data in sorted(self.acts, key=lambda a: (a[0], a[1])):
            with time_machine.travel(at, tick=False):
                if kind == "arrive":
                    self.files[key] = self._arrive(data)
                elif kind == "move":
                    app = self.files[key]
                    app.refresh_from_db()
                    self.files[key] = fire(app, data["name"], app.assigned_to)
                else:
                    app = self.files[key]
                    app.refresh_from_db()
                    data["how"](app)
        self.acts.clear()

    def _arrive(self, data):
        office = self.office
        app = application_create(
            permit_type=data["type"],
            actor=act(office.applicant if data["online"] else office.counter),
            applicant_name="Pemohon Uji",
            applicant_nik=data["nik"] or str(next(_nik)),
            applicant_phone="+6281234567890",
            applicant_address="Jl. Merdeka 1, Sukamaju",
        )
        return walk(office, app, data["stage"])

    def history(
        self, prefix, start, shares, *, every=1.0, stage=Stage.APPROVAL, name="approve", budget=None
    ):
        """Files arriving ``every`` working hours from ``start``, each moved on after its
        share of its SOP budget (or of ``budget`` hours); returns the moment after the last
        one left."""
        end = start
        online = stage == Stage.SUBMITTED
        for i, share in enumerate(shares):
            arrives = work(start, i * every) if i else start
            self.arrive(f"{prefix}{i}", arrives, stage=stage, online=online)
            leaves = work(arrives, share * (budget or self.budget(arrives, stage=stage)))
            self.move(f"{prefix}{i}", leaves, name)
            end = max(end, leaves)
        return end

    def tight(self, start, n=20):
        return self.history("t", start, [0.3] * n)

    def jump(self, key, at, share, *, before=8.0, a_after=3.0, nik=None, a_type=None):
        """File ``key``-a arrives at ``at``; ``key``-b arrives ``before`` working hours
        later and is moved on after ``share`` of its budget, while ``key``-a still waits;
        ``key``-a is moved on ``a_after`` working hours after that. Returns the moment
        after both left."""
        b_arrives = work(at, before)
        self.arrive(f"{key}-a", at, permit_type=a_type)
        self.arrive(f"{key}-b", b_arrives, nik=nik)
        b_leaves = work(b_arrives, share * self.budget(b_arrives))
        self.move(f"{key}-b", b_leaves)
        self.move(f"{key}-a", work(b_leaves, a_after))
        return work(b_leaves, a_after + 1)

    def evaluate(self, at, rule="QUEUE"):
        """Play what is planned, then run the nightly sweep over every event so far, at
        ``at`` (what the after-commit tasks do for each event, with the rules' settings
        read once), with ``rule`` the only one switched on, as an administrator switches
        rules off: the others' findings are not what the test asks about, and looking for
        them was most of the sweep. Returns ``rule``'s flags."""
        self.play()
        for code in RULES:
            if code != rule:
                RuleSetting.objects.update_or_create(code=code, defaults={"enabled": False})
        with time_machine.travel(at, tick=False):
            flags_sweep(everything=True)
        return list(Flag.objects.filter(rule=rule).order_by("occurred_at"))
