"""Generate N realistic files with their checks, documents and events, in bulk.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/terang_bench \
        .venv/bin/python bench/seed.py --files 1000000

Run on an empty PostgreSQL database (it migrates, loads the catalogue and the demo staff,
then adds extra officers and applicants). Rows are written with PostgreSQL's COPY, their
ids reserved from the tables' sequences, and no field history: this is load for measuring
reads, not a replay of the services (``seed_demo`` does that). The file events are linked
into the audit chain (``chain_bulk_fill``) and the document versions sealed
(``seal_bulk_fill``) as they are written, so ``verify_audit_trail`` passes on the result;
the per-day figures are rebuilt from the files at the end (``figures_rebuild``).

The office, written down before any page was measured against it:

- It receives ``--per-year`` files a year (default 100 000: a large city's one-stop office
  with 81 permit types), so N files are N / per-year years of history (at least one year),
  created on working days, spread evenly over that span, ids in the order of creation.
- A file received in the last 45 days is still open with probability 0.6 (SOP times of one
  to thirty working days, a queue before each stage, returns waiting on the applicant):
  about 7 400 open files at 100 000 a year, whatever the history's length. The open ones
  are spread over the stages their type uses, some late, some paused, some returned.
- Every other file is finished: 86% issued, 6% rejected, 4% withdrawn, 4% expired.
- 20 000 applicant accounts, or one per five files when that is more (people apply again).
- 5% of finished files carry one red flag, raised when the file finished, by a rule drawn
  as FAST 30, LATE 30, QUEUE 15, FLIP 10, HOURS 10, PAIR 5; a flag older than 90 days has
  been dismissed by an auditor with probability 0.7, every other one is still open (the
  inspectorate reviews a share, and the queue grows with the history).
"""

import argparse
import datetime as dt
import hashlib
import io
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "1")  # a benchmark of the demo database, never a deployment
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from demo.services import demo_users_seed  # noqa: E402
from integrity.models import Flag, FlagState  # noqa: E402
from permits.event_names import (  # noqa: E402
    APPLICATION_CREATED,
    APPLICATION_EXPIRED,
    APPLICATION_SUBMITTED,
)
from permits.models import (  # noqa: E402
    OPD,
    Application,
    ApplicationEvent,
    CheckStatus,
    Document,
    NumberSequence,
    PermitType,
    RequirementCheck,
    Stage,
)
from permits.models.application import new_tracking_code  # noqa: E402
from permits.models.stages import EVENT_ACTIONS, FORWARD_TRANSITIONS, stage_path  # noqa: E402
from permits.services.figures import figures_rebuild  # noqa: E402
from trail.chain import chain_bulk_fill  # noqa: E402
from trail.models import Seal  # noqa: E402
from trail.seals import seal_bulk_fill  # noqa: E402
from worktime.calendar import get_calendar  # noqa: E402

BATCH = 5000
PER_YEAR = 100_000
OPEN_WINDOW = dt.timedelta(days=45)
OPEN_SHARE = 0.6
FLAG_SHARE = 0.05
FLAG_RULES = [("FAST", 30), ("LATE", 30), ("QUEUE", 15), ("FLIP", 10), ("HOURS", 10), ("PAIR", 5)]
FLAG_REVIEWED_AFTER = dt.timedelta(days=90)
FLAG_DISMISSED_SHARE = 0.7
FIRST_NAMES = [
    "Siti",
    "Budi",
    "Andi",
    "Dewi",
    "Agus",
    "Rina",
    "Yusuf",
    "Maya",
    "Hendra",
    "Ratna",
    "Fajar",
    "Lestari",
    "Bambang",
]
LAST_NAMES = [
    "Rahmawati",
    "Santoso",
    "Pratama",
    "Lestari",
    "Salim",
    "Marlina",
    "Hidayat",
    "Kusuma",
    "Wijaya",
    "Nugroho",
]
FINAL = [(Stage.ISSUED, 86), (Stage.REJECTED, 6), (Stage.WITHDRAWN, 4), (Stage.EXPIRED, 4)]
OPEN = [
    (Stage.SUBMITTED, 8),
    (Stage.VERIFICATION, 16),
    (Stage.RETURNED, 10),
    (Stage.TECHNICAL_REVIEW, 18),
    (Stage.INSPECTION, 10),
    (Stage.AWAITING_PAYMENT, 6),
    (Stage.APPROVAL, 18),
    (Stage.SIGNING, 14),
]


