"""An office's history, replayed through the real services, with planted misconduct.

    DEBUG=1 .venv/bin/python bench/history.py [--files 480] [--seed 1] [--keep]

``history_generate(files, seed)`` builds a one-stop office (a DPMPTSP with its counter, a
single approving supervisor and the head, and the technical offices of four OPDs), then
lives about four months of it (5 January to 30 April 2026, over the office's calendar:
national holidays, Nyepi, Idul Fitri and its cuti bersama) with the clock moved by
time-machine. Every file is created, uploaded, checked, returned, resubmitted, moved,
paid, approved and signed by the same service functions the views call; staff views and
file messages by their services too. Nothing writes an event by hand. The red-flag engine
runs its nightly sweep each night of the history, every rule at its defaults (the history
is one transaction, so the per-event task that production runs after each commit does not
run; the sweep looks at every event). What was planted is returned as ``Truth``.

The world it lives (the office, its people, the distributions written down before the rules
were read) is ``bench.history_world``; the counter's acts ``bench.history_counter``, the back
office's ``bench.history_review``; how the rules are judged ``bench.history_judge``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import heapq
import itertools
import os
import pickle
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

if __name__ == "__main__":  # run as a script: set Django up first
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DEBUG", "1")  # a benchmark database, never a deployment
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()

from django.conf import settings

from bench.history_counter import CounterDesk
from bench.history_judge import Truth, false_flags, score_table, scores
from bench.history_review import ReviewDesk
from bench.history_world import (
    AGENT,
    BROKERS,
    END,
    FIRST,
    IP,
    LAST,
    REPEATERS,
    START,
    TYPES,
    File,
    _local,
)


class Office(CounterDesk, ReviewDesk):
    """The office living its four months: a heap of moments, each an act through a service."""

    def __init__(self, *, files: int, seed: int, traveller) -> None:
        from worktime.calendar import get_calendar

        self.rng = random.Random(seed)
        self.size = files
        self.traveller = traveller
        self.calendar = get_calendar()
        self.heap: list = []
        self.order = itertools.count()
        self.now = _local(START, 0)
        self.truth = Truth()
        self.files: dict[int, File] = {}
        self.queues: dict[int, list[File]] = defaultdict(list)  # counter: online files
        self.busy: set[int] = set()
        self.reviewing: dict[int, list[File]] = defaultdict(list)
        self.approval: list[File] = []
        self.signing: list[File] = []
        self.head_away: set[dt.date] = set()
        self.tokens: dict[int, int] = defaultdict(int)
        self.quota: dict[str, int] = {}
        self.late_viewed: set[int] = set()
        self.swept_until = self.now

    # The clock -------------------------------------------------------------------------
    def at(self, when: dt.datetime, action, *args) -> None:
        heapq.heappush(self.heap, (max(when, self.now), next(self.order), action, args))

    def later(self, hours: float, start: dt.datetime | None = None) -> dt.datetime:
        """``hours`` of working time after ``start`` (default now)."""
        return self.calendar.add_working_time(start or self.now, dt.timedelta(hours=hours))

    def minutes(self, low: float, high: float) -> dt.datetime:
        return self.later(self.rng.uniform(low, high) / 60)

    def step(self, minutes: float) -> None:
        """Move the clock on by a few minutes inside one act (a round of approvals)."""
        self.now += dt.timedelta(minutes=minutes)
        self.traveller.move_to(self.now)

    def run(self, until: dt.datetime) -> None:
        while self.heap and self.heap[0][0] <= until:
            when, _n, action, args = heapq.heappop(self.heap)
            self.now = max(when, self.now)
            self.traveller.move_to(self.now)
            action(*args)

    # People ----------------------------------------------------------------------------
    def setup(self) -> None:
        from accounts.models import Role, User
        from permits.catalogue.loader import catalogue_load, read_catalogue
        from permits.models import OPD, PermitType
        from places.loading import places_load, read_places
        from places.selectors import gazetteer

        data = read_catalogue(Path(settings.CATALOGUE_FILE))
        wanted = {code for code, _w in TYPES}
        # The office as the world was written down (before the technical team, issue 22.1):
        # its types ask no other agency's recommendation, so the four months replay as
        # they did when the rules' parameters were last judged on them.
        data["permit_types"] = [
            {k: v for k, v in t.items() if k != "recommenders"}
            for t in data["permit_types"]
            if t["code"] in wanted
        ]
        places_load(data=read_places(Path(settings.PLACES_FILE)))
        catalogue_load(data=data)
        self.places = gazetteer()
        self.types = {
            pt.code: pt
            for pt in PermitType.objects.filter(code__in=[c for c, _w in TYPES]).select_related(
                "opd"
            )
        }
        units = {o.code: o for o in OPD.objects.all()}

        def staff(username, role, unit, name, boss=None):
            user = User(
                username=username,
                role=role,
                unit=units[unit],
                full_name=name,
                position=str(role),
                supervisor=boss,
                email=f"{username}@history.terang.invalid",
            )
            user.set_unusable_password()
            user.save()
            return user

        self.head = staff("kadis", Role.HEAD, "DPMPTSP", "Kepala Dinas")
        self.supervisor = staff("kabid", Role.SUPERVISOR, "DPMPTSP", "Kabid Pelayanan", self.head)
        self.counters = [
            staff(f"loket{i}", Role.COUNTER, "DPMPTSP", f"Petugas Loket {i}", self.supervisor)
            for i in range(1, 5)
        ]
        self.cashier = staff("kasir", Role.CASHIER, "DPMPTSP", "Bendahara", self.supervisor)
        self.technical = []
        for unit, count in (("DINKES", 3), ("DPUPR", 2), ("DISHUB", 1), ("DISNAKER", 1)):
            boss = staff(f"kabid.{unit.lower()}", Role.SUPERVISOR, unit, f"Kabid {unit}", self.head)
            for i in range(1, count + 1):
                self.technical.append(
                    staff(f"teknis.{unit.lower()}{i}", Role.TECHNICAL, unit, f"Teknis {unit}", boss)
                )
        self.users = {u.pk: u for u in User.objects.all()}
        self.nik = itertools.count(1)

    def person(self, name: str | None = None) -> tuple:
        rng = self.rng
        name = name or f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        return (
            name,
            f"3204{next(self.nik):012d}",
            f"Jl. {rng.choice(LAST)} No. {rng.randint(1, 99)}",
        )

    def account(self, person: tuple):
        from accounts.models import Role, User

        user = User.objects.filter(nik=person[1]).first()
        if user is None:
            user = User(
                username=f"p{person[1]}",
                role=Role.APPLICANT,
                full_name=person[0],
                nik=person[1],
                email=f"p{person[1]}@history.terang.invalid",
                email_verified_at=self.now,
            )
            user.set_unusable_password()
            user.save()
        return user

    def actor(self, user):
        from permits.services.context import Actor

        return Actor(user, IP, AGENT)

    # The plan --------------------------------------------------------------------------
    def plan(self) -> None:
        rng, n = self.rng, self.size
        scale = n / 480
        files: list[File] = []
        for name, codes, count in REPEATERS:
            who = self.person(name)
            for _i in range(max(1, round(count * scale))):
                files.append(File(0, rng.choice(codes), rng.random() < 0.5, who))
        self.brokers = []
        for k, (name, as_rep, codes) in enumerate(BROKERS):
            if scale < 0.2 and k:
                break
            who = self.person(name)
            officer = self.counters[k % len(self.counters)]
            self.brokers.append((who, officer))
            for _i in range(rng.randint(6, 9)):
                f = File(0, rng.choice(codes), True, self.person() if as_rep else who)
                f.representative = who if as_rep else None
                f.plant, f.broker_officer = "PAIR", officer
                files.append(f)
                key = ("officer-person", officer.pk, who[1])
                self.truth.subjects["PAIR"].add(key)
        codes, weights = zip(*TYPES, strict=True)
        while len(files) < n:
            files.append(
                File(0, rng.choices(codes, weights)[0], rng.random() < 0.45, self.person())
            )
        files = files[:n]
        rng.shuffle(files)
        # Days and moments of arrival.
        days, day_weights = [], []
        lebaran = [d for d in self._days() if self.calendar.holiday_name(d) and d.month == 3]
        rush_end = min(lebaran) if lebaran else dt.date(2026, 3, 18)
        for day in self._days():
            if not self.calendar.is_working_day(day):
                continue
            w = (1.3, 1.1, 1.0, 0.9, 0.7)[day.weekday()]
            if rush_end - dt.timedelta(days=15) <= day < rush_end:
                w *= 1.8
            if day < START + dt.timedelta(days=7):
                w *= 0.6
            days.append(day)
            day_weights.append(w)
        moments = []
        for f, day in zip(files, rng.choices(days, day_weights, k=len(files)), strict=True):
            if f.walk_in:
                moments.append(_local(day, rng.triangular(8.0, 14.5, 10.0)))
            else:
                moments.append(_local(day, rng.uniform(6.0, 23.0)))
        files = [f for _m, f in sorted(zip(moments, files, strict=True), key=lambda x: x[0])]
        moments.sort()
        for i, f in enumerate(files):
            f.index = i
        # Plants: drawn among one-off files, after the first two weeks (the office settles).
        quota = {
            k: max(2, round(v * scale))
            for k, v in (("FAST", 10), ("FLIP", 10), ("HOURS", 10), ("PARKED", 6))
        }
        self.quota = {"QUEUE": max(2, round(10 * scale)), "PRESSURE": max(2, round(10 * scale))}
        free = [
            f
            for f, m in zip(files, moments, strict=True)
            if not f.plant
            and f.person[0] not in {r[0] for r in REPEATERS}
            and m.date() > START + dt.timedelta(days=14)
        ]
        rng.shuffle(free)
        for plant, count in quota.items():
            for f in free:
                if count == 0:
                    break
                pt = self.types[f.code]
                if f.plant or pt.sop_unit == "hours":
                    continue
                if plant == "FAST" and pt.sop_duration < 3:
                    continue
                if plant in {"HOURS", "PARKED"} and not pt.needs_technical_review:
                    continue
                f.plant = plant
                count -= 1
        for f, m in zip(files, moments, strict=True):
            self.at(m, self.arrive, f)
        # The office's days: the night sweep, reminders, supervisors' rounds, the head's.
        for day in self._days():
            self.at(_local(day, 1.0), self.sweep)
            if not self.calendar.is_working_day(day):
                continue
            if rng.random() < 0.10:
                self.head_away.add(day)
            self.at(_local(day, 9.0), self.reminders)
            self.at(_local(day, 9.5), self.views_round, 0.04, 0.01)
            self.at(_local(day, rng.uniform(9.8, 10.4)), self.approval_round)
            self.at(_local(day, 13.5), self.views_round, 0.04, 0.01)
            self.at(_local(day, rng.uniform(13.8, 14.4)), self.approval_round)
            if rng.random() < 0.3:  # a late round before leaving (15:30-16:00, staff hours)
                self.at(_local(day, rng.uniform(15.5, 15.95)), self.approval_round)
            self.at(_local(day, rng.uniform(14.9, 15.2)), self.signing_round)

    def _days(self):
        day = START
        while day <= END:
            yield day
            day += dt.timedelta(days=1)

    def decoy(self, kind: str, f: File, *others: tuple) -> None:
        self.truth.decoys[kind] += 1
        for subject in (("file", f.pk), *others):
            self.truth.labels[subject].add(kind)

    # Routines --------------------------------------------------------------------------
    def sweep(self) -> None:
        """The nightly sweep over the day's events. Its default overlap of a day is there
        for tasks a broker outage lost; none are lost here, so each night starts where the
        last ended (every event is looked at once, the running-late check every night)."""
        from integrity.inspection.flags.engine import flags_sweep

        flags_sweep(since=self.swept_until)
        self.swept_until = self.now

    def reminders(self) -> None:
        from permits.services.reminders import sla_reminders_send

        sla_reminders_send()

    def views_round(self, supervisor_share: float, head_share: float) -> None:
        from permits.models import Application
        from permits.services.views_log import file_view_record

        open_files = [
            pk for pk, f in self.files.items() if f.finished is None and f.stage != "returned"
        ]
        apps = Application.objects.in_bulk(open_files)
        late = Application.objects.filter(pk__in=open_files, sop_deadline__lt=self.now)
        for pk in late.values_list("pk", flat=True):
            if pk not in self.late_viewed:
                self.late_viewed.add(pk)
                file_view_record(application=apps[pk], actor=self.actor(self.supervisor))
                self.decoy("late file opened by the supervisor", self.files[pk])
        for pk in open_files:
            if self.rng.random() < supervisor_share:
                file_view_record(application=apps[pk], actor=self.actor(self.supervisor))
                self.decoy("supervisor's monitoring view", self.files[pk])
            if self.rng.random() < head_share:
                file_view_record(application=apps[pk], actor=self.actor(self.head))
                self.decoy("head's monitoring view", self.files[pk])

    # A file's life ---------------------------------------------------------------------
    def app(self, f: File):
        from permits.models import Application

        return Application.objects.select_related("permit_type", "assigned_to").get(pk=f.pk)

    def declare(self, app, officer) -> None:
        from integrity.conflicts.services.declarations import declaration_needed, file_declare

        if declaration_needed(app, officer):
            file_declare(application=app, actor=self.actor(officer), has_conflict=False)

    def fire(self, f: File, name: str, **kwargs):
        from permits.services.applications import transition_fire

        app = self.app(f)
        officer = app.assigned_to if name not in {"confirm_payment"} else self.cashier
        self.declare(app, officer)
        return transition_fire(application=app, name=name, actor=self.actor(officer), **kwargs)


def history_generate(*, files: int = 480, seed: int = 1) -> Truth:
    """Live the office's four months on the current (empty) database; see the docstring."""
    import time_machine
    from django.core.cache import cache

    from integrity.inspection.flags.engine import flags_sweep
    from permits.models import ApplicationEvent
    from worktime.calendar import _VERSION_KEY, invalidate_calendar

    started, cpu = time.perf_counter(), time.process_time()
    # The calendar's rows do not change during the history, but its cached version expires
    # with the (travelled) clock and would be rebuilt at nearly every act: pin it meanwhile.
    invalidate_calendar()
    cache.set(_VERSION_KEY, cache.get(_VERSION_KEY), timeout=None)
    with time_machine.travel(_local(START, 0), tick=False) as traveller:
        office = Office(files=files, seed=seed, traveller=traveller)
        office.setup()
        office.plan()
        end = _local(END + dt.timedelta(days=1), 2.0)
        office.run(end)
        office.now = end
        traveller.move_to(end)
        flags_sweep(since=office.swept_until)
        office.late_truth(end)
    invalidate_calendar()  # a version with the usual lifetime again
    truth = office.truth
    truth.files = len(office.files)
    truth.events = ApplicationEvent.objects.count()
    truth.seconds = time.perf_counter() - started
    truth.cpu_seconds = time.process_time() - cpu
    truth.decoys = dict(truth.decoys)
    return truth


