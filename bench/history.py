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

The distributions below were written down from how an Indonesian DPMPTSP (Mal Pelayanan
Publik) works, before reading any rule's parameters, and are not to be tuned to them.
Working hours (jam kerja) are counted on the office's calendar; "h" is a working hour.

The office
----------
- DPMPTSP: 4 counter officers (petugas loket), 1 cashier (bendahara penerimaan), ONE
  supervisor (Kabid Pelayanan: every approval in the office is hers, a stage held by one
  person), the head (Kepala Dinas: signs every permit). DINKES 3 technical officers,
  DPUPR 2, DISHUB 1 and DISNAKER 1 (each alone in its unit: every technical file of the
  unit is theirs).
- Permit types from the real catalogue: health practice permits (3-day SOP, about 40% of
  files: the volume of a regency's MPP), hour-SOP types (same-day service: 2-4 hours,
  about 20%), and longer types with inspection and a fee (DPUPR, DISHUB, DINKES clinics;
  7-14 days, about 40%).
- Staff work 07:30-16:00 (ASN office hours); the counter serves 08:00-15:30 (Friday
  15:00). Internal work (review, approval, signing) may fall between 15:30 and 16:00 and
  from 07:30: that is the office's normal day, not misconduct.

Arrivals
--------
- About ``files`` over the working days of the period (Poisson per day): Monday 1.3x,
  Tuesday 1.1x, Wednesday 1.0x, Thursday 0.9x, Friday 0.7x (Friday prayers, short day).
- Busy weeks: the two working weeks before the Lebaran cuti bersama 1.8x (businesses
  want permits before the holiday); the first week of January 0.6x.
- 45% walk-in at the counter (submitted 08:00-14:30, mostly mid-morning), 55% online
  (submitted 06:00-23:00: applicants act when they like; not staff acts).
- Applicants: 80% of files from one-off applicants; 20% from 10 legitimate repeat
  applicants (a pharmacy chain, a clinic group, contractors, a transport company whose
  files all go to DISHUB's only technical officer) with 4-12 files each.
- 18% of files are returned at verification (1-2 requirements missing or invalid); the
  applicant comes back after 1-6 calendar days (lognormal, median 2) with a NEW document
  (new content) and resubmits; the officer re-checks it and completes it, often the same
  day.

Honest handling (each officer a queue)
--------------------------------------
- Counter: a walk-in file is begun at the desk 5-30 minutes after submission (the
  applicant is standing there: served ahead of online files, by the queue number). Online
  files wait in the assigned officer's queue, taken earliest SOP deadline first (hour-SOP
  files first, as their SOP demands), ties by arrival; 15% of picks take the second file
  instead of the first (a colleague asked, the first one needs a phone call).
- Verification work: lognormal median 0.5 h, sigma 0.5.
- Technical review: the technical officer's queue, earliest deadline first; work
  lognormal median 25% of the type's SOP hours (sigma 0.5), at least 0.5 h.
- Inspection: scheduled 1-4 working days after review (field trips are batched), the
  report filed at the end of that day's field work.
- Payment (types with a fee): the applicant pays at the cashier after 0.3-3 calendar
  days (clock paused).
- Approval: the single supervisor approves in two rounds a day (about 10:00 and 14:00).
- Signing: the head signs once a day around 15:00; 10% of working days the head is away
  (dinas luar) and signs the next working day.
- Hour-SOP types: every stage within 10-40 minutes, the same day.
- Night work on a deadline: 4% of technical reviews whose file is due within a working
  day are finished 16:00-19:00 (lembur), and 2% of approvals at 15:30-16:00.
- Holidays and cuti bersama: nobody works; Monday after Lebaran carries the backlog.

Decoys: honest acts that look like misconduct
---------------------------------------------
1. Same-day SOP files finished in one to three hours.
2. Simple complete files in a quiet week finishing well inside their SOP.
3. Returns with a new document, resubmitted and completed the same day.
4. A mis-click: a requirement marked invalid then corrected to ok by the same officer 2-10
   minutes later with a note (3% of verifications).
5. Original shown at the counter: a requirement marked missing, the applicant brings it the
   same day, the counter officer uploads a scan (new content) and marks it ok (3%).
6. Walk-ins served at the desk before online files; hour-SOP files and files close to their
   deadline taken first.
7. Repeat applicants spread by the automatic least-loaded assignment; a transport
   company's files all with DISHUB's only technical officer; every approval by the one
   supervisor, every signature by the head.
8. Work between 15:30 and 16:00 and from 07:30; overtime to 19:00 on a file due.
9. Supervisor monitoring: she opens about 20% of open files each week, the head about 5%;
   after a file turns late she opens it and its holder finishes it soon (it is due).

Plants (misconduct; counts for 480 files, scaled with ``files``)
----------------------------------------------------------------
- FAST (10): a fast-tracked file (uang pelicin): every stage done 10-60 minutes after the
  previous one, the inspection written up without a visit, 1-6 working hours in all on a
  type whose SOP is 3 days or more, taken ahead of whoever waits.