def weighted(rng, choices):
    stages, weights = zip(*choices, strict=True)
    return rng.choices(stages, weights)[0]


def staff_seed(rng) -> dict:
    """Demo staff plus enough officers for a real office's load."""
    demo_users_seed()
    units = {opd.code: opd for opd in OPD.objects.all()}
    extra = []
    for i in range(8):
        extra.append(User(username=f"bench.loket{i}", role=Role.COUNTER, unit=units["DPMPTSP"]))
    for i in range(3):
        extra.append(User(username=f"bench.atasan{i}", role=Role.SUPERVISOR, unit=units["DPMPTSP"]))
    for code, opd in units.items():
        if code != "DPMPTSP":
            for i in range(3):
                extra.append(
                    User(username=f"bench.teknis.{code.lower()}{i}", role=Role.TECHNICAL, unit=opd)
                )
    for user in extra:
        user.full_name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        user.set_unusable_password()
    User.objects.bulk_create(extra, ignore_conflicts=True)
    pools = {}
    for user in User.objects.filter(is_active=True).exclude(role=Role.APPLICANT):
        pools.setdefault((user.role, user.unit.code if user.unit else None), []).append(user)
    return pools


def applicants_seed(count: int, rng) -> list[int]:
    existing = User.objects.filter(username__startswith="bench.pemohon").count()
    new = []
    for i in range(existing, count):
        user = User(
            username=f"bench.pemohon{i}",
            full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            role=Role.APPLICANT,
        )
        user.set_unusable_password()
        new.append(user)
    User.objects.bulk_create(new, batch_size=BATCH)
    return list(
        User.objects.filter(username__startswith="bench.pemohon").values_list("pk", flat=True)
    )


def officer_for(pools, stage, permit_type, rng):
    role_unit = {
        Stage.SUBMITTED: (Role.COUNTER, "DPMPTSP"),
        Stage.VERIFICATION: (Role.COUNTER, "DPMPTSP"),
        Stage.TECHNICAL_REVIEW: (Role.TECHNICAL, permit_type.opd.code),
        Stage.INSPECTION: (Role.TECHNICAL, permit_type.opd.code),
        Stage.AWAITING_PAYMENT: (Role.CASHIER, "DPMPTSP"),
        Stage.APPROVAL: (Role.SUPERVISOR, "DPMPTSP"),
        Stage.SIGNING: (Role.HEAD, "DPMPTSP"),
    }.get(stage)
    if role_unit is None:
        return None
    pool = pools.get(role_unit) or pools[(Role.COUNTER, "DPMPTSP")]
    return rng.choice(pool)


