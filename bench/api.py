"""Time a file's status read through the partners' API against the public tracking page
(issue 21.9: within 2× of it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/terang_bench \\
        .venv/bin/python bench/api.py [--requests 200] [--write]

Both go through Django's whole stack in process, for the same open file (the one with the
most events), in interleaved rounds. The API call carries a service-bus partner's bearer
token (registered once in the database, as an administrator would) and is recorded like
every partner call (its seal is a worker's catch-up a moment later, off the call's path;
no worker runs here); the tracking page is the anonymous visitor's. The API's
rate is set beyond the run, the page's lookup limits likewise.
"""

import argparse
import base64
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "1")  # a benchmark of the demo database, never a deployment
os.environ.setdefault("ACCESS_LOG_LEVEL", "WARNING")  # no line per timed request
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.db.models import Count  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from api.models import Partner  # noqa: E402
from api.services import partner_register  # noqa: E402
from bench.measure import count_queries, machine, report  # noqa: E402
from permits.models import OPEN_STAGES, Application  # noqa: E402

BENCH_PARTNER = "Bench SPLP"
FACTOR = 2


def bus_token(client: Client) -> str:
    """A fresh bearer token of the bench's service-bus partner (made on first run)."""
    Partner.objects.filter(name=BENCH_PARTNER).update(active=False)
    partner, secret = partner_register(
        name=BENCH_PARTNER,
        kind="bus",
        scopes=["applications:read"],
        by=None,
        reads_all_files=True,
        calls_per_minute=10**9,
    )
    answer = client.post(
        "/api/v1/oauth/token/",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION="Basic "
        + base64.b64encode(f"{partner.client_id}:{secret}".encode()).decode(),
    )
    assert answer.status_code == 200, answer.content
    return f"Bearer {answer.json()['access_token']}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()

    tracked, number = (
        Application.objects.filter(state__in=OPEN_STAGES)
        .annotate(n=Count("events"))
        .order_by("-n")
        .values_list("tracking_code", "registration_number")
        .first()
    )
    visitor, partner = Client(), Client()
    token = bus_token(partner)
    partner.defaults["HTTP_AUTHORIZATION"] = token
    pages = [
        ("public tracking page (anonymous)", visitor, f"/lacak/{tracked}/"),
        ("API: the file's status (service bus)", partner, f"/api/v1/applications/{number}/"),
    ]
    with override_settings(DEBUG=False, TRACKING_LOOKUP_LIMIT=10**9, TRACKING_MISS_LIMIT=10**9):
        for _label, client, url in pages:
            for _ in range(5):
                assert client.get(url).status_code == 200, url
        samples = [[] for _ in pages]
        for _ in range(args.requests):
            for index, (_label, client, url) in enumerate(pages):
                start = time.perf_counter()
                assert client.get(url).status_code == 200, url
                samples[index].append((time.perf_counter() - start) * 1000)
        queries = [count_queries(client, url) for _label, client, url in pages]
    files = Application.objects.count()
    lines = [
        f"### {date.today().isoformat()}: the API's file status at {files:,} files".replace(
            ",", " "
        ),
        "",
        f"Machine: {machine()}. {args.requests} interleaved rounds after 5 warm-up requests.",
        "",
        "| page | median ms | p95 ms | queries |",
        "| --- | ---: | ---: | ---: |",
    ]
    medians = []
    for (label, _client, _url), times, count in zip(pages, samples, queries, strict=True):
        times.sort()
        medians.append(statistics.median(times))
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        lines.append(f"| {label} | {medians[-1]:.1f} | {p95:.1f} | {count} |")
    ratio = medians[1] / medians[0]
    verdict = "met" if ratio <= FACTOR else "NOT met"
    lines += [
        "",
        f"Target (API within {FACTOR}× the tracking page): **{verdict}** ({ratio:.2f}×).",
        "",
    ]
    report("\n".join(lines), write=args.write)


if __name__ == "__main__":
    main()
