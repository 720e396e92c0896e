"""Load the permit catalogue from its JSON file, idempotently.

Rows are matched by code. A row whose fields already match is not saved (so a second load
writes nothing and leaves no history); a changed row is updated; a row that disappeared
from the file is deactivated, never deleted, because files and permits refer to it.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from permits.models import OPD, PermitType, Requirement, SearchNote

OPD_FIELDS = ("name_id", "name_en")
TYPE_FIELDS = (
    "name_id",
    "name_en",
    "family",
    "sop_duration",
    "sop_unit",
    "check_duration",
    "fee",
    "needs_technical_review",
    "needs_inspection",
    "validity_months",
    "legal_basis",
    "number_pattern",
)
# Fields a catalogue row may leave out, and the value it then gets.
TYPE_DEFAULTS = {"check_duration": 1}
REQUIREMENT_FIELDS = ("name_id", "name_en", "mandatory", "formats", "max_size_kb", "position")


@dataclass
class LoadReport:
    counts: Counter = field(default_factory=Counter)

    def add(self, kind: str, outcome: str) -> None:
        self.counts[f"{kind}.{outcome}"] += 1

    @property
    def changed(self) -> bool:
        return any(n for key, n in self.counts.items() if not key.endswith(".unchanged"))

    def __str__(self) -> str:
        return ", ".join(f"{key}={n}" for key, n in sorted(self.counts.items())) or "empty"


def read_catalogue(path: Path) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _upsert(model, lookup: dict, values: dict, report: LoadReport, kind: str):
    """Create or update one row; save only when a value differs."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        report.add(kind, "created")
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean()
        obj.save()
        report.add(kind, "updated")
    else:
        report.add(kind, "unchanged")
    return obj


def _deactivate(queryset, report: LoadReport, kind: str) -> None:
    # Row by row, not queryset.update(): each deactivation leaves field history.
    for obj in queryset.filter(active=True):
        obj.active = False
        obj.save(update_fields=["active"])
        report.add(kind, "deactivated")


@transaction.atomic
def catalogue_load(*, data: dict) -> LoadReport:
    """Bring the database in line with ``data`` (the parsed catalogue file)."""
    report = LoadReport()
    opds = {}
    for row in data["opds"]:
        values = {name: row.get(name, "") for name in OPD_FIELDS} | {"active": True}
        opds[row["code"]] = _upsert(OPD, {"code": row["code"]}, values, report, "opd")
    _deactivate(OPD.objects.exclude(code__in=opds), report, "opd")

    type_codes = []
    for row in data["permit_types"]:
        if row["opd"] not in opds:
            raise ValidationError(f"{row['code']}: unknown OPD {row['opd']!r}")
        values = {name: row.get(name, TYPE_DEFAULTS.get(name)) for name in TYPE_FIELDS}
        values |= {
            "opd": opds[row["opd"]],
            "active": True,
            "search_terms": "\n".join(row.get("search_terms", [])),
        }
        permit_type = _upsert(PermitType, {"code": row["code"]}, values, report, "type")
        type_codes.append(row["code"])

        requirement_codes = []
        for position, req in enumerate(row["requirements"], start=1):
            req_values = {name: req.get(name) for name in REQUIREMENT_FIELDS if name in req}
            req_values |= {"position": position, "active": True}
            _upsert(
                Requirement,
                {"permit_type": permit_type, "code": req["code"]},
                req_values,
                report,
                "requirement",
            )
            requirement_codes.append(req["code"])
        _deactivate(
            permit_type.requirements.exclude(code__in=requirement_codes), report, "requirement"
        )
    _deactivate(PermitType.objects.exclude(code__in=type_codes), report, "type")
    _load_notes(data.get("search_notes", []), report)
    return report


def _load_notes(rows: list[dict], report: LoadReport) -> None:
    """What the search says of permits that are gone or issued elsewhere (SIUP → NIB)."""
    for row in rows:
        values = {
            "terms": "\n".join(row["terms"]),
            "text_id": row["text_id"],
            "text_en": row.get("text_en", ""),
            "active": True,
        }
        _upsert(SearchNote, {"code": row["code"]}, values, report, "note")
    _deactivate(SearchNote.objects.exclude(code__in=[r["code"] for r in rows]), report, "note")