def history_rejudge(truth: Truth) -> None:
    """Judge a kept history again: drop its flags, then replay each night's sweep at its
    moment (01:00, the day's events), as ``history_generate`` ran them. The rules see the
    whole stored history, not the history as it stood that night; each looks only at
    events before the one it judges (the running-late check over open files is the
    exception: every file is closed by now, so LATE is judged by the signing alone)."""
    import time_machine

    from integrity.inspection.flags.engine import flags_sweep
    from integrity.models import Flag, FlagBaseline
    from worktime.calendar import invalidate_calendar

    Flag.objects.all().delete()
    FlagBaseline.objects.all().delete()  # each night computes its own, as it did
    invalidate_calendar()
    since = _local(START, 0)
    day = START
    with time_machine.travel(since, tick=False) as traveller:
        while day <= END + dt.timedelta(days=1):
            moment = _local(day, 1.0)
            traveller.move_to(moment)
            flags_sweep(since=since)
            since, day = moment, day + dt.timedelta(days=1)


def rejudge_main(path: Path) -> None:
    from django.db import transaction

    truth = pickle.loads(path.read_bytes())  # noqa: S301 (a file this script wrote, --truth)
    started = time.perf_counter()
    with transaction.atomic():
        history_rejudge(truth)
        table = score_table(scores(truth))
        wrong = false_flags(truth)
        transaction.set_rollback(True)
    print(f"judged again in {time.perf_counter() - started:.0f} s")
    print(table)
    for rule, kinds in sorted(wrong.items()):
        print(f"{rule} flags not about its own plants, by what their subject went through:")
        for labels, count in kinds.most_common(8):
            print(f"  {count:4}  {labels}")