- FLIP (10): a requirement found missing or invalid with a note; 1-3 working days later,
  with no new content, the officer turns it ok ("sudah dikonfirmasi") or, half the time,
  after uploading a re-saved copy of the same scan (other bytes, same document), then
  declares the file complete within the hour.
- QUEUE (10): the holder takes a file that entered their queue 0-3 working hours ago ahead
  of 2-6 files waiting for 1-3 working days, for no deadline reason.
- PAIR (3 pairs): a counter officer and a "biro jasa" applicant with 6-9 files, each handed
  to that officer by the supervisor on the applicant's request.
- HOURS (10 acts): an officer acts at 19:00-23:30 on a weekday, or in daytime on a weekend
  or holiday, on a file not due within a working day.
- LATE: every file that passed its SOP deadline, by the simulated clock (busy weeks,
  backlog after Lebaran, the head away), plus 6 "parked" files an officer sits on until
  1.3-2x their SOP.
- PRESSURE (10): the supervisor or the head opens the file (or posts a message on it) and
  within 5-55 minutes its holder finishes the stage or turns a verdict, while 1-5 older
  files wait in the holder's queue.

Amendments made while implementing (after the rules were read; none moves a plant or a
decoy towards or away from a threshold):

- Technical review is modelled per file (each file's review takes its own lognormal time
  from entering the stage), not as one queue per officer: a complex file finishes after
  a simpler one that came later, as in a real office. Inspection trips are as written.
- Overtime: when a review would finish after its file's deadline, 30% are finished the
  evening of the deadline day (16:30-19:00); the supervisor holds a late approval round
  at 15:30-16:00 on 30% of days.
- QUEUE and PRESSURE plants happen in technical review (where files wait long enough to be
  jumped in an office of this size), PRESSURE by finishing the review; none at the counter.
- The SLA reminders run once a day at 09:00 (hourly in production), the nightly sweep
  covers each day once (see ``Office.sweep``). Tiny histories (under 96 files) have one
  biro jasa only.

A file planted for one rule is in that rule's truth only; when a plant also jumped files
waiting in its holder's queue (FAST, PRESSURE, FLIP under pressure), it is in QUEUE's
truth too, since it did jump the queue.

Amended in session 9, after reading which plants the reworked QUEUE missed on seed 1: a
plant "jumped" only files ahead of it in the queue's own order, earliest deadline first
(as written above), i.e. due no later than itself. Before, passing any earlier arrival
counted, so a three-day file reviewed before a fourteen-day one that came a day earlier
(and is due ten days later) was a jump by the truth and a correct order by the office's
rule. No plant, decoy or distribution changed; seeds 5 and 6 were generated before this
and judged only after.

Also amended then: whether a plant jumped is judged as it leaves the stage (the files that
came before it and are still there), not as it enters (a file that left in the meantime
was not passed); at the counter only for an online file (a walk-in is served at once by
design, decoy 6).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import heapq
import itertools
import math
import os
import pickle
import random
import sys
import time
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

if __name__ == "__main__":  # run as a script: set Django up first
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DEBUG", "1")  # a benchmark database, never a deployment
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile

from bench.documents import page_pdf

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
START = dt.date(2026, 1, 5)
END = dt.date(2026, 4, 30)
IP, AGENT = "10.20.0.7", "terang-history"

