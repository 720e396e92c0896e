"""Time the public transparency dashboard: computing a period's figures, and the page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/terang_bench \\
        .venv/bin/python bench/transparency.py [--answers 30000] [--rounds 5] [--write]

With ``--answers`` it first gives that many finished files a survey answer (bulk-inserted,
once: files that have one keep it), so the IKM part reads a realistic table. Then it times
``dashboard_compute`` for this year, last year and last month (the hourly task's work, done
on the first request of a period nobody asked for yet) and last month's monev figures
(``monev_data``, the monthly report's task), and counts their queries, times
the public page served from its stored snapshot (what every visitor gets) through Django's
whole stack in process, and what counting the day figures adds to a transition.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "1")  # a benchmark of the demo database, never a deployment
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.measure import machine, report  # noqa: E402
from integrity.inspection.selectors.monev import monev_data  # noqa: E402
from permits.models import Application  # noqa: E402
from permits.services.figures import figures_count  # noqa: E402
from public.models import SurveyResponse  # noqa: E402
from public.models.survey import ELEMENT_FIELDS  # noqa: E402
from public.selectors.transparency import dashboard_compute, period_month, period_year  # noqa: E402
from public.services.transparency import dashboard_store  # noqa: E402


def answers_seed(count: int) -> int:
    """Survey answers for up to ``count`` finished files that have none."""
    have = SurveyResponse.objects.count()
    missing = max(count - have, 0)
    if not missing:
        return 0
    rng = random.Random(14)
    files = (
        Application.objects.filter(finished_at__isnull=False, survey_response__isnull=True)
        .select_related("permit_type")
        .order_by("?")[:missing]
    )
    rows = [
        SurveyResponse(
            application=app,
            unit_id=app.permit_type.opd_id,
            permit_type=app.permit_type,
            answered_at=app.finished_at,
            asked_money=rng.random() < 0.02,
            offered_faster=rng.random() < 0.02,
            sent_to_intermediary=rng.random() < 0.03,
            **{field: rng.choice((2, 3, 3, 3, 4, 4)) for field in ELEMENT_FIELDS},
        )
        for app in files
    ]
    SurveyResponse.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def time_work(work, argument, rounds: int) -> tuple[float, float, int]:
    """``work(argument)`` timed ``rounds`` times: median and worst seconds, its queries."""
    times, queries = [], 0
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            work(argument)
            times.append(time.perf_counter() - start)
        queries = len(captured)
    return statistics.median(times), max(times), queries


def time_page(period, rounds: int) -> tuple[float, float, int]:
    dashboard_store(period)
    client = Client()
    url = f"/transparansi/?periode={period.key}"
    for _ in range(3):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(captured)


def time_counting(rounds: int) -> list[tuple[str, float, float, int]]:
    """What keeping the day figures adds to a transition: ``figures_count`` for a submission
    and for a finish, over 400 finished files on one day (rolled back). Median and p95 in
    milliseconds, and the queries of one call."""
    files = list(
        Application.objects.filter(state="issued", clock_started_at__isnull=False)
        .select_related("permit_type")
        .order_by("pk")[:400]
    )
    now, out = timezone.now(), []
    if not files:
        return out
    for name, label in (("submit", "a submission"), ("sign", "a finish")):
        times = []
        with transaction.atomic():
            for app in files * rounds:
                start = time.perf_counter()
                figures_count(application=app, name=name, at=now)
                times.append((time.perf_counter() - start) * 1000)
            with CaptureQueriesContext(connection) as captured:
                figures_count(application=files[0], name=name, at=now)
            transaction.set_rollback(True)
        times.sort()
        out.append((label, statistics.median(times), times[int(len(times) * 0.95)], len(captured)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()

    added = answers_seed(args.answers) if args.answers else 0
    today = timezone.localdate()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    periods = [
        (period_year(today.year), "this year"),
        (period_year(today.year - 1), "last year"),
        (period_month(last_month), "last month"),
    ]
    files, answers = Application.objects.count(), SurveyResponse.objects.count()
    lines = [
        f"### {today:%Y-%m-%d}: transparency dashboard at {files:,} files, "
        f"{answers:,} survey answers",
        "",
        f"Machine: {machine()}." + (f" {added:,} answers added for this run." if added else ""),
        "",
        "| work | period | median | max or p95 | queries |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for period, label in periods:
        median, worst, queries = time_work(dashboard_compute, period, args.rounds)
        lines.append(
            f"| compute (task) | {label} ({period.key}) | {median:.2f} s | {worst:.2f} s | "
            f"{queries} |"
        )
    median, worst, queries = time_work(monev_data, last_month, args.rounds)
    lines.append(
        f"| monev report's figures (task) | last month ({last_month:%Y-%m}) | {median:.2f} s | "
        f"{worst:.2f} s | {queries} |"
    )
    for period, label in periods[:1]:
        median, p95, queries = time_page(period, max(args.rounds * 20, 50))
        lines.append(
            f"| page from snapshot | {label} ({period.key}) | {median:.1f} ms | {p95:.1f} ms | "
            f"{queries} |"
        )
    for label, median, p95, queries in time_counting(max(args.rounds // 5, 1)):
        lines.append(
            f"| day figures counted with {label} (in its transition) | a day's 400 | "
            f"{median:.2f} ms | {p95:.2f} ms | {queries} |"
        )
    text = "\n".join(lines) + "\n"
    report(text, write=args.write)


if __name__ == "__main__":
    main()
