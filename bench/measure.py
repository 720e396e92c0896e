"""Server time of the worklist and the file page, against a bare one-lookup view.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/terang_bench \
        .venv/bin/python bench/measure.py [--requests 100] [--write]

Requests go through Django's full stack in process (middleware, session, two-factor check,
view, template, database), so the numbers are server time without the network. Every page
and the bare view run in the same process against the same database, signed in the same
way. ``--write`` appends the result, with the machine and the date, to bench/README.md.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "1")  # a benchmark of the demo database, never a deployment
os.environ.setdefault("ACCESS_LOG_LEVEL", "WARNING")  # no line per timed request
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from core.paging import PAGE_AFTER, keyset_cursor  # noqa: E402
from integrity.inspection.selectors.workspace import QUEUE_PAGE  # noqa: E402
from integrity.models import Flag, FlagState  # noqa: E402
from permits.models import OPEN_STAGES, Application  # noqa: E402

README = Path(__file__).resolve().parent / "README.md"
WORKLIST_TARGET_MS = 50
BARE_FACTOR = 4
TRACKING_TARGET_MS = 30
TRACKING_FACTOR = 3


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def count_queries(client: Client, url: str) -> int:
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200, url
    return len(queries)


def timed_rounds(pages, requests: int) -> list[list[float]]:
    """Each round requests every page once, so a machine that speeds up or slows down
    during the run affects every page alike."""
    for _label, client, url in pages:
        for _ in range(5):
            assert client.get(url).status_code == 200, url
    samples = [[] for _ in pages]
    for _ in range(requests):
        for index, (_label, client, url) in enumerate(pages):
            start = time.perf_counter()
            response = client.get(url)
            samples[index].append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, url
    return samples


def report(text: str, *, write: bool) -> None:
    """Print a result section and, with ``--write``, append it to bench/README.md."""
    print(text)
    if write:
        with README.open("a") as readme:
            readme.write("\n" + text.rstrip("\n") + "\n")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with connection.cursor() as cursor:
        cursor.execute(
            "SHOW server_version"
            if connection.vendor == "postgresql"
            else "SELECT sqlite_version()"
        )
        db = f"{connection.vendor} {cursor.fetchone()[0]}"
    return f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {db}"


def flag_pages(inspector: Client) -> list[tuple]:
    """The flag queue's first page, one 20 pages deep (keyset) and a week's date filter;
    none when the database holds no flags (bench/flags.py --full leaves none either)."""
    flags = Flag.objects.filter(state=FlagState.OPEN).order_by("-occurred_at", "-id")
    if not flags.exists():
        return []
    pages = [("flag queue, page 1 (auditor)", inspector, "/kantor/audit/")]
    # 20 pages deep: a full page at 100 000 files as at 1 000 000 (bench/seed.py leaves
    # about 2 000 open flags at 100 000), so the two sizes compare like for like.
    deep = flags[20 * QUEUE_PAGE : 20 * QUEUE_PAGE + 1].first()
    if deep is not None:
        cursor = urlencode({PAGE_AFTER: keyset_cursor(deep, "occurred_at")})
        pages.append(("flag queue, 20 pages deep", inspector, f"/kantor/audit/?{cursor}"))
    newest = timezone.localtime(flags.first().occurred_at).date()
    week = urlencode({"since": newest - timedelta(days=7), "until": newest})
    pages.append(("flag queue, a week's date filter", inspector, f"/kantor/audit/?{week}"))
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--write", action="store_true", help="append the result to bench/README.md")
    args = parser.parse_args()

    open_filter = Q(assigned_applications__state__in=OPEN_STAGES)
    counter = (
        User.objects.filter(role=Role.COUNTER, is_active=True)
        .annotate(open_files=Count("assigned_applications", filter=open_filter))
        .order_by("-open_files")
        .first()
    )
    supervisor = User.objects.get(username="atasan")
    busiest = (
        Application.objects.annotate(n=Count("events"))
        .order_by("-n")
        .values_list("public_id", "pk")
        .first()
    )
    some_pk, some_number = (
        Application.objects.order_by("?").values_list("pk", "registration_number").first()
    )
    total = Application.objects.count()
    officer = signed_in(counter)
    chief = signed_in(supervisor)
    inspector = signed_in(User.objects.filter(role=Role.AUDITOR, is_active=True).first())
    visitor = Client()
    tracked = (
        Application.objects.filter(state__in=OPEN_STAGES)
        .annotate(n=Count("events"))
        .order_by("-n")
        .values_list("tracking_code", flat=True)
        .first()
    )

    pages = [
        ("bare view (one pk lookup)", officer, f"/bench/bare/{some_pk}/"),
        (f"worklist, my files ({counter.open_files} open)", officer, "/kantor/"),
        ("worklist, my late files", officer, "/kantor/?sla=late"),
        ("worklist, all files, page 1 (supervisor)", chief, "/kantor/?scope=all"),
        ("worklist, all files, page 40", chief, "/kantor/?scope=all&page=40"),
        ("worklist, search by name", chief, "/kantor/?scope=all&q=Rahmawati"),
        (
            "worklist, search by registration number",
            chief,
            f"/kantor/?scope=all&q={some_number}",
        ),
        ("file page (busiest file)", chief, f"/kantor/berkas/{busiest[0]}/"),
        ("team page (supervisor)", chief, "/kantor/tim/"),
        ("file story, busiest file (auditor)", inspector, f"/kantor/audit/berkas/{busiest[0]}/"),
        ("random sample of 20 unflagged files", inspector, "/kantor/audit/sampel/?size=20&seed=7"),
        *flag_pages(inspector),
        ("transparency dashboard (stored snapshot)", visitor, "/transparansi/"),
        ("home catalogue (anonymous)", visitor, "/"),
        # The last two rows: the targets below read them by position.
        ("bare view, anonymous visitor", visitor, f"/bench/bare/{some_pk}/"),
        ("public tracking page (anonymous)", visitor, f"/lacak/{tracked}/"),
    ]
    rows = []
    with override_settings(
        ROOT_URLCONF="bench.urls",
        DEBUG=False,
        TRACKING_LOOKUP_LIMIT=10**9,
        TRACKING_MISS_LIMIT=10**9,
    ):
        samples = timed_rounds(pages, args.requests)
        for (label, client, url), times in zip(pages, samples, strict=True):
            times.sort()
            p95 = times[max(0, int(len(times) * 0.95) - 1)]
            rows.append((label, statistics.median(times), p95, count_queries(client, url)))

    bare = rows[0][1]
    worklist = rows[1][1]
    lines = [
        f"### {date.today().isoformat()}: {total:,} files".replace(",", " "),
        "",
        f"Machine: {machine()}. {args.requests} rounds of one request per page, "
        "after 5 warm-up requests each.",
        "",
        "| page | median ms | p95 ms | × bare | queries |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, median, p95, queries in rows:
        lines.append(f"| {label} | {median:.1f} | {p95:.1f} | {median / bare:.1f} | {queries} |")
    verdict = (
        "met" if worklist < WORKLIST_TARGET_MS and worklist <= BARE_FACTOR * bare else "NOT met"
    )
    bare_anonymous, tracking = rows[-2][1], rows[-1][1]
    tracking_verdict = (
        "met"
        if tracking < TRACKING_TARGET_MS and tracking <= TRACKING_FACTOR * bare_anonymous
        else "NOT met"
    )
    lines += [
        "",
        f"Target (worklist under {WORKLIST_TARGET_MS} ms and within {BARE_FACTOR}× the bare view): "
        f"**{verdict}** ({worklist:.1f} ms, {worklist / bare:.1f}× bare).",
        f"Target (tracking page under {TRACKING_TARGET_MS} ms and within {TRACKING_FACTOR}× the "
        f"anonymous bare view): **{tracking_verdict}** ({tracking:.1f} ms, "
        f"{tracking / bare_anonymous:.1f}× bare).",
        "",
    ]
    report("\n".join(lines), write=args.write)


if __name__ == "__main__":
    main()