# (code, weight): the permit types this office serves and their share of files.
TYPES = [
    ("KES-SIP-DOKTER", 8), ("KES-SIP-PERAWAT", 8), ("KES-SIP-BIDAN", 6),
    ("KES-SIP-APOTEKER", 6), ("KES-SIP-DOKTER-GIGI", 4), ("KES-SIP-TTK", 4),
    ("KES-SIP-FISIOTERAPIS", 2), ("KES-SIP-ATLM", 2),
    ("NAKER-KARTU-AK1", 12), ("HUB-INSIDENTIL", 5), ("NAKER-PENCATATAN-PKWT", 3),
    ("KES-IZIN-APOTEK", 4), ("KES-IZIN-TOKO-OBAT", 3), ("KES-KLINIK-PRATAMA", 3),
    ("KES-SLHS", 3), ("PU-PBG", 6), ("PU-SLF", 3), ("PU-KRK", 4), ("PU-RUMIJA", 2),
    ("HUB-TRAYEK-PERDESAAN", 3), ("HUB-PARKIR", 2), ("HUB-REK-NUMPANG-UJI", 3),
    ("NAKER-PENGESAHAN-PP", 2), ("NAKER-IZIN-LEMBUR", 2),
]  # fmt: skip
# Legitimate repeat applicants: (name, types they file, how many files).
REPEATERS = [
    ("Apotek Sehat Sentosa", ["KES-IZIN-APOTEK", "KES-SIP-APOTEKER", "KES-SIP-TTK"], 10),
    ("Klinik Pratama Medika", ["KES-SIP-DOKTER", "KES-SIP-PERAWAT", "KES-SIP-BIDAN"], 12),
    ("RS Mitra Keluarga Sukamaju", ["KES-SIP-DOKTER", "KES-SIP-PERAWAT", "KES-SIP-ATLM"], 11),
    ("CV Karya Bangun", ["PU-PBG", "PU-SLF", "PU-KRK"], 9),
    ("PT Griya Asri Properti", ["PU-PBG", "PU-KRK", "PU-SLF"], 10),
    ("PO Sinar Jaya Transport", ["HUB-TRAYEK-PERDESAAN", "HUB-REK-NUMPANG-UJI"], 9),
    ("Koperasi Angkutan Desa", ["HUB-INSIDENTIL", "HUB-TRAYEK-PERDESAAN"], 8),
    ("PT Tekstil Nusantara", ["NAKER-PENGESAHAN-PP", "NAKER-IZIN-LEMBUR"], 7),
    ("LPK Cahaya Prima", ["NAKER-KARTU-AK1", "NAKER-PENCATATAN-PKWT"], 6),
    ("Toko Obat Berkah", ["KES-IZIN-TOKO-OBAT", "KES-SIP-TTK"], 5),
]
# Biro jasa (agents) in league with a counter officer: (name, as representative?, types).
BROKERS = [
    ("Biro Jasa Amanah", False, ["PU-PBG", "PU-KRK", "KES-IZIN-TOKO-OBAT"]),
    ("CV Urus Cepat", False, ["KES-SIP-DOKTER", "KES-SIP-PERAWAT", "HUB-REK-NUMPANG-UJI"]),
    ("Pak Darto (kuasa)", True, ["PU-SLF", "PU-PBG", "KES-IZIN-APOTEK"]),
]
FIRST = [
    "Agus",
    "Budi",
    "Citra",
    "Dedi",
    "Eka",
    "Fitri",
    "Gita",
    "Hadi",
    "Indah",
    "Joko",
    "Kartika",
    "Lina",
    "Made",
    "Nanda",
    "Oki",
    "Putri",
    "Rizki",
    "Sari",
    "Tono",
    "Umi",
    "Vina",
    "Wahyu",
    "Yanti",
    "Zainal",
]
LAST = [
    "Saputra",
    "Wijaya",
    "Lestari",
    "Hidayat",
    "Kusuma",
    "Pratama",
    "Santoso",
    "Rahmawati",
    "Nugroho",
    "Siregar",
    "Harahap",
    "Simanjuntak",
    "Wibowo",
    "Susanti",
    "Setiawan",
    "Gunawan",
]

# Rules whose truth is per file; the others name an officer and a day or a person.
FILE_RULES = {"FAST", "FLIP", "QUEUE", "LATE", "PRESSURE", "HELD", "COI"}
PLANTED_RULES = ("FAST", "FLIP", "QUEUE", "PAIR", "HOURS", "LATE", "PRESSURE")


@dataclass
class Truth:
    """What was planted (and what happened), per rule, as flag subjects (``flag_subject``)."""

    files: int = 0
    events: int = 0
    seconds: float = 0.0
    cpu_seconds: float = (
        0.0  # this process only (the database's own work is not in it on PostgreSQL)
    )
    subjects: dict[str, set] = field(default_factory=lambda: {r: set() for r in PLANTED_RULES})
    decoys: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # What each subject (a file, an officer's day) went through: its type, its plant, the
    # look-alikes it met. For reading which honest subjects a rule flags.
    labels: dict[tuple, set] = field(default_factory=lambda: defaultdict(set))


def flag_subject(flag) -> tuple:
    """What a flag is about, comparable with ``Truth.subjects``."""
    if flag.rule == "HOURS":
        return ("officer-day", flag.officer_id, flag.detail.get("day"))
    if flag.rule == "PAIR":
        return ("officer-person", flag.officer_id, flag.key.rsplit(":", 1)[1])
    return ("file", flag.application_id)


@dataclass
class Score:
    rule: str
    planted: int
    flagged: int
    true_flags: int  # about a subject planted for this rule
    found: int
    other_plants: int = 0  # about a file planted for another rule: misconduct all the same
    found_by_any: int = 0  # planted subjects some rule (this one or another) flagged

    @property
    def precision(self) -> float | None:
        """The share of flags behind which an auditor finds misconduct (this rule's plant or
        another's); ``own_precision`` counts this rule's plants only."""
        return (self.true_flags + self.other_plants) / self.flagged if self.flagged else None

    @property
    def own_precision(self) -> float | None:
        return self.true_flags / self.flagged if self.flagged else None

    @property
    def recall(self) -> float | None:
        return self.found / self.planted if self.planted else None

    @property
    def recall_any(self) -> float | None:
        """What an auditor reading the whole queue gets: the share of this rule's planted
        subjects that carry some flag (a fast-tracked file that jumped the queue is in
        QUEUE's truth too, and may be flagged by FAST alone)."""
        return self.found_by_any / self.planted if self.planted else None


