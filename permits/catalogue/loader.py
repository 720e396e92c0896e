"""Load the permit catalogue from its JSON file, idempotently.

Rows are matched by code. A row whose fields already match is not saved (so a second load
writes nothing and leaves no history); a changed row is updated; a row that disappeared
from the file is deactivated, never deleted, because files and permits refer to it.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from permits.details.spec import COMMON
from permits.models import OPD, PermitField, PermitType, Requirement, SearchNote, TypeRecommender
from permits.models.recommendations import recommendation_time_problem
from permits.selectors.catalogue import catalogue_choices_invalidate
from permits.services.form_versions import form_versions_publish
from trail.loading import LoadReport, rows_deactivate, rows_sync

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


def read_catalogue(path: Path) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def catalogue_load(*, data: dict) -> LoadReport:
    """Bring the database in line with ``data`` (the parsed catalogue file)."""
    report = LoadReport()
    wanted_opds = {
        row["code"]: {"code": row["code"], "active": True}
        | {name: row.get(name, "") for name in OPD_FIELDS}
        for row in data["opds"]
    }
    opds = rows_sync(OPD, wanted_opds, {o.code: o for o in OPD.objects.all()}, report, "opd", "")
    rows_deactivate(OPD.objects.exclude(code__in=opds), report, "opd")

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
    types = rows_sync(PermitType, wanted_types, stored, report, "type", "opd")

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
    rows_sync(Requirement, wanted_requirements, stored, report, "requirement", "permit_type")
    loaded = {permit_type.pk for permit_type in types.values()}
    gone = [
        r.pk
        for key, r in stored.items()
        if key not in wanted_requirements and r.permit_type_id in loaded
    ]
    rows_deactivate(
        Requirement.objects.filter(pk__in=gone).order_by("permit_type_id", "position"),
        report,
        "requirement",
    )
    _load_fields(data, types, report)
    _load_recommenders(data, types, opds, report)
    rows_deactivate(PermitType.objects.exclude(code__in=types), report, "type")
    _load_notes(data.get("search_notes", []), report)
    if report.changed:
        # New rows go in by bulk_create, which sends no signal: what is kept rendered from
        # the catalogue (home, service pages, tracking) must be told.
        catalogue_choices_invalidate()
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
    rows_sync(SearchNote, wanted, stored, report, "note", "")
    rows_deactivate(SearchNote.objects.exclude(code__in=wanted), report, "note")


def _expanded(row: dict, field_sets: dict) -> list[dict]:
    """A type's fields with the shared sets it names put in place."""
    fields = []
    for entry in row.get("fields", []):
        if isinstance(entry, str):
            if entry not in field_sets:
                raise ValidationError(f"{row['code']}: unknown field set {entry!r}")
            fields += field_sets[entry]
        else:
            fields.append(entry)
    return fields


def _load_recommenders(data: dict, types: dict, opds: dict, report: LoadReport) -> None:
    """The agencies whose recommendation each type needs (``recommenders``: OPD code and
    working days). One the file no longer names is removed (its field history keeps it);
    files already asked keep their recommendations."""
    wanted = {}
    for row in data["permit_types"]:
        permit_type = types[row["code"]]
        for item in row.get("recommenders", []):
            if item["opd"] not in opds or item["opd"] == row["opd"]:
                raise ValidationError(
                    f"{row['code']}: recommender {item['opd']!r} is not another OPD"
                )
            problem = recommendation_time_problem(permit_type, item["working_days"])
            if problem:
                raise ValidationError(f"{row['code']}: {item['opd']}: {problem}")
            wanted[(permit_type.pk, item["opd"])] = {
                "permit_type": permit_type,
                "opd": opds[item["opd"]],
                "working_days": item["working_days"],
            }
    stored = {
        (r.permit_type_id, r.opd.code): r for r in TypeRecommender.objects.select_related("opd")
    }
    rows_sync(TypeRecommender, wanted, stored, report, "recommender", "permit_type")
    loaded = {permit_type.pk for permit_type in types.values()}
    for key, row in stored.items():
        if key not in wanted and row.permit_type_id in loaded:
            row.delete()
            report.add("recommender", "removed")


def _load_fields(data: dict, types: dict, report: LoadReport) -> None:
    """Each type's application fields, then a new form version for each type whose fields
    changed (``permits.services.form_versions``)."""
    wanted = {}
    for row in data["permit_types"]:
        permit_type = types[row["code"]]
        for position, spec in enumerate(_expanded(row, data.get("field_sets", {})), start=1):
            wanted[(permit_type.pk, spec["key"])] = {
                "permit_type": permit_type,
                "key": spec["key"],
                "kind": spec["kind"],
                "label_id": spec["label_id"],
                "label_en": spec["label_en"],
                "help_id": spec.get("help_id", ""),
                "help_en": spec.get("help_en", ""),
                "required": spec.get("required", True),
                "printed": spec.get("printed", False),
                "public": spec.get("public", False),
                "options": {name: value for name, value in spec.items() if name not in COMMON},
                "position": position,
                "active": True,
            }
    stored = {(f.permit_type_id, f.key): f for f in PermitField.objects.all()}
    rows_sync(PermitField, wanted, stored, report, "field", "permit_type")
    loaded = {permit_type.pk for permit_type in types.values()}
    gone = [f.pk for key, f in stored.items() if key not in wanted and f.permit_type_id in loaded]
    rows_deactivate(PermitField.objects.filter(pk__in=gone).order_by("pk"), report, "field")
    for _version in form_versions_publish(permit_types=list(types.values())):
        report.add("form_version", "created")
