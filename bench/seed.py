"""Generate N realistic files with their checks, documents and events, in bulk.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/terang_bench \
        .venv/bin/python bench/seed.py --files 100000

Run on an empty database (it migrates, loads the catalogue and the demo staff, then adds
extra officers and applicants). Rows are written with ``bulk_create`` and no field history:
this is load for measuring reads, not a replay of the services (``seed_demo`` does that).
About 70% of files are finished (mostly issued) over the past year; the rest are open,
spread over the stages their type uses, some late, some paused, some returned.
"""

import argparse
import datetime as dt
import hashlib
import os
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "1")  # a benchmark of the demo database, never a deployment
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from demo.services import demo_users_seed  # noqa: E402
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
from trail.chain import chain_bulk_fill  # noqa: E402
from trail.seals import seal_bulk  # noqa: E402
from worktime.calendar import get_calendar  # noqa: E402

BATCH = 5000
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


def file_build(i, permit_type, requirements, applicant_id, pools, rng, now, calendar):
    open_file = rng.random() < 0.3
    path = stage_path(permit_type)
    if open_file:
        target = weighted(rng, [(s, w) for s, w in OPEN if s == Stage.RETURNED or s in path])
        created = now - dt.timedelta(days=rng.uniform(0, 30))
    else:
        target = weighted(rng, FINAL)
        created = now - dt.timedelta(days=rng.uniform(30, 365))
    created = calendar.next_working_moment(created)
    counter = rng.choice(pools[(Role.COUNTER, "DPMPTSP")])
    year = created.year
    fields = {
        "public_id": uuid.uuid4(),
        "registration_number": f"MPP-{year}-{i:06d}",
        "tracking_code": new_tracking_code(),
        "permit_type": permit_type,
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
    fields["assigned_to"], fields["assigned_at"] = holder, at if holder else None
    if path.index(stop) > 1 or state not in {Stage.SUBMITTED, Stage.VERIFICATION, Stage.RETURNED}:
        fields["verified_by"] = counter
    app = Application(**fields)
    checks = [
        RequirementCheck(
            requirement=req,
            status=CheckStatus.OK if started else CheckStatus.PENDING,
            checked_by=counter if started else None,
            checked_at=started,
        )
        for req in requirements
    ]
    if state == Stage.RETURNED and checks:
        checks[-1].status, checks[-1].note = CheckStatus.INVALID, "Dokumen tidak terbaca."
    documents = [
        Document(
            public_id=uuid.uuid4(),
            requirement=req,
            version=1,
            file=f"documents/bench/{uuid.uuid4().hex}",
            original_name=f"{req.code.lower()}.pdf",
            content_type="application/pdf",
            size=rng.randrange(40_000, 900_000),
            sha256=hashlib.sha256(f"{i}-{req.pk}".encode()).hexdigest(),
            uploaded_by_id=applicant_id,
            uploaded_at=created,
        )
        for req in requirements
        if req.mandatory
    ]
    officer = counter
    rows = [
        ApplicationEvent(
            action=action,
            actor_id=None if action == APPLICATION_EXPIRED else officer.pk,
            actor_role=officer.role,
            from_state=src,
            to_state=dst,
            created_at=when,
            ip_address="10.0.0.1",
            user_agent="bench",
        )
        for action, src, dst, when in events
    ]
    return app, checks, documents, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--applicants", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.monotonic()

    call_command("migrate", verbosity=0)
    call_command("load_catalogue", verbosity=0)
    pools = staff_seed(rng)
    applicants = applicants_seed(args.applicants, rng)
    types = list(PermitType.objects.filter(active=True).select_related("opd"))
    requirements = {t.pk: list(t.requirements.all()) for t in types}
    calendar = get_calendar()
    now = timezone.now()
    offset = Application.objects.count()
    print(f"generating {args.files} files …", flush=True)
    for start in range(0, args.files, BATCH):
        apps, checks, documents, events = [], [], [], []
        for i in range(start, min(start + BATCH, args.files)):
            permit_type = rng.choice(types)
            built = file_build(
                offset + i + 1,
                permit_type,
                requirements[permit_type.pk],
                rng.choice(applicants),
                pools,
                rng,
                now,
                calendar,
            )
            apps.append(built)
        with transaction.atomic():
            Application.objects.bulk_create([a for a, *_ in apps], batch_size=BATCH)
            for app, file_checks, file_documents, file_events in apps:
                for row in (*file_checks, *file_documents, *file_events):
                    row.application = app
                checks += file_checks
                documents += file_documents
                events += file_events
            RequirementCheck.objects.bulk_create(checks, batch_size=BATCH)
            # bulk_create sends no signal: seal the rows written.
            seal_bulk(Document.objects.bulk_create(documents, batch_size=BATCH))
            # Linked to the event chain as they are written (the head lock is held to commit).
            ApplicationEvent.objects.bulk_create(chain_bulk_fill(events), batch_size=BATCH)
        done = min(start + BATCH, args.files)
        print(f"  {done:>7} files  ({time.monotonic() - started:.0f} s)", flush=True)
    last = Application.objects.count()
    for year in {now.year - 1, now.year}:
        NumberSequence.objects.update_or_create(
            key=f"registration:{year}", defaults={"value": last}
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"done: {Application.objects.count()} files, {RequirementCheck.objects.count()} checks, "
        f"{Document.objects.count()} documents, {ApplicationEvent.objects.count()} events "
        f"in {time.monotonic() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