def _planted(truth: Truth, subject: tuple) -> bool:
    return any(label.startswith("planted ") for label in truth.labels.get(subject, ()))


def scores(truth: Truth) -> dict[str, Score]:
    """Precision (share of a rule's flags about a planted subject) and recall (share of
    planted subjects with a flag) per rule, over the flags now stored."""
    from integrity.models import Flag

    flagged: dict[str, list] = defaultdict(list)
    for flag in Flag.objects.all():
        flagged[flag.rule].append(flag_subject(flag))
    anything = {subject for subjects in flagged.values() for subject in subjects}
    out = {}
    for rule in sorted(set(truth.subjects) | set(flagged)):
        planted, subjects = truth.subjects.get(rule, set()), flagged.get(rule, [])
        out[rule] = Score(
            rule,
            planted=len(planted),
            flagged=len(subjects),
            true_flags=sum(1 for s in subjects if s in planted),
            found=len(planted & set(subjects)),
            other_plants=sum(1 for s in subjects if s not in planted and _planted(truth, s)),
            found_by_any=len(planted & anything),
        )
    return out


def _describe(flag) -> str:
    """A flag whose subject the history recorded nothing about: who did what, when."""
    event = flag.evidence.order_by("created_at").first()
    if event is None:
        return f"{flag.rule} {flag.detail}"
    local = event.created_at.astimezone(JAKARTA)
    who = event.actor.username if event.actor else "-"
    return f"{who} {event.action} {local:%a %H:%M}"


def false_flags(truth: Truth) -> dict[str, Counter]:
    """Per rule, what the subjects of its false flags went through (``Truth.labels``)."""
    from integrity.models import Flag

    out: dict[str, Counter] = defaultdict(Counter)
    for flag in Flag.objects.all():
        subject = flag_subject(flag)
        if subject in truth.subjects.get(flag.rule, set()):
            continue
        labels = truth.labels.get(subject) or {_describe(flag)}
        out[flag.rule][", ".join(sorted(labels))] += 1
    return dict(out)


def score_table(result: dict[str, Score]) -> str:
    def number(x):
        return "   -" if x is None else f"{x:4.2f}"

    lines = [
        f"{'rule':8} {'planted':>7} {'flags':>6} {'own':>4} {'other':>5} "
        f"{'precision':>9} {'own only':>8} {'recall':>6} {'by any':>6}"
    ]
    for s in result.values():
        lines.append(
            f"{s.rule:8} {s.planted:7} {s.flagged:6} {s.true_flags:4} {s.other_plants:5} "
            f"{number(s.precision):>9} {number(s.own_precision):>8} {number(s.recall):>6}"
            f" {number(s.recall_any):>6}"
        )
    return "\n".join(lines)


def _local(day: dt.date, hour: float) -> dt.datetime:
    h, m = int(hour), round((hour % 1) * 60)
    if m == 60:
        h, m = h + 1, 0
    return dt.datetime.combine(day, dt.time(h, m), tzinfo=JAKARTA)


