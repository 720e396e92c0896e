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
from simple_history.utils import bulk_create_with_history

from permits.models import OPD, PermitType, Requirement, SearchNote
from trail.seals import seal_history_bulk

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


def _sync(model, wanted: dict, existing: dict, report: LoadReport, kind: str, fk: str) -> dict:
    """Bring ``model``'s rows in line with ``wanted`` (key -> field values) and return key ->
    row. A row whose values differ is saved (its field history records the change); new
    rows are created in one insert with their history, which is sealed (``trail.seals``);
    a row that matches is not touched. ``existing`` maps key -> row already stored.

    Rows are validated field by field; uniqueness is what ``wanted``'s keys are, and the
    database's constraints hold it. ``fk``, the parent this load just wrote, is not looked
    up again."""
    rows, new = {}, []
    for key, values in wanted.items():
        obj = existing.get(key)
        if obj is None:
            obj = model(**values)
            obj.full_clean(exclude=[fk], validate_unique=False, validate_constraints=False)
            new.append(obj)
            report.add(kind, "created")
        else:
            changed = [name for name, value in values.items() if getattr(obj, name) != value]
            if changed:
                for name in changed:
                    setattr(obj, name, values[name])
                obj.full_clean(exclude=[fk], validate_unique=False, validate_constraints=False)
                obj.save()
                report.add(kind, "updated")
            else:
                report.add(kind, "unchanged")
        rows[key] = obj
    if new:
        created = bulk_create_with_history(new, model)
        seal_history_bulk(model, created)
        by_key = {id(obj): obj for obj in created}
        rows = {key: by_key.get(id(obj), obj) for key, obj in rows.items()}
    return rows


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
    wanted_opds = {
        row["code"]: {"code": row["code"], "active": True}
        | {name: row.get(name, "") for name in OPD_FIELDS}
        for row in data["opds"]
    }
    opds = _sync(OPD, wanted_opds, {o.code: o for o in OPD.objects.all()}, report, "opd", "")
    _deactivate(OPD.objects.exclude(code__in=opds), report, "opd")

    wanted_types = {}
    for row in data["permit_types"]:
        if row["opd"] not in opds:
            raise ValidationError(f"{row['code']}: unknown OPD {row['opd']!r}")
        values = {name: row.get(name, TYPE_DEFAULTS.get(name)) for name in TYPE_FIELDS}
        wanted_types[row["code"]] = values | {
            "code": row["code"],
            "opd": opds[row["opd"]],
            "active": True,
            "search_terms": "\n".join(row.get("search_terms", [])),
        }
    stored = {t.code: t for t in PermitType.objects.all()}
    types = _sync(PermitType, wanted_types, stored, report, "type", "opd")

    wanted_requirements = {}
    for row in data["permit_types"]:
        permit_type = types[row["code"]]
        for position, req in enumerate(row["requirements"], start=1):
            values = {name: req.get(name) for name in REQUIREMENT_FIELDS if name in req}
            wanted_requirements[(permit_type.pk, req["code"])] = values | {
                "permit_type": permit_type,
                "code": req["code"],
                "position": position,
                "active": True,
            }
    stored = {(r.permit_type_id, r.code): r for r in Requirement.objects.all()}
    _sync(Requirement, wanted_requirements, stored, report, "requirement", "permit_type")
    loaded = {permit_type.pk for permit_type in types.values()}
    gone = [
        r.pk
        for key, r in stored.items()
        if key not in wanted_requirements and r.permit_type_id in loaded
    ]
    _deactivate(
        Requirement.objects.filter(pk__in=gone).order_by("permit_type_id", "position"),
        report,
        "requirement",
    )
    _deactivate(PermitType.objects.exclude(code__in=types), report, "type")
    _load_notes(data.get("search_notes", []), report)
    return report


def _load_notes(rows: list[dict], report: LoadReport) -> None:
    """What the search says of permits that are gone or issued elsewhere (SIUP -> NIB)."""
    wanted = {
        row["code"]: {
            "code": row["code"],
            "terms": "\n".join(row["terms"]),
            "text_id": row["text_id"],
            "text_en": row.get("text_en", ""),
            "active": True,
        }
        for row in rows
    }
    stored = {n.code: n for n in SearchNote.objects.all()}
    _sync(SearchNote, wanted, stored, report, "note", "")
    _deactivate(SearchNote.objects.exclude(code__in=wanted), report, "note")
