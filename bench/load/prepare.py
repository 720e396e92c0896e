"""Sign in the load test's staff and pick its files: writes bench/load/world.json.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/terang_bench \\
        .venv/bin/python bench/load/prepare.py

Run on a database filled by bench/seed.py. The busiest counter officer, the supervisor
``atasan`` and the auditor get a session each (password and second factor completed, as
after a real sign-in); the file pages and tracking codes are drawn at random from the
open and the finished files.
"""

import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DEBUG", "1")  # a benchmark of the demo database, never a deployment
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db.models import Count, Q  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from bench.measure import signed_in  # noqa: E402
from permits.models import OPEN_STAGES, Application, PermitType  # noqa: E402

WORLD = Path(__file__).resolve().parent / "world.json"


def session_of(user: User) -> str:
    """The session cookie of ``user`` signed in with both factors (as bench/measure.py)."""
    return signed_in(user).cookies[settings.SESSION_COOKIE_NAME].value


def applicants_ready(draw, count: int = 20) -> list[User]:
    """``count`` of the seed's applicant accounts completed as the sign-up form completes
    one (name, NIK, phone, address), so they may start a file."""
    users = list(
        User.objects.filter(role=Role.APPLICANT, username__startswith="bench.").order_by("pk")[
            :count
        ]
    )
    for serial, user in enumerate(users, start=1):
        # A well-formed NIK (Bandung, born 1 January 1990), unique by its serial.
        user.nik = user.nik or f"3273010101900{serial:03d}"
        user.phone = user.phone or f"+628{draw.randrange(10**9, 10**10)}"
        user.address = user.address or "Jl. Merdeka 1, Sukamaju"
        user.save(update_fields=["nik", "phone", "address"])
    return users


def first_requirements() -> list[tuple[str, int]]:
    """Each active type's code and its first mandatory requirement: what is uploaded."""
    pairs = []
    for permit_type in PermitType.objects.filter(active=True).prefetch_related("requirements"):
        mandatory = [r for r in permit_type.requirements.all() if r.mandatory and r.active]
        if mandatory:
            pairs.append((permit_type.code, min(mandatory, key=lambda r: r.position).pk))
    return pairs


def main() -> None:
    draw = random.Random(20)
    counter = (
        User.objects.filter(role=Role.COUNTER, is_active=True)
        .annotate(
            n=Count("assigned_applications", filter=Q(assigned_applications__state__in=OPEN_STAGES))
        )
        .order_by("-n")
        .first()
    )
    open_files = list(
        Application.objects.filter(state__in=OPEN_STAGES).values_list("public_id", "tracking_code")[
            :5000
        ]
    )
    mine = list(
        Application.objects.filter(state__in=OPEN_STAGES, assigned_to=counter).values_list(
            "public_id", flat=True
        )[:500]
    )
    applicants = applicants_ready(draw)
    world = {
        "sessions": {
            "officer": session_of(counter),
            "supervisor": session_of(User.objects.get(username="atasan")),
            "auditor": session_of(User.objects.filter(role=Role.AUDITOR).first()),
        },
        "tracking": [code for _pk, code in draw.sample(open_files, 500)],
        "files": [str(pk) for pk, _code in draw.sample(open_files, 500)],
        "my_files": [str(pk) for pk in mine],
        "types": list(PermitType.objects.filter(active=True).values_list("code", flat=True)),
        "applicants": [session_of(user) for user in applicants],
        "apply": first_requirements(),
        "cookie": settings.SESSION_COOKIE_NAME,
    }
    WORLD.write_text(json.dumps(world))
    print(f"wrote {WORLD}: {len(world['tracking'])} tracking codes, {len(world['files'])} files")


if __name__ == "__main__":
    main()
