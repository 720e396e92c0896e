"""Time to make one permit: its HTML, WeasyPrint's PDF and pyHanko's signature.

    .venv/bin/python bench/permit_pdf.py [--permits 60] [--write]

Works on any database with files (the demo's or bench/seed.py's): it builds unsaved permits
for files of every family of permit types and renders each through ``issuance.document``,
exactly as the worker does, signed with the configured key (run ``manage.py signing_dev_ca``
first). Nothing is written to the database. The first rendering of a process (fonts, the
signer) is reported apart; the target (issue 5) is the steady state: under 150 ms a permit.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DEBUG", "1")  # a benchmark of the demo database, never a deployment
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from bench.measure import report  # noqa: E402
from issuance import document  # noqa: E402
from issuance.models import Permit  # noqa: E402
from issuance.services.issue import permit_validity  # noqa: E402
from issuance.signing import pdf_sign  # noqa: E402
from permits.models import Application  # noqa: E402

TARGET_MS = 150


def sample_permits(count: int) -> list[Permit]:
    head = User.objects.filter(role=Role.HEAD).first()
    apps = list(
        Application.objects.exclude(registration_number=None)
        .select_related("permit_type__opd")
        .order_by("permit_type__family", "id")
        .distinct("permit_type__family")
        if settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
        else Application.objects.exclude(registration_number=None).select_related(
            "permit_type__opd"
        )[:20]
    )
    now = timezone.now()
    permits = []
    for i in range(count):
        app = apps[i % len(apps)]
        permits.append(
            Permit(
                application=app,
                permit_type=app.permit_type,
                number=app.permit_type.number_pattern.format(
                    seq=i + 1, opd=app.permit_type.opd.code, year=now.year
                ),
                holder_name=app.applicant_name,
                holder_nik=app.applicant_nik,
                holder_address=app.applicant_address,
                business_name=app.business_name,
                issued_at=now,
                valid_from=now.date(),
                valid_until=permit_validity(app.permit_type, now.date()),
                signed_by=head,
                signatory_name=head.display_name,
                signatory_title=settings.SIGNATORY_TITLE,
            )
        )
    return permits


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, (time.perf_counter() - start) * 1000


def measure(permits: list[Permit]) -> dict[str, list[float]]:
    stages = {"html": [], "pdf": [], "sign": [], "total": []}
    for permit in permits:
        html, t_html = timed(document.permit_html, permit)
        page = document._permit_html_class()(string=html, base_url=str(settings.BASE_DIR))
        pdf, t_pdf = timed(
            page.write_pdf,
            stylesheets=[document._permit_css()],
            font_config=document._font_config(),
        )
        _signed, t_sign = timed(pdf_sign, pdf, reason="bench", location="bench")
        total = t_html + t_pdf + t_sign
        for key, value in zip(stages, (t_html, t_pdf, t_sign, total), strict=True):
            stages[key].append(value)
    return stages


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--permits", type=int, default=60)
    parser.add_argument("--write", action="store_true", help="append the result to README.md")
    args = parser.parse_args()

    permits = sample_permits(args.permits + 1)
    first = measure(permits[:1])["total"][0]
    stages = measure(permits[1:])
    families = len({p.permit_type.family for p in permits})
    rows = [
        ("HTML (Django template)", stages["html"]),
        ("PDF (WeasyPrint)", stages["pdf"]),
        ("signature (pyHanko, PAdES)", stages["sign"]),
        ("**one permit, in all**", stages["total"]),
    ]
    median = statistics.median(stages["total"])
    verdict = "met" if median < TARGET_MS else "NOT met"
    lines = [
        f"### {date.today().isoformat()}: permit PDF, {args.permits} permits",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}. {families} families of permit types; the first "
        f"permit of the process (fonts, signer) took {first:.0f} ms and is not counted.",
        "",
        "| stage | median ms | p95 ms |",
        "| --- | ---: | ---: |",
        *(f"| {name} | {statistics.median(v):.1f} | {p95(v):.1f} |" for name, v in rows),
        "",
        f"Target (one permit under {TARGET_MS} ms, outside any web request): **{verdict}** "
        f"({median:.0f} ms).",
    ]
    report("\n".join(lines), write=args.write)


if __name__ == "__main__":
    main()