class Copier:
    """Rows of one model written with COPY: {attname: value} dicts, every column the model
    has, defaults filled as the ORM would fill them, values in COPY's text format."""

    ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})

    def __init__(self, model):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.table = model._meta.db_table
        self.columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        self.constant = {
            f.attname: f.get_default()
            for f in self.fields
            if not callable(f.default) and not f.primary_key
        }
        self.computed = [f for f in self.fields if callable(f.default)]
        self.formats = [(f.attname, self._format(f)) for f in self.fields]

    def _format(self, field):
        if isinstance(field, models.CharField | models.TextField | models.FileField):
            return lambda value: str(value).translate(self.ESCAPES)
        if isinstance(field, models.BooleanField):
            return lambda value: "t" if value else "f"
        if isinstance(field, models.DateTimeField):
            return lambda value: value.isoformat()
        if isinstance(field, models.DurationField):
            return lambda value: f"{value // dt.timedelta(microseconds=1)} microseconds"
        if isinstance(field, models.JSONField):
            return lambda value: json.dumps(value).translate(self.ESCAPES)
        return str  # numbers, ids, UUIDs, addresses: nothing to escape

    def row(self, **values) -> dict:
        """A full row: ``values`` over the model's defaults."""
        row = dict(self.constant)
        for field in self.computed:
            if field.attname not in values:
                row[field.attname] = field.get_default()
        row.update(values)
        return row

    def rows(self, values: list[dict]) -> list[dict]:
        """Full rows of ``values`` (``row``), each with an id reserved from the sequence."""
        ids = self.ids(len(values))
        return [self.row(id=pk, **row) for pk, row in zip(ids, values, strict=True)]

    def ids(self, count: int) -> range:
        """``count`` ids taken from the table's sequence, as inserts would take them."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                [self.table, self.table, count],
            )
            last = cursor.fetchone()[0]
        return range(last - count + 1, last + 1)

    def write(self, rows) -> None:
        buffer = io.StringIO()
        for row in rows:
            buffer.write(
                "\t".join(
                    "\\N" if (value := row[name]) is None else text(value)
                    for name, text in self.formats
                )
            )
            buffer.write("\n")
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {self.table} ({self.columns}) FROM STDIN", buffer)


def creation_moments(count: int, now, calendar, rng) -> list:
    """When each of ``count`` files came in: the office's rate over the history's span,
    on working moments, in order."""
    span = dt.timedelta(days=365.25 * max(1.0, count / PER_YEAR))
    moments = []
    for _ in range(count):
        moment = now - span * rng.random()
        working = calendar.next_working_moment(moment)
        moments.append(working if working <= now else moment)  # tonight's: sent online
    return sorted(moments)


def file_build(number, created, permit_type, requirements, applicant_id, pools, rng, now, calendar):
    """One file's row, checks, documents and events, as plain values (ids to be set)."""
    open_file = now - created < OPEN_WINDOW and rng.random() < OPEN_SHARE
    path = stage_path(permit_type)
    if open_file:
        target = weighted(rng, [(s, w) for s, w in OPEN if s == Stage.RETURNED or s in path])
    else:
        target = weighted(rng, FINAL)
    counter = rng.choice(pools[(Role.COUNTER, "DPMPTSP")])
    fields = {
        "public_id": uuid.uuid4(),
        "registration_number": number,
        "tracking_code": new_tracking_code(),
        "permit_type_id": permit_type.pk,
        "channel": "online" if rng.random() < 0.6 else "counter",
        "applicant_id": applicant_id,
        "created_by_id": applicant_id,
        "applicant_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        "applicant_nik": f"3201{rng.randrange(10**11, 10**12)}",
        "applicant_phone": f"+628{rng.randrange(10**9, 10**10)}",
        "applicant_address": "Jl. Merdeka, Sukamaju",
        "created_at": created,
        "submitted_at": created,
    }
    # Walk the path until the target (returned files stop in verification first).
    stop = Stage.VERIFICATION if target == Stage.RETURNED else target
    if target in {Stage.REJECTED, Stage.WITHDRAWN, Stage.EXPIRED}:
        stop = rng.choice(path[1:-1])
    at, started = created, None
    events = [
        (APPLICATION_CREATED, Stage.DRAFT, Stage.DRAFT, at),
        (APPLICATION_SUBMITTED, Stage.DRAFT, Stage.SUBMITTED, at),
    ]
    stage = Stage.SUBMITTED
    for nxt in path[1:]:
        if path.index(nxt) > path.index(stop):
            break
        at = calendar.add_working_time(at, dt.timedelta(hours=rng.uniform(0.5, 9)))
        # The event of leaving ``stage`` (a file without a fee enters approval by review).
        events.append((EVENT_ACTIONS[FORWARD_TRANSITIONS[stage]], stage, nxt, at))
        if stage == Stage.VERIFICATION:
            started = at
        stage = nxt
    if at > now:
        at = now
    state = stage if target == Stage.ISSUED or open_file else target
    if target == Stage.RETURNED:
        state = Stage.RETURNED
    if state != stage:
        events.append((f"application.{state}", stage, state, at))
    fields["state"] = state
    fields["stage_entered_at"] = at
    if started:
        budget = calendar.working_time_between(started, permit_type.sop_deadline(started, calendar))
        fields["clock_started_at"], fields["sop_budget"] = started, budget
        used = calendar.working_time_between(started, at)
        if state in {Stage.ISSUED, Stage.REJECTED, Stage.WITHDRAWN, Stage.EXPIRED}:
            fields["work_used"], fields["finished_late"], fields["finished_at"] = (
                used,
                used > budget,
                at,
            )
        elif state in {Stage.AWAITING_PAYMENT}:
            fields["work_used"] = used
        else:
            fields["clock_running_since"] = started
            fields["sop_deadline"] = calendar.add_working_time(started, budget)
    elif state in {Stage.REJECTED, Stage.WITHDRAWN, Stage.EXPIRED}:
        fields["finished_at"] = at
    if state == Stage.RETURNED:
        fields["returned_from"] = Stage.VERIFICATION
        fields["applicant_deadline"] = calendar.add_working_days(at, 14)
    holder = officer_for(pools, state, permit_type, rng)
    fields["assigned_to_id"], fields["assigned_at"] = (holder.pk, at) if holder else (None, None)
    if path.index(stop) > 1 or state not in {Stage.SUBMITTED, Stage.VERIFICATION, Stage.RETURNED}:
        fields["verified_by_id"] = counter.pk
    checks = [
        {
            "requirement_id": req.pk,
            "status": CheckStatus.OK if started else CheckStatus.PENDING,
            "checked_by_id": counter.pk if started else None,
            "checked_at": started,
            "note": "",
        }
        for req in requirements
    ]
    if state == Stage.RETURNED and checks:
        checks[-1]["status"], checks[-1]["note"] = CheckStatus.INVALID, "Dokumen tidak terbaca."
    documents = [
        {
            "public_id": uuid.uuid4(),
            "requirement_id": req.pk,
            "version": 1,
            "file": f"documents/bench/{uuid.uuid4().hex}",
            "original_name": f"{req.code.lower()}.pdf",
            "content_type": "application/pdf",
            "size": rng.randrange(40_000, 900_000),
            "sha256": hashlib.sha256(f"{number}-{req.pk}".encode()).hexdigest(),
            "uploaded_by_id": applicant_id,
            "uploaded_at": created,
        }
        for req in requirements
        if req.mandatory
    ]
    rows = [
        {
            "action": action,
            "actor_id": None if action == APPLICATION_EXPIRED else counter.pk,
            "actor_role": counter.role,
            "from_state": src,
            "to_state": dst,
            "created_at": when,
            "ip_address": "10.0.0.1",
            "user_agent": "bench",
        }
        for action, src, dst, when in events
    ]
    return fields, checks, documents, rows


