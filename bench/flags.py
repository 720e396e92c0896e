"""Time the red-flag rules: one event's evaluation at this database's size, and the sweep.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/terang_bench \\
        .venv/bin/python bench/flags.py [--events 200] [--sweep-days 1] [--full] [--write]

Per rule, for up to ``--events`` recent events the rule depends on, it times
``on_event`` (the rule's own lookups, not storing flags) and counts its queries: the count
must not depend on the size of the history, and the time should not either (run it on a
small and on a 100 000-file database to compare). Then it times the nightly sweep over the
last ``--sweep-days`` days of events (plus the running-late check over all open files) and,
with ``--full``, a sweep over the whole history. Sweeps run inside a transaction that is
rolled back, so the database keeps no flags from the benchmark.
"""

import argparse
import datetime as dt
import os
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
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.measure import machine, report  # noqa: E402
from integrity.inspection.flags.engine import Context, flags_sweep  # noqa: E402
from integrity.inspection.flags.registry import RULES  # noqa: E402
from integrity.inspection.flags.rules.common import STAFF_ACTOR_ROLES  # noqa: E402
from permits.models import Application, ApplicationEvent  # noqa: E402


class Rollback(Exception):
    pass


def sample_events(rule, limit: int) -> list[ApplicationEvent]:
    events = ApplicationEvent.objects.select_related("application").order_by("-created_at")
    if rule.any_staff_event:
        events = events.filter(actor_role__in=sorted(STAFF_ACTOR_ROLES))
    elif rule.triggers:
        events = events.filter(action__in=sorted(rule.triggers))
    else:
        return []
    return list(events[:limit])


def time_rules(limit: int) -> list[tuple]:
    rows = []
    for code, rule in sorted(RULES.items()):
        events = sample_events(rule, limit)
        if not events:
            rows.append((code, 0, None, None, None))
            continue
        context = Context.load()
        params = context.configs[code].params
        rule.on_event(events[0], params, context)  # warm the per-run baselines
        times, queries = [], []
        for event in events:
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                rule.on_event(event, params, context)
                times.append((time.perf_counter() - start) * 1000)
            queries.append(len(captured))
        p95 = sorted(times)[int(len(times) * 0.95) - 1]
        rows.append((code, len(events), statistics.median(times), p95, max(queries)))
    return rows


def time_sweep(**kwargs) -> tuple[float, int, int]:
    start = time.perf_counter()
    try:
        with transaction.atomic():
            run = flags_sweep(**kwargs)
            result = (time.perf_counter() - start, run.events, run.raised)
            raise Rollback
    except Rollback:
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--sweep-days", type=int, default=1)
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()

    files, events = Application.objects.count(), ApplicationEvent.objects.count()
    lines = [
        f"### {timezone.localdate():%Y-%m-%d}: red flags at {files:,} files, {events:,} events",
        "",
        f"Machine: {machine()}.",
        "",
        "| rule | events timed | median ms | p95 ms | max queries |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for code, n, median, p95, queries in time_rules(args.events):
        if n:
            lines.append(f"| {code} | {n} | {median:.2f} | {p95:.2f} | {queries} |")
        else:
            lines.append(f"| {code} | 0 | – | – | – |")
    since = timezone.now() - dt.timedelta(days=args.sweep_days)
    seconds, seen, raised = time_sweep(since=since)
    lines += [
        "",
        f"Nightly sweep over the last {args.sweep_days} day(s): {seen:,} events, "
        f"{raised:,} new flags, {seconds:.1f} s (with the running-late check over every "
        "open file).",
    ]
    if args.full:
        seconds, seen, raised = time_sweep(everything=True)
        lines.append(
            f"Full sweep over the whole history: {seen:,} events, {raised:,} flags, "
            f"{seconds / 60:.1f} min ({seen / seconds:,.0f} events/s)."
        )
    text = "\n".join(lines) + "\n"
    report(text, write=args.write)


if __name__ == "__main__":
    main()
