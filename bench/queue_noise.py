"""QUEUE's false flags on an honest office, replayed through the services.

An office of one approving supervisor, one head who signs, two counter officers and one
technical officer receives about ``--per-day`` files a working day (default 8, about 160
a month) for ``--months`` (default 3). Nobody misbehaves: every wait at every desk is
drawn independently of the others, i.e. each desk works its pile in random order, the
pessimistic honest case for a queue rule (real desks are closer to first come, first
served). A tenth of the files come from ten returning businesses and a twentieth through
three licensed consultants (decoys for the "same applicant benefits" part); a tenth are
returned at verification and resubmitted. Each act goes through the services at its
moment (time-machine), and the nightly sweep runs every evening, as in production.

Waits, in working hours: first look at the counter 0.1-4; verification 0.1-1.5; technical
review (half the types) 7.5-30 (1-4 days); approval 15-33.75 (2-4.5 days); signing 2-15.

    DATABASE_URL=sqlite:////tmp/queue_noise.sqlite3 .venv/bin/python bench/queue_noise.py

The database is migrated and must be empty (use a scratch one). Prints the QUEUE flags
per month of the history and their reasons: every one of them is a false flag.
"""

from __future__ import annotations

import argparse
import datetime
import heapq
import os
import random
import sys
import zoneinfo
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

import time_machine  # noqa: E402
from django.core.management import call_command  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from integrity.conflicts.services.declarations import declaration_needed, file_declare  # noqa: E402
from integrity.inspection.flags.engine import flags_sweep  # noqa: E402
from integrity.models import Flag  # noqa: E402
from permits.models import OPD, Application, CheckStatus, PermitType, Requirement  # noqa: E402
from permits.services.applications import (  # noqa: E402
    application_create,
    application_return,
    application_submit,
    transition_fire,
)
from permits.services.checks import check_update  # noqa: E402
from permits.services.context import Actor  # noqa: E402
from worktime.calendar import get_calendar  # noqa: E402

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
WAITS = {  # working hours before the holder acts, per stage
    "submitted": (0.1, 4),
    "verification": (0.1, 1.5),
    "technical_review": (7.5, 30),
    "approval": (15, 33.75),
    "signing": (2, 15),
}
ACTS = {
    "submitted": "begin_verification",
    "verification": "declare_complete",
    "technical_review": "finish_review",
    "approval": "approve",
    "signing": "sign",
}


def office():
    from django.conf import settings

    main, _ = OPD.objects.get_or_create(
        code=settings.OFFICE_UNIT_CODE, defaults={"name_id": "DPMPTSP"}
    )
    dinas, _ = OPD.objects.get_or_create(code="DINKES", defaults={"name_id": "Dinas Kesehatan"})

    def user(name, role, unit):
        return User.objects.create(username=name, role=role, unit=unit, full_name=name)

    head = user("kadis", Role.HEAD, main)
    staff = {
        "head": head,
        "supervisor": user("atasan", Role.SUPERVISOR, main),
        "counters": [user("loket1", Role.COUNTER, main), user("loket2", Role.COUNTER, main)],
        "technical": user("teknis", Role.TECHNICAL, dinas),
    }
    types = []
    for code, days, technical in (("A", 5, False), ("B", 7, False), ("C", 10, True)):
        permit_type = PermitType.objects.create(
            code=f"NOISE-{code}",
            name_id=f"Izin {code}",
            opd=dinas,
            family="trade",
            sop_duration=days,
            legal_basis="-",
            fee=0,
            needs_technical_review=technical,
            number_pattern=f"{{seq}}/N{code}/{{year}}",
        )
        Requirement.objects.create(permit_type=permit_type, code="KTP", name_id="KTP", position=1)
        types.extend([permit_type] * (2 if technical else 1))
    return staff, types