def batch_write(built, copiers) -> None:
    """One transaction: the files, then their checks, documents (sealed) and events
    (chained), every id reserved first so the children can point at their file."""
    files, checks, documents, events, seals = copiers
    with transaction.atomic():
        with connection.cursor() as cursor:
            # The rows point at ids reserved just before: no per-row foreign-key trigger.
            cursor.execute("SET LOCAL session_replication_role = replica")
        file_rows = files.rows([fields for fields, *_ in built])
        files.write(file_rows)
        children = ([], [], [])
        for file, (_, *kids) in zip(file_rows, built, strict=True):
            for rows, values in zip(children, kids, strict=True):
                rows += (dict(value, application_id=file["id"]) for value in values)
        check_rows, document_rows, event_rows = children
        checks.write(checks.rows(check_rows))
        document_rows = documents.rows(document_rows)
        documents.write(document_rows)
        seals.write(seals.rows(seal_bulk_fill(Document, document_rows)))
        linked = chain_bulk_fill(SimpleNamespace(**row) for row in events.rows(event_rows))
        events.write(vars(event) for event in linked)


def flags_seed(rng, now) -> int:
    """The red flags (see the docstring) on the finished files, once: none when the
    database holds flags already. Written with COPY, without field history."""
    if Flag.objects.exists():
        return 0
    auditor = User.objects.filter(role=Role.AUDITOR, is_active=True).order_by("pk").first()
    flags, copier, written = [], Copier(Flag), 0
    finished = (
        Application.objects.filter(finished_at__isnull=False)
        .order_by("pk")
        .values_list("pk", "finished_at", "verified_by_id")
    )
    for pk, finished_at, officer_id in finished.iterator(chunk_size=20_000):
        if rng.random() >= FLAG_SHARE:
            continue
        rule = weighted(rng, FLAG_RULES)
        dismissed = now - finished_at > FLAG_REVIEWED_AFTER and rng.random() < FLAG_DISMISSED_SHARE
        flags.append(
            {
                "rule": rule,
                "key": f"{rule}:bench:{pk}",
                "severity": "medium",
                "application_id": pk,
                "officer_id": officer_id,
                "raised_at": finished_at,
                "occurred_at": finished_at,
                "state": FlagState.DISMISSED if dismissed else FlagState.OPEN,
                "closed_by_id": auditor.pk if dismissed else None,
                "closed_at": finished_at + dt.timedelta(days=30) if dismissed else None,
                "dismiss_reason": "Wajar setelah diperiksa." if dismissed else "",
            }
        )
        if len(flags) == BATCH:
            written += _flags_write(copier, flags)
            flags = []
    return written + _flags_write(copier, flags)


