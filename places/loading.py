"""Load the regency's places from their JSON file, idempotently (``trail.loading``)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from places.models import Desa, Kecamatan, Regency
from places.selectors import places_changed
from trail.loading import LoadReport, rows_deactivate, rows_sync


def read_places(path: Path) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def places_load(*, data: dict, report: LoadReport | None = None) -> LoadReport:
    """Bring the regency, its kecamatan and its desa/kelurahan in line with ``data``."""
    report = report or LoadReport()
    regency = data["regency"]
    rows_sync(
        Regency,
        {regency["code"]: {key: regency[key] for key in ("code", "name", "outline")}},
        {r.code: r for r in Regency.objects.all()},
        report,
        "regency",
        "",
    )
    wanted = {
        row["code"]: {"code": row["code"], "name": row["name"], "active": True}
        for row in data["kecamatan"]
    }
    kecamatan = rows_sync(
        Kecamatan, wanted, {k.code: k for k in Kecamatan.objects.all()}, report, "kecamatan", ""
    )
    rows_deactivate(Kecamatan.objects.exclude(code__in=wanted), report, "kecamatan")
    wanted = {}
    for row in data["desa"]:
        parent = kecamatan.get(row["kecamatan"])
        if parent is None or not row["code"].startswith(row["kecamatan"] + "."):
            raise ValidationError(f"{row['code']}: not in kecamatan {row['kecamatan']!r}")
        wanted[row["code"]] = {
            "code": row["code"],
            "kecamatan": parent,
            "name": row["name"],
            "active": True,
        }
    rows_sync(Desa, wanted, {d.code: d for d in Desa.objects.all()}, report, "desa", "kecamatan")
    rows_deactivate(Desa.objects.exclude(code__in=wanted), report, "desa")
    places_changed()  # new rows are bulk-inserted: no signal clears the cached choices
    return report