def replay(*, months: int, per_day: float, seed: int, start: datetime.datetime) -> None:
    rng, calendar = random.Random(seed), get_calendar()
    staff, types = office()
    businesses = [f"32040199{i:08d}" for i in range(10)]
    consultants = [f"32040188{i:08d}" for i in range(3)]
    end = start + datetime.timedelta(days=30 * months)
    agenda: list = []  # (moment, sequence, file index, what)
    sequence = 0

    def plan(at, index, what):
        nonlocal sequence
        sequence += 1
        heapq.heappush(agenda, (at, sequence, index, what))

    day, index = start.date(), 0
    while day < end.date():
        hours = calendar.service_hours(day)
        if hours:
            opens, closes = hours
            for _ in range(round(rng.gauss(per_day, per_day**0.5))):
                moment = opens + (closes - opens) * rng.random()
                plan(moment, index, "arrive")
                index += 1
            plan(datetime.datetime.combine(day, datetime.time(22), tzinfo=JAKARTA), -1, "night")
        day += datetime.timedelta(days=1)

    files: dict[int, Application] = {}
    returning: set[int] = set()
    returned: set[int] = set()
    last = start
    while agenda:
        at, _seq, index, what = heapq.heappop(agenda)
        last = max(last, at)
        with time_machine.travel(at, tick=False):
            if what == "night":
                flags_sweep()
                continue
            if what == "arrive":
                counter = rng.choice(staff["counters"])
                roll = rng.random()
                fields = {}
                if roll < 0.05:
                    fields = {
                        "representative_name": "Biro",
                        "representative_nik": rng.choice(consultants),
                    }
                nik = (
                    rng.choice(businesses) if roll > 0.9 else f"3204{rng.randrange(10**11, 10**12)}"
                )
                app = application_create(
                    permit_type=rng.choice(types),
                    actor=Actor(counter),
                    applicant_name="Pemohon",
                    applicant_nik=nik,
                    applicant_phone="+6281200000000",
                    applicant_address="Jl. Uji 1",
                    **fields,
                )
                app = application_submit(application=app, actor=Actor(counter))
                if rng.random() < 0.1:
                    returning.add(app.pk)
            else:
                app = files[index]
                app.refresh_from_db()
                officer = app.assigned_to
                if declaration_needed(app, officer):
                    file_declare(application=app, actor=Actor(officer), has_conflict=False)
                if what == "resubmit":
                    app = transition_fire(application=app, name="resubmit", actor=Actor(officer))
                elif app.state == "verification":
                    check = app.checks.get()
                    if app.pk in returning:
                        application_return(
                            application=app,
                            actor=Actor(officer),
                            findings={check.pk: (CheckStatus.MISSING, "KTP belum ada.")},
                        )
                        returning.discard(app.pk)
                        returned.add(app.pk)
                        files[index] = app
                        wait = rng.uniform(4, 20)
                        plan(
                            calendar.add_working_time(at, datetime.timedelta(hours=wait)),
                            index,
                            "resubmit",
                        )
                        continue
                    note = "Asli diperlihatkan di loket." if app.pk in returned else ""
                    check_update(
                        check=check, status=CheckStatus.OK, note=note, actor=Actor(officer)
                    )
                    app = transition_fire(
                        application=app, name=ACTS[app.state], actor=Actor(officer)
                    )
                else:
                    app = transition_fire(
                        application=app, name=ACTS[app.state], actor=Actor(officer)
                    )
            files[index] = app
            if app.state in WAITS:
                wait = rng.uniform(*WAITS[app.state])
                plan(calendar.add_working_time(at, datetime.timedelta(hours=wait)), index, "act")
    with time_machine.travel(last + datetime.timedelta(days=1), tick=False):
        flags_sweep()
    print(f"{len(files)} files, {Application.objects.filter(state='issued').count()} issued")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--per-day", type=float, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", default="2026-05-04")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if Application.objects.exists():
        raise SystemExit("The database has files already: use a scratch one.")
    start = datetime.datetime.fromisoformat(args.start).replace(hour=8, tzinfo=JAKARTA)
    replay(months=args.months, per_day=args.per_day, seed=args.seed, start=start)
    per_month = Counter()
    reasons = Counter()
    for flag in Flag.objects.filter(rule="QUEUE"):
        per_month[flag.occurred_at.astimezone(JAKARTA).strftime("%Y-%m")] += 1
        reasons[", ".join(flag.detail.get("reasons", []))] += 1
    others = Counter(Flag.objects.exclude(rule="QUEUE").values_list("rule", flat=True))
    print(f"QUEUE flags per month: {dict(sorted(per_month.items())) or 'none'}")
    print(f"QUEUE reasons: {dict(reasons) or 'none'}; other rules: {dict(others)}")


if __name__ == "__main__":
    main()