def _lognormal(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(rng.gauss(0, sigma))


@dataclass
class File:
    """The simulation's own bookkeeping of one file (never read back by the rules)."""

    index: int
    code: str
    walk_in: bool
    person: tuple  # (name, nik, address)
    account: object = None  # the applicant's account for an online file
    representative: tuple | None = None
    plant: str = ""  # FAST, FLIP, QUEUE, PAIR, HOURS, PARKED, PRESSURE or ""
    broker_officer: object = None
    pk: int = 0
    stage: str = "draft"
    stage_since: dt.datetime | None = None
    holder: int | None = None
    queue_entries: list = field(default_factory=list)  # [start, end or None]
    clock_start: dt.datetime | None = None
    pauses: list = field(default_factory=list)  # [start, end or None]
    finished: dt.datetime | None = None
    returned_once: bool = False
    accelerated: bool = False  # a plant pushes it through (no round, no queue)


def _document(f: File, requirement, variant: str) -> ContentFile:
    """A small valid upload: a PDF whose words name this file, this requirement and this
    document (``variant``; "-resaved" is the same document saved again: other bytes, the
    same words), or a PNG (no words) whose bytes are its own."""
    tag = f"{f.index}-{requirement.code}-{variant}".encode()
    if "pdf" in requirement.formats:
        document = variant.removesuffix("-resaved")
        text = f"Dokumen {requirement.code} nomor {f.index}/{document} untuk berkas {f.index}"
        resaved = b"disimpan ulang" if variant.endswith("-resaved") else b""
        return ContentFile(page_pdf(text, resaved, size=14), name=f"{requirement.code}.pdf")
    return ContentFile(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32 + tag, name=f"{requirement.code}.png")


class Office:
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

        data = read_catalogue(Path(settings.CATALOGUE_FILE))
        wanted = {code for code, _w in TYPES}
        data["permit_types"] = [t for t in data["permit_types"] if t["code"] in wanted]
        catalogue_load(data=data)
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

    def arrive(self, f: File) -> None:
        from permits.services.applications import application_create, application_submit
        from permits.services.documents import document_upload

        pt = self.types[f.code]
        if f.walk_in:
            creator = self.rng.choice(self.counters)
        else:
            creator = f.account = self.account(f.person)
        extra = {}
        if f.representative:
            extra = {
                "representative_name": f.representative[0],
                "representative_nik": f.representative[1],
            }
        app = application_create(
            permit_type=pt,
            actor=self.actor(creator),
            applicant_name=f.person[0],
            applicant_nik=f.person[1],
            applicant_address=f.person[2],
            applicant_phone=f"+62812{f.index:07d}",
            **extra,
        )
        for check in app.checks.select_related("requirement"):
            if check.requirement.mandatory or self.rng.random() < 0.5:
                document_upload(
                    application=app,
                    requirement=check.requirement,
                    uploaded=_document(f, check.requirement, "1"),
                    actor=self.actor(creator),
                )
        app = application_submit(application=app, actor=self.actor(creator))
        f.pk = app.pk
        self.files[f.pk] = f
        self.queued(f, app)
        if f.plant == "PAIR" and app.assigned_to_id != f.broker_officer.pk:
            self.at(self.minutes(1, 4), self.broker_reassign, f)

    def queued(self, f: File, app) -> None:
        """The file joined the counter's queue (submitted or resubmitted)."""
        f.stage, f.stage_since, f.holder = "submitted", self.now, app.assigned_to_id
        f.queue_entries.append([self.now, None])
        if f.plant == "FAST":
            f.accelerated = True
            self.at(self.minutes(10, 60), self.begin, f, None)
        elif f.walk_in:  # the applicant stands at the desk: served by queue number
            if self.queues[f.holder]:
                self.decoy("walk-in served before waiting online files", f)
            self.at(self.minutes(5 if f.plant != "PAIR" else 8, 30), self.begin, f, None)
        else:
            self.queues[f.holder].append(f)
            self.dispatch(f.holder)

    def broker_reassign(self, f: File) -> None:
        from permits.services.applications import application_reassign

        app = self.app(f)
        if app.state != "submitted" or app.assigned_to_id == f.broker_officer.pk:
            return
        application_reassign(
            application=app,
            officer=f.broker_officer,
            actor=self.actor(self.supervisor),
            reason="Pemohon meminta ditangani petugas yang sama seperti sebelumnya.",
        )
        f.holder = f.broker_officer.pk

    def dispatch(self, officer: int) -> None:
        if officer in self.busy or not self.queues[officer]:
            return
        queue = self.queues[officer]
        queue.sort(key=lambda g: (self.types[g.code].sop_unit != "hours", g.stage_since, g.index))
        pick = 1 if len(queue) > 1 and self.rng.random() < 0.15 else 0
        f = queue.pop(pick)
        if pick:
            self.decoy("second file of the queue taken first", f)
        self.busy.add(officer)
        start = self.calendar.next_working_moment(self.now) + dt.timedelta(
            minutes=self.rng.uniform(0, 15)
        )
        self.at(start, self.begin, f, officer)

    def release(self, officer: int | None) -> None:
        if officer is not None:
            self.busy.discard(officer)
            self.dispatch(officer)

    def begin(self, f: File, queue_of: int | None) -> None:
        state = self.app(f).state
        if f.stage != "submitted" or state not in {"submitted", "verification"}:
            return self.release(queue_of)
        if state == "submitted":  # a resubmitted file is back in verification already
            if f.accelerated and not f.walk_in:  # a walk-in is served at once by design
                self.jumped(f, list(self.queues[f.holder]))
            self.fire(f, "begin_verification")
        f.stage = "verification"
        pt = self.types[f.code]
        if f.accelerated or pt.sop_unit == "hours":
            work = self.rng.uniform(10, 30) / 60
        else:
            work = _lognormal(self.rng, 0.5, 0.5)
        self.at(self.later(work), self.verify, f, queue_of)

    def verify(self, f: File, queue_of: int | None) -> None:
        from permits.models import CheckStatus
        from permits.services.applications import application_return
        from permits.services.checks import check_update

        app = self.app(f)
        officer = app.assigned_to
        checks = list(app.checks.select_related("requirement").order_by("requirement__position"))
        documented = [c for c in checks if app.documents.filter(requirement=c.requirement).exists()]
        mandatory = [c for c in documented if c.requirement.mandatory]
        roll = self.rng.random()
        if f.plant == "FLIP" and not f.returned_once:
            bad = self.rng.choice(mandatory)
            check_update(
                check=bad,
                status=CheckStatus.INVALID,
                note="Pindaian buram, tidak terbaca.",
                actor=self.actor(officer),
            )
            for c in checks:
                if c.pk != bad.pk:
                    check_update(check=c, status=CheckStatus.OK, note="", actor=self.actor(officer))
            f.returned_once = True  # found wanting (not returned)
            self.at(self.later(self.rng.uniform(1, 3) * 7.5), self.flip_turn, f, bad.pk)
            return self.release(queue_of)
        if not f.plant and not f.returned_once and roll < 0.18:
            bad = self.rng.sample(mandatory, k=min(len(mandatory), self.rng.choice((1, 1, 2))))
            findings = {
                c.pk: (
                    self.rng.choice((CheckStatus.MISSING, CheckStatus.INVALID)),
                    "Dokumen tidak sesuai ketentuan; unggah dokumen yang benar.",
                )
                for c in bad
            }
            application_return(application=app, actor=self.actor(officer), findings=findings)
            f.stage, f.returned_once = "returned", True
            f.queue_entries[-1][1] = self.now
            days = _lognormal(self.rng, 2, 0.6)
            back = self.now + dt.timedelta(days=min(days, 10))
            if f.walk_in or not 6 <= back.astimezone(JAKARTA).hour < 23:
                back = self.calendar.next_working_moment(back)
            self.at(back, self.comeback, f)
            return self.release(queue_of)
        if not f.plant and 0.18 <= roll < 0.21 and mandatory:
            c = self.rng.choice(mandatory)
            check_update(
                check=c, status=CheckStatus.INVALID, note="Tidak sesuai.", actor=self.actor(officer)
            )
            self.decoy("mis-click corrected", f)
            self.at(
                self.minutes(2, 10), self.correct, f, c.pk, queue_of, "Salah pilih; dokumen sesuai."
            )
            return
        if not f.plant and 0.21 <= roll < 0.24 and mandatory and f.walk_in:
            c = self.rng.choice(mandatory)
            check_update(
                check=c,
                status=CheckStatus.MISSING,
                note="Mohon tunjukkan dokumen asli.",
                actor=self.actor(officer),
            )
            self.decoy("original shown at the counter, scan uploaded", f)
            self.at(self.minutes(30, 180), self.correct, f, c.pk, queue_of, "")
            return
        self.complete(f, checks, officer)
        self.release(queue_of)

    def correct(self, f: File, check_pk: int, queue_of, note: str) -> None:
        from permits.models import CheckStatus, RequirementCheck
        from permits.services.checks import check_update
        from permits.services.documents import document_upload

        app = self.app(f)
        officer = app.assigned_to
        check = RequirementCheck.objects.select_related("requirement").get(pk=check_pk)
        if not note:  # the original shown: the officer scans it
            document_upload(
                application=app,
                requirement=check.requirement,
                uploaded=_document(f, check.requirement, "scan"),
                actor=self.actor(officer),
            )
        check_update(check=check, status=CheckStatus.OK, note=note, actor=self.actor(officer))
        self.complete(f, list(app.checks.select_related("requirement")), officer)
        self.release(queue_of)

    def complete(self, f: File, checks, officer) -> None:
        from permits.models import CheckStatus
        from permits.services.checks import check_update

        for c in checks:
            c.refresh_from_db()
            if c.status != CheckStatus.OK:
                check_update(check=c, status=CheckStatus.OK, note="", actor=self.actor(officer))
        app = self.fire(f, "declare_complete")
        f.queue_entries[-1][1] = self.now
        f.clock_start = f.clock_start or self.now
        self.entered(f, app)

    def flip_turn(self, f: File, check_pk: int) -> None:
        from permits.models import CheckStatus, RequirementCheck
        from permits.services.checks import check_update
        from permits.services.documents import document_upload

        app = self.app(f)
        officer = app.assigned_to
        check = RequirementCheck.objects.select_related("requirement").get(pk=check_pk)
        note = "Sudah dikonfirmasi."
        if self.rng.random() < 0.5:  # a re-saved copy of the same scan: other bytes
            document_upload(
                application=app,
                requirement=check.requirement,
                uploaded=_document(f, check.requirement, "1-resaved"),
                actor=self.actor(officer),
            )
            note = ""
        check_update(check=check, status=CheckStatus.OK, note=note, actor=self.actor(officer))
        self.truth.subjects["FLIP"].add(("file", f.pk))
        self.at(self.minutes(0, 60), self.flip_complete, f)

    def flip_complete(self, f: File) -> None:
        app = self.app(f)
        self.complete(f, list(app.checks.select_related("requirement")), app.assigned_to)

    def comeback(self, f: File) -> None:
        from permits.services.applications import application_resubmit
        from permits.services.checks import checks_awaiting_replacement
        from permits.services.documents import document_upload

        app = self.app(f)
        who = f.account if not f.walk_in else self.rng.choice(self.counters)
        for check in checks_awaiting_replacement(application=app):
            document_upload(
                application=app,
                requirement=check.requirement,
                uploaded=_document(f, check.requirement, "2"),
                actor=self.actor(who),
            )
        app = application_resubmit(application=app, actor=self.actor(who))
        self.decoy("return with a new document, resubmitted", f)
        self.queued(f, app)

    def jumped(self, f: File, waiting: list[File]) -> None:
        """A plant that passes a file ahead of it in the queue of the same officer and
        stage jumped the queue: QUEUE's truth. The office's queue order is earliest
        deadline first (see the docstring), so a file ahead is one due no later than this
        one, whatever its type or age."""
        from permits.models import Application

        if not waiting:
            return
        due = dict(
            Application.objects.filter(pk__in=[g.pk for g in waiting] + [f.pk]).values_list(
                "pk", "sop_deadline"
            )
        )
        mine = due.get(f.pk)
        if any(mine is None or (due.get(g.pk) or mine) <= mine for g in waiting):
            self.truth.subjects["QUEUE"].add(("file", f.pk))

    def entered(self, f: File, app) -> None:
        """The file moved on: schedule what its new stage does with it."""
        f.stage, f.stage_since, f.holder = app.state, self.now, app.assigned_to_id
        pt = self.types[f.code]
        quick = f.accelerated or pt.sop_unit == "hours"
        if app.state == "technical_review":
            self.review(f, app)
        elif app.state == "inspection":
            if f.accelerated:  # written up without a visit
                when = self.minutes(10, 60)
            else:
                day = self.calendar.add_working_days(self.now, self.rng.randint(1, 4))
                when = _local(day.astimezone(JAKARTA).date(), self.rng.uniform(13.0, 15.0))
                when = max(when, self.calendar.next_working_moment(when))
            self.at(when, self.inspected, f)
        elif app.state == "awaiting_payment":
            f.pauses.append([self.now, None])
            if f.accelerated:
                when = self.minutes(10, 60)
            else:
                when = self.now + dt.timedelta(days=self.rng.uniform(0.3, 3))
                when = self.calendar.next_working_moment(when)
                when = self.later(self.rng.uniform(0, 2), when)
            self.at(when, self.paid, f)
        elif app.state == "approval":
            if quick:
                self.at(self.minutes(10, 40), self.approve_one, f)
            else:
                self.approval.append(f)
        elif app.state == "signing":
            if quick:
                self.at(self.minutes(10, 40), self.sign_one, f)
            else:
                self.signing.append(f)
        elif app.state == "issued":
            f.finished = self.now

    def review(self, f: File, app) -> None:
        pt, holder, rng = self.types[f.code], app.assigned_to_id, self.rng
        budget = (
            self.calendar.working_time_between(self.now, app.sop_deadline).total_seconds() / 3600
        )
        sop_hours = (
            self.calendar.working_time_between(
                f.clock_start, pt.sop_deadline(f.clock_start, self.calendar)
            ).total_seconds()
            / 3600
        )
        older = [g for g in self.reviewing[holder] if g.stage_since < self.now]
        self.reviewing[holder].append(f)
        if f.accelerated:
            work = rng.uniform(10, 60) / 60
        elif f.plant == "PARKED":
            work = sop_hours * rng.uniform(1.3, 2.0)
        else:
            work = max(0.5, _lognormal(rng, 0.25 * sop_hours, 0.5))
            stale = [
                g
                for g in older
                if g.code == f.code
                and self.calendar.working_time_between(g.stage_since, self.now)
                >= dt.timedelta(hours=7.5)
            ]
            if not f.plant and self.quota["QUEUE"] and len(stale) >= 2 and rng.random() < 0.5:
                f.plant = "QUEUE"
                self.quota["QUEUE"] -= 1
                work = rng.uniform(0, 3)
            elif (
                not f.plant
                and self.quota["PRESSURE"]
                and 1 <= len(older) <= 5
                and rng.random() < 0.15
            ):
                f.plant = "PRESSURE"
                self.quota["PRESSURE"] -= 1
                self.at(self.later(rng.uniform(0.5, 4)), self.pressure, f)
        when = self.later(work)
        if f.plant == "HOURS":
            local = when.astimezone(JAKARTA)
            if local.weekday() == 4:
                when = _local(local.date() + dt.timedelta(days=1), rng.uniform(10, 14))
            else:
                when = _local(local.date(), rng.uniform(19, 23.5))
            if app.sop_deadline <= self.later(7.5, when):
                f.plant = ""  # due within a working day: not the plant the docstring means
                when = self.later(work)
        elif not f.plant and when > app.sop_deadline and rng.random() < 0.3:
            # Night work on a deadline (lembur): finished the evening it is due.
            due = app.sop_deadline.astimezone(JAKARTA)
            evening = _local(due.date(), rng.uniform(16.5, 19.0))
            if evening > self.now and self.calendar.is_working_day(due.date()):
                when = evening
                day = due.date().isoformat()
                self.decoy("overtime on a file due that day", f, ("officer-day", holder, day))
        del budget
        self.tokens[f.pk] += 1
        self.at(when, self.reviewed, f, self.tokens[f.pk])

    def pressure(self, f: File) -> None:
        from permits.services.file_messages import file_message_post
        from permits.services.views_log import file_view_record

        if f.stage != "technical_review":
            return
        app = self.app(f)
        boss = self.supervisor if self.rng.random() < 0.7 else self.head
        waiting = [
            g for g in self.reviewing[f.holder] if g is not f and g.stage_since < f.stage_since
        ]
        if not waiting:
            return
        file_view_record(application=app, actor=self.actor(boss))
        if self.rng.random() < 0.2:
            # Not every file is the head's to write on (PermissionDenied): then a view only.
            with contextlib.suppress(PermissionDenied):
                file_message_post(
                    application=app, actor=self.actor(boss), body="Mohon berkas ini didahulukan."
                )
        self.truth.subjects["PRESSURE"].add(("file", f.pk))
        self.tokens[f.pk] += 1
        self.at(self.minutes(5, 55), self.reviewed, f, self.tokens[f.pk])

    def reviewed(self, f: File, token: int) -> None:
        if token != self.tokens[f.pk] or f.stage != "technical_review":
            return
        if f.accelerated or f.plant in ("QUEUE", "PRESSURE"):
            # Judged as it leaves: the files that came before it and are still there.
            waiting = [
                g for g in self.reviewing[f.holder] if g is not f and g.stage_since < f.stage_since
            ]
            self.jumped(f, waiting)
        app = self.fire(f, "finish_review", note="Memenuhi ketentuan teknis.")
        self.reviewing[f.holder].remove(f)
        if f.plant == "HOURS":
            local = self.now.astimezone(JAKARTA).date()
            self.truth.subjects["HOURS"].add(("officer-day", f.holder, local.isoformat()))
        self.entered(f, app)

    def inspected(self, f: File) -> None:
        self.entered(f, self.fire(f, "finish_inspection", note="Lokasi sesuai dokumen."))

    def paid(self, f: File) -> None:
        from issuance.models import Bill, PaymentChannel
        from issuance.services.billing import payment_record

        bill = Bill.objects.get(application_id=f.pk)
        self.declare(self.app(f), self.cashier)
        app = payment_record(
            bill=bill,
            actor=self.actor(self.cashier),
            channel=PaymentChannel.CASHIER,
            reference=f"KW-{f.pk:06d}",
            amount=bill.amount,
        ).application
        f.pauses[-1][1] = self.now
        self.entered(f, app)

    def approve_one(self, f: File) -> None:
        if f.stage == "approval":
            if f.accelerated:
                self.jumped(f, [g for g in self.approval if g is not f])
            self.entered(f, self.fire(f, "approve"))

    def sign_one(self, f: File) -> None:
        if f.stage != "signing":
            return
        if self.now.astimezone(JAKARTA).date() in self.head_away and not f.accelerated:
            self.signing.append(f)  # the next round
            return
        if f.accelerated:
            self.jumped(f, [g for g in self.signing if g is not f])
        self.entered(f, self.fire(f, "sign"))

    def approval_round(self) -> None:
        waiting, self.approval = self.approval, []
        for f in waiting:
            self.step(self.rng.uniform(1, 3))
            self.approve_one(f)

    def signing_round(self) -> None:
        if self.now.astimezone(JAKARTA).date() in self.head_away:
            return
        waiting, self.signing = self.signing, []
        for f in waiting:
            self.step(self.rng.uniform(1, 2))
            self.sign_one(f)

    # The end ---------------------------------------------------------------------------
    def late_truth(self, end: dt.datetime) -> None:
        """Every file past its SOP deadline or its check's, by the simulation's own clock."""
        cal = self.calendar
        for f in self.files.values():
            pt = self.types[f.code]
            late = any(
                (stop or end) > pt.check_deadline(start, cal) for start, stop in f.queue_entries
            )
            if f.clock_start is not None:
                deadline = pt.sop_deadline(f.clock_start, cal)
                budget = cal.working_time_between(f.clock_start, deadline)
                used = cal.working_time_between(f.clock_start, f.finished or end)
                for start, stop in f.pauses:
                    used -= cal.working_time_between(start, stop or end)
                late = late or used > budget
            labels = self.truth.labels[("file", f.pk)]
            unit = "hours" if pt.sop_unit == "hours" else "days"
            labels.add(f"SOP {pt.sop_duration} {unit}")
            labels.add(f"planted {f.plant}" if f.plant else "honest")
            if late:
                self.truth.subjects["LATE"].add(("file", f.pk))
                labels.add("late")
            if f.plant == "FAST" and f.finished:
                self.truth.subjects["FAST"].add(("file", f.pk))


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
