"""Synthetic file history with planted misconduct, to measure the red-flag rules.

``planted_history(files=..., seed=...)`` writes, in bulk and in the past, the life of
``files`` permit files through verification, technical review, approval and signing,
processed in first-come-first-served order by randomly chosen officers within service
hours, a few of them returned and completed with a new document. Among them it plants
each kind of misconduct the rules look for and returns the ground truth: for each rule,
the subjects (a file, an officer and a day, an officer and a person) that should be
flagged.

- FAST: files of one type issued in 5-20% of their SOP budget.
- LATE: files of another type issued at 110-160% of their budget (and any other file
  that happens to end late: lateness is a fact, not an accusation).
- FLIP: a requirement found missing, the file returned, resubmitted without a new
  document, passed with a note and declared complete the same day (the honest returns
  get a new document and its ``document.uploaded`` event).
- QUEUE: an officer finishes a file while an earlier one of the same type, in the same
  stage and in their hands for over a working day, keeps waiting.
- PAIR: a representative (calo) whose files all go to one counter officer.
- HOURS: an officer posts in a file late in the evening or on a national holiday.
- HELD: an attempt to act on a held file. COI: a case decided "conflict" (and cases
  decided "no conflict", which must not raise anything).

``tests/integrity/test_flag_detection.py`` runs the rules over it and asserts recall and
precision floors; ``bench/flags.py`` uses it at scale.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db import transaction

from accounts.models import Role, User
from bench.planted_world import (
    HOUR,
    MINUTE,
    STAGE_SHARE,
    STAGES,
    Truth,
    _File,
    _staff,
    _types,
    _World,
)
from integrity.models import CaseOrigin, CaseState, ConflictCase, Decision
from permits.event_names import (
    APPLICATION_ASSIGNED,
    APPLICATION_COMPLETED,
    APPLICATION_RESUBMITTED,
    APPLICATION_RETURNED,
    APPLICATION_SUBMITTED,
    APPLICATION_VERIFICATION_STARTED,
    CHECK_UPDATED,
    DOCUMENT_UPLOADED,
    INTEGRITY_CASE_DECIDED,
    INTEGRITY_CASE_OPENED,
    INTEGRITY_HELD,
    INTEGRITY_HELD_ATTEMPT,
    MESSAGE_POSTED,
)
from permits.models import (
    Application,
    ApplicationEvent,
    Document,
    Requirement,
    Stage,
)
from permits.models.stages import EVENT_ACTIONS, FORWARD_TRANSITIONS, STAGE_ROLE
from permits.services.figures import figures_rebuild
from trail.chain import chain_bulk_fill
from trail.seals import seal_bulk


def planted_history(*, files: int = 400, seed: int = 7, days: int = 120) -> Truth:
    """Write the synthetic history (in one transaction) and return what was planted."""
    rng = random.Random(seed)
    world = _World(rng, days)
    with transaction.atomic():
        staff = _staff(world)
        types = _types(world, staff["dinas"])
        plan = _plan(world, staff, types, files)
        _process(world, staff, plan)
        _plant_acts(world, staff, plan)
        ApplicationEvent.objects.bulk_create(
            chain_bulk_fill(sorted(world.events, key=lambda e: e.created_at)), batch_size=2000
        )
        _plant_cases(world, staff, plan)
        figures_rebuild()  # the rows were written, not moved: their day figures too
    world.truth.files = len(plan)
    world.truth.events = len(world.events)
    return world.truth


def _plan(world: _World, staff, types, count: int) -> list[_File]:
    """Who applies for what, and when (a working moment in the period)."""
    rng, calendar = world.rng, world.calendar
    span = calendar.working_time_between(world.start, world.end - dt.timedelta(days=25))
    calo = f"9{rng.randrange(10**14, 10**15)}"
    repeaters = [f"35{rng.randrange(10**13, 10**14)}" for _ in range(10)]
    plan = []
    for i in range(count):
        roll = rng.random()
        if i % 25 == 0:
            kind, permit_type = "fast", types["fast"]
        elif i % 25 == 1:
            kind, permit_type = "late", types["late"]
        else:
            kind = "flip" if roll < 0.03 else "return" if roll < 0.10 else "normal"
            permit_type = types[rng.choice("abc")]
        submitted = world.moment(world.start, span * rng.random())
        nik = rng.choice(repeaters) if rng.random() < 0.1 else f"32{rng.randrange(10**13, 10**14)}"
        representative = calo if i % 40 == 5 else ""
        app = Application(
            permit_type=permit_type,
            channel="online",
            applicant=staff["applicant"],
            created_by=staff["applicant"],
            applicant_name=f"Pemohon {i}",
            applicant_nik=nik,
            representative_name="Kuasa" if representative else "",
            representative_nik=representative,
            registration_number=f"SYN{world.tag}-{i:05d}",
            state=Stage.ISSUED,
            created_at=submitted - HOUR,
            submitted_at=submitted,
        )
        plan.append(_File(app=app, kind=kind, submitted=submitted))
    Application.objects.bulk_create([f.app for f in plan], batch_size=1000)
    world.calo = calo
    return plan


def _holder(world: _World, staff, file: _File, stage: str) -> User:
    role = STAGE_ROLE[stage]
    if role == Role.COUNTER:
        if file.app.representative_nik:  # the calo's files all reach one counter officer
            return staff[Role.COUNTER][0]
        if Role.COUNTER in file.holders:
            return file.holders[Role.COUNTER]
    return world.rng.choice(staff[role])


def _process(world: _World, staff, plan: list[_File]) -> None:
    """Move every file through its stages, stage by stage, first come first served per
    officer and type (with planted exceptions), and record the events."""
    rng, calendar = world.rng, world.calendar
    for file in plan:
        app = file.app
        budget = calendar.working_time_between(
            file.submitted, app.permit_type.sop_deadline(file.submitted, calendar)
        )
        share = {"fast": rng.uniform(0.05, 0.2), "late": rng.uniform(1.1, 1.6)}.get(
            file.kind, rng.uniform(0.35, 0.7)
        )
        file.target = budget * share
        counter = _holder(world, staff, file, Stage.SUBMITTED)
        file.holders[Role.COUNTER] = counter
        world.event(app, APPLICATION_SUBMITTED, None, file.submitted, Stage.DRAFT, Stage.SUBMITTED)
        world.event(
            app,
            APPLICATION_ASSIGNED,
            None,
            file.submitted,
            Stage.SUBMITTED,
            Stage.SUBMITTED,
            to=counter.pk,
            reason="auto",
        )
        begin = world.moment(file.submitted, rng.uniform(0.2, 1.5) * HOUR)
        world.event(
            app,
            APPLICATION_VERIFICATION_STARTED,
            counter,
            begin,
            Stage.SUBMITTED,
            Stage.VERIFICATION,
        )
        file.entered[Stage.VERIFICATION] = begin
        file.exited[Stage.SUBMITTED] = begin
        _verification(world, file, counter, begin)
    world.jumps_left = 6
    for stage in STAGES[1:]:
        queues: dict[tuple, list[_File]] = defaultdict(list)
        for file in sorted(plan, key=lambda f: f.entered[stage]):
            holder = _holder(world, staff, file, stage)
            file.holders[stage] = holder
            world.event(
                file.app,
                APPLICATION_ASSIGNED,
                None,
                file.entered[stage],
                stage,
                stage,
                to=holder.pk,
                reason="auto",
            )
            queues[(file.app.permit_type_id, holder.pk)].append(file)
        for (_type, _officer), queue in queues.items():
            if stage == Stage.TECHNICAL_REVIEW and world.jumps_left:
                queue = _jump(world, queue)
            last_exit = None
            for file in queue:
                work = file.target * STAGE_SHARE[stage]
                ready = world.moment(file.entered[stage], work)
                if last_exit is not None and ready <= last_exit:
                    ready = world.moment(last_exit, 5 * MINUTE)
                last_exit = ready
                action = EVENT_ACTIONS[FORWARD_TRANSITIONS[stage]]
                following = (*STAGES, Stage.ISSUED)[STAGES.index(stage) + 1]
                world.event(file.app, action, file.holders[stage], ready, stage, following)
                file.exited[stage] = ready
                if following in file.entered or following == Stage.ISSUED:
                    continue
                file.entered[following] = ready
    for file in plan:
        _finish(world, file)


def _verification(world: _World, file: _File, counter, begin) -> None:
    """Checks, a return for some files, and the declaration of completeness."""
    rng, app = world.rng, file.app
    at = world.moment(begin, 10 * MINUTE)
    if file.kind in {"flip", "return"}:
        world.event(
            app,
            CHECK_UPDATED,
            counter,
            at,
            Stage.VERIFICATION,
            Stage.VERIFICATION,
            requirement="KTP",
            **{"from": "pending", "to": "missing"},
        )
        back = world.moment(at, 5 * MINUTE)
        world.event(app, APPLICATION_RETURNED, counter, back, Stage.VERIFICATION, Stage.RETURNED)
        resubmit = world.moment(back, rng.uniform(8, 20) * HOUR)
        if file.kind == "return":
            file.document_at = world.moment(back, rng.uniform(2, 7) * HOUR)
            # The new KTP's upload, as document_upload records it (FLIP reads uploads).
            world.event(
                app,
                DOCUMENT_UPLOADED,
                app.applicant,
                file.document_at,
                Stage.RETURNED,
                Stage.RETURNED,
                requirement="KTP",
                version=1,
                sha256="0" * 64,
                size=1000,
            )
        world.event(
            app, APPLICATION_RESUBMITTED, None, resubmit, Stage.RETURNED, Stage.VERIFICATION
        )
        at = world.moment(resubmit, 20 * MINUTE)
        world.event(
            app,
            CHECK_UPDATED,
            counter,
            at,
            Stage.VERIFICATION,
            Stage.VERIFICATION,
            requirement="KTP",
            **{"from": "missing", "to": "ok"},
        )
        if file.kind == "flip":
            world.truth.subjects["FLIP"].add(("file", app.pk))
    else:
        world.event(
            app,
            CHECK_UPDATED,
            counter,
            at,
            Stage.VERIFICATION,
            Stage.VERIFICATION,
            requirement="KTP",
            **{"from": "pending", "to": "ok"},
        )
    complete = world.moment(at, 10 * MINUTE)
    world.event(
        app, APPLICATION_COMPLETED, counter, complete, Stage.VERIFICATION, Stage.TECHNICAL_REVIEW
    )
    file.exited[Stage.VERIFICATION] = complete
    file.entered[Stage.TECHNICAL_REVIEW] = complete


def _jump(world: _World, queue: list[_File]) -> list[_File]:
    """The officer reviews a later file before an earlier one that has waited in their
    hands for more than a working day and a half (the later file is the one to flag)."""
    gap = 11 * HOUR
    for i in range(len(queue) - 1):
        earlier, later = queue[i], queue[i + 1]
        entered = earlier.entered[Stage.TECHNICAL_REVIEW], later.entered[Stage.TECHNICAL_REVIEW]
        if {earlier.kind, later.kind} == {"normal"} and world.calendar.working_time_between(
            *entered
        ) > gap:
            world.jumps_left -= 1
            world.truth.subjects["QUEUE"].add(("file", later.app.pk))
            return [*queue[:i], later, earlier, *queue[i + 2 :]]
    return queue


def _finish(world: _World, file: _File) -> None:
    calendar, app = world.calendar, file.app
    start = file.exited[Stage.VERIFICATION]
    end = file.exited[Stage.SIGNING]
    app.clock_started_at = start
    app.sop_budget = calendar.working_time_between(
        start, app.permit_type.sop_deadline(start, calendar)
    )
    app.work_used = calendar.working_time_between(start, end)
    app.finished_late = app.work_used > app.sop_budget
    app.finished_at = app.stage_entered_at = end
    app.verified_by = file.holders[Role.COUNTER]
    app.assigned_to = None
    if app.finished_late:
        world.truth.subjects["LATE"].add(("file", app.pk))
    if file.kind == "fast":
        world.truth.subjects["FAST"].add(("file", app.pk))


def _plant_acts(world: _World, staff, plan: list[_File]) -> None:
    """Documents for honest returns; evenings and holidays; queue jumps; held attempts."""
    rng, calendar = world.rng, world.calendar
    Application.objects.bulk_update(
        [f.app for f in plan],
        [
            "clock_started_at",
            "sop_budget",
            "work_used",
            "finished_late",
            "finished_at",
            "stage_entered_at",
            "verified_by",
            "assigned_to",
        ],
        batch_size=1000,
    )
    ktp = {
        pt: Requirement.objects.get(permit_type_id=pt, code="KTP")
        for pt in {f.app.permit_type_id for f in plan}
    }
    seal_bulk(  # bulk_create sends no signal: seal the rows written
        Document.objects.bulk_create(
            [
                Document(
                    application=f.app,
                    requirement=ktp[f.app.permit_type_id],
                    version=1,
                    file=f"synthetic/{f.app.pk}.pdf",
                    original_name="ktp.pdf",
                    content_type="application/pdf",
                    size=1000,
                    sha256="0" * 64,
                    uploaded_by=staff["applicant"],
                    uploaded_at=f.document_at,
                )
                for f in plan
                if f.kind == "return"
            ]
        )
    )

    normal = [f for f in plan if f.kind == "normal"]
    for file in rng.sample(normal, 8):  # an evening message from the reviewing officer
        officer = file.holders[Stage.TECHNICAL_REVIEW]
        day = file.entered[Stage.TECHNICAL_REVIEW].astimezone(calendar.timezone).date()
        while not calendar.is_working_day(day):
            day += dt.timedelta(days=1)
        evening = dt.datetime.combine(day, dt.time(20, 15), tzinfo=calendar.timezone)
        world.event(
            file.app,
            MESSAGE_POSTED,
            officer,
            evening,
            Stage.TECHNICAL_REVIEW,
            Stage.TECHNICAL_REVIEW,
        )
        world.truth.subjects["HOURS"].add(("officer-day", officer.pk, day.isoformat()))
    holiday = next((d for d in _days(world) if calendar.holiday_name(d) and d.weekday() < 5), None)
    if holiday is not None:
        file = rng.choice(normal)
        officer = file.holders[Role.COUNTER]
        at = dt.datetime.combine(holiday, dt.time(10, 0), tzinfo=calendar.timezone)
        world.event(file.app, MESSAGE_POSTED, officer, at, Stage.ISSUED, Stage.ISSUED)
        world.truth.subjects["HOURS"].add(("officer-day", officer.pk, holiday.isoformat()))
    for file in rng.sample(normal, 3):  # an attempt on a held file
        officer = file.holders[Stage.APPROVAL]
        at = world.moment(file.entered[Stage.APPROVAL], 5 * MINUTE)
        world.event(file.app, INTEGRITY_HELD, None, at, Stage.APPROVAL, Stage.APPROVAL)
        world.event(
            file.app,
            INTEGRITY_HELD_ATTEMPT,
            officer,
            world.moment(at, MINUTE),
            Stage.APPROVAL,
            Stage.APPROVAL,
            action="approve",
        )
        world.truth.subjects["HELD"].add(("file", file.app.pk))
    world.truth.subjects["PAIR"].add(("officer-person", staff[Role.COUNTER][0].pk, world.calo))


def _days(world: _World):
    day = world.start.date()
    while day < world.end.date():
        yield day
        day += dt.timedelta(days=1)


def _plant_cases(world: _World, staff, plan: list[_File]) -> None:
    """Conflict cases on finished files: three decided "conflict", two "no conflict"."""
    rng = world.rng
    normal = [f for f in plan if f.kind == "normal"]
    events = []
    for i, file in enumerate(rng.sample(normal, 5)):
        officer = file.holders[Stage.TECHNICAL_REVIEW]
        opened = world.moment(file.entered[Stage.TECHNICAL_REVIEW], 2 * MINUTE)
        decided = world.moment(opened, 3 * HOUR)
        decision = Decision.CONFLICT if i < 3 else Decision.NO_CONFLICT
        case = ConflictCase.objects.create(
            application=file.app,
            officer=officer,
            origin=CaseOrigin.SUPERVISOR,
            opened_by=staff[Role.SUPERVISOR][0],
            opened_at=opened,
            review_due=decided,
            state=CaseState.CLOSED,
            decision=decision,
            decided_at=decided,
        )
        for action, at, data in (
            (INTEGRITY_CASE_OPENED, opened, {"officer": officer.pk}),
            (INTEGRITY_CASE_DECIDED, decided, {"decision": decision, "measure": ""}),
        ):
            events.append(
                ApplicationEvent(
                    application=file.app,
                    action=action,
                    actor=staff[Role.HEAD][0],
                    actor_role=Role.HEAD,
                    created_at=at,
                    from_state=Stage.TECHNICAL_REVIEW,
                    to_state=Stage.TECHNICAL_REVIEW,
                    data={"case": str(case.public_id), **data},
                )
            )
        if decision == Decision.CONFLICT:
            world.truth.subjects["COI"].add(("file", file.app.pk))
    ApplicationEvent.objects.bulk_create(chain_bulk_fill(events))
    world.events.extend(events)