def main() -> None:
    import tempfile

    from django.db import connection, transaction
    from django.test.utils import override_settings

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=480)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="commit the history (else rolled back)")
    parser.add_argument(
        "--truth", type=Path, help="with --keep: save what was planted here (for --rejudge)"
    )
    parser.add_argument(
        "--rejudge",
        type=Path,
        metavar="TRUTH",
        help="judge a kept history again with the rules as they are now (no new history)",
    )
    args = parser.parse_args()
    if args.rejudge:
        return rejudge_main(args.rejudge)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.conf import settings

    if not Path(settings.SIGNING_KEY_FILE).is_file():
        # Without a signer no file is ever issued (a fresh checkout): the development one.
        call_command("signing_dev_ca")
    from permits.models import Application

    if Application.objects.exists():
        sys.exit("This database has files already: use an empty one (see bench/README.md).")
    with (
        tempfile.TemporaryDirectory() as media,
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        truth = history_generate(files=args.files, seed=args.seed)
        table = score_table(scores(truth))
        wrong = false_flags(truth)
        transaction.set_rollback(not args.keep)
    if args.keep and args.truth:
        args.truth.write_bytes(pickle.dumps(truth))
    print(
        f"{truth.files} files, {truth.events} events in {truth.seconds:.0f} s, "
        f"{truth.cpu_seconds:.0f} s of CPU ({1000 * truth.seconds / max(truth.events, 1):.1f} ms "
        f"per event, {1000 * truth.cpu_seconds / max(truth.events, 1):.1f} ms of CPU; "
        f"{connection.vendor}, seed {args.seed})"
    )
    print(table)
    print("decoys: " + ", ".join(f"{k} {v}" for k, v in sorted(truth.decoys.items())))
    for rule, kinds in sorted(wrong.items()):
        print(f"{rule} flags not about its own plants, by what their subject went through:")
        for labels, count in kinds.most_common(8):
            print(f"  {count:4}  {labels}")


if __name__ == "__main__":
    main()