def _flags_write(copier, flags) -> int:
    with transaction.atomic():
        copier.write(copier.rows(flags))
    return len(flags)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--applicants", type=int, default=None)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--flags-only",
        action="store_true",
        help="add the red flags to a database seeded before they were (no files written)",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("seed.py writes with PostgreSQL's COPY: set DATABASE_URL to a PostgreSQL database")
    rng = random.Random(args.seed)
    started = time.monotonic()
    if args.flags_only:
        call_command("migrate", verbosity=0)
        print(f"{flags_seed(rng, timezone.now())} flags", flush=True)
        return

    call_command("migrate", verbosity=0)
    call_command("load_catalogue", verbosity=0)
    pools = staff_seed(rng)
    applicants = applicants_seed(args.applicants or max(20_000, args.files // 5), rng)
    types = list(PermitType.objects.filter(active=True).select_related("opd"))
    requirements = {t.pk: list(t.requirements.all()) for t in types}
    calendar = get_calendar()
    now = timezone.now()
    copiers = tuple(
        Copier(model) for model in (Application, RequirementCheck, Document, ApplicationEvent, Seal)
    )
    moments = creation_moments(args.files, now, calendar, rng)
    numbers = dict(
        NumberSequence.objects.filter(key__startswith="registration:").values_list("key", "value")
    )
    print(f"generating {args.files} files …", flush=True)
    for start in range(0, args.files, BATCH):
        built = []
        for created in moments[start : start + BATCH]:
            key = f"registration:{created.year}"
            numbers[key] = numbers.get(key, 0) + 1
            permit_type = rng.choice(types)
            built.append(
                file_build(
                    f"MPP-{created.year}-{numbers[key]:06d}",
                    created,
                    permit_type,
                    requirements[permit_type.pk],
                    rng.choice(applicants),
                    pools,
                    rng,
                    now,
                    calendar,
                )
            )
        batch_write(built, copiers)
        done = min(start + BATCH, args.files)
        print(f"  {done:>7} files  ({time.monotonic() - started:.0f} s)", flush=True)
    for key, value in numbers.items():
        NumberSequence.objects.update_or_create(key=key, defaults={"value": value})
    print(f"  {flags_seed(rng, now)} flags", flush=True)
    types_days, places_days = figures_rebuild()  # the files were written, not moved
    print(f"  figures: {types_days} type days, {places_days} place days", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"done: {Application.objects.count()} files, {RequirementCheck.objects.count()} checks, "
        f"{Document.objects.count()} documents, {ApplicationEvent.objects.count()} events "
        f"in {time.monotonic() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
