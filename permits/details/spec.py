"""A permit type's fields as data, and the checks a definition passes before it is used.

A spec is a list of field dicts (``PermitField.as_spec``): ``key``, ``kind``, the labels
and help in Indonesian and English, ``required``, ``printed``, ``public`` and the kind's
options (``OPTIONS``). The same checks guard the catalogue file, the admin and the loader.
"""

from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class FieldKind(models.TextChoices):
    TEXT = "text", _("teks")
    NUMBER = "number", _("angka")
    AREA = "area", _("luas (m²)")
    DATE = "date", _("tanggal")
    CHOICE = "choice", _("pilihan")
    YES_NO = "yes_no", _("ya/tidak")
    ADDRESS = "address", _("alamat di kabupaten")
    POINT = "point", _("titik peta")
    ROWS = "rows", _("daftar baris")


# The options each kind may carry (beyond the common keys).
OPTIONS = {
    FieldKind.TEXT: {
        "max_length",
        "multiline",
        "pattern",
        "pattern_message_id",
        "pattern_message_en",
        "example",
    },
    FieldKind.NUMBER: {"unit_id", "unit_en", "min", "max", "integer"},
    FieldKind.AREA: {"min", "max"},
    FieldKind.DATE: set(),
    FieldKind.CHOICE: {"choices"},
    FieldKind.YES_NO: set(),
    FieldKind.ADDRESS: set(),
    FieldKind.POINT: set(),
    FieldKind.ROWS: {"columns", "min_rows", "max_rows"},
}
COMMON = {
    "key",
    "kind",
    "label_id",
    "label_en",
    "help_id",
    "help_en",
    "required",
    "printed",
    "public",
}
# A list's columns are plain values: no place, no map point, no list inside a list.
COLUMN_KINDS = {
    FieldKind.TEXT,
    FieldKind.NUMBER,
    FieldKind.AREA,
    FieldKind.DATE,
    FieldKind.CHOICE,
    FieldKind.YES_NO,
}
KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
TEXT_MAX = 2000
ROWS_MAX = 200


def field_errors(field: dict, *, column: bool = False) -> list[str]:
    """What is wrong with one field's definition (empty: nothing)."""
    key = field.get("key", "?")
    errors = []

    def bad(message: str) -> None:
        errors.append(f"{key}: {message}")

    if not isinstance(key, str) or not KEY.match(key):
        bad("key must be lower_snake_case ASCII, at most 40 characters")
    kind = field.get("kind")
    if kind not in FieldKind.values or (column and kind not in COLUMN_KINDS):
        bad(f"kind {kind!r} is not allowed here")
        return errors
    unknown = set(field) - COMMON - OPTIONS[FieldKind(kind)]
    if unknown:
        bad(f"options {sorted(unknown)} do not belong to kind {kind}")
    for name in ("label_id", "label_en"):
        if not isinstance(field.get(name), str) or not field[name].strip():
            bad(f"{name} is required")
    if bool(field.get("help_id")) != bool(field.get("help_en")):
        bad("help needs both languages or neither")
    for name in ("required", "printed", "public", "multiline", "integer"):
        if name in field and not isinstance(field[name], bool):
            bad(f"{name} must be true or false")
    if field.get("public") and not field.get("printed"):
        bad("a public field must also be printed")
    errors += [f"{key}: {e}" for e in _options_errors(FieldKind(kind), field)]
    return errors


def _options_errors(kind: FieldKind, field: dict) -> list[str]:
    errors = []
    low, high = field.get("min"), field.get("max")
    for name, value in (("min", low), ("max", high)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            errors.append(f"{name} must be a number")
    if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
        errors.append("min is above max")
    if kind == FieldKind.TEXT:
        length = field.get("max_length", 200)
        if not isinstance(length, int) or isinstance(length, bool) or not 1 <= length <= TEXT_MAX:
            errors.append(f"max_length must be 1 to {TEXT_MAX}")
        if "pattern" in field:
            try:
                re.compile(field["pattern"])
            except (re.error, TypeError):
                errors.append("pattern is not a regular expression")
            if not (field.get("pattern_message_id") and field.get("pattern_message_en")):
                errors.append("a pattern needs pattern_message_id and pattern_message_en")
            example = field.get("example")
            if not isinstance(example, str) or not _matches(field["pattern"], example):
                errors.append("a pattern needs an example that matches it")
    if kind == FieldKind.NUMBER and bool(field.get("unit_id")) != bool(field.get("unit_en")):
        errors.append("unit needs both languages or neither")
    if kind == FieldKind.CHOICE:
        choices = field.get("choices")
        if not isinstance(choices, list) or len(choices) < 2:
            errors.append("choices needs at least two entries")
        else:
            values = [c.get("value") for c in choices if isinstance(c, dict)]
            if len(values) != len(choices) or len(set(values)) != len(values):
                errors.append("choices need unique values")
            for choice in choices:
                if not isinstance(choice, dict) or not all(
                    isinstance(choice.get(n), str) and choice[n]
                    for n in ("value", "label_id", "label_en")
                ):
                    errors.append("each choice needs value, label_id and label_en")
                    break
    if kind == FieldKind.ROWS:
        columns = field.get("columns")
        if not isinstance(columns, list) or not columns:
            errors.append("a list needs its columns")
        else:
            errors += spec_errors(columns, column=True)
        low, high = field.get("min_rows", 0), field.get("max_rows", 50)
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in (low, high)):
            errors.append("min_rows and max_rows must be whole numbers")
        elif not 0 <= low <= high <= ROWS_MAX:
            errors.append(f"rows must satisfy 0 <= min_rows <= max_rows <= {ROWS_MAX}")
    return errors


def _matches(pattern, text: str) -> bool:
    try:
        return re.fullmatch(pattern, text) is not None
    except (re.error, TypeError):
        return False


def spec_errors(spec: list[dict], *, column: bool = False) -> list[str]:
    """What is wrong with a type's (or a list's) fields, together."""
    if not isinstance(spec, list) or not all(isinstance(f, dict) for f in spec):
        return ["fields must be a list of objects"]
    errors = []
    seen = set()
    for field in spec:
        errors += field_errors(field, column=column)
        if field.get("key") in seen:
            errors.append(f"{field.get('key')}: key used twice")
        seen.add(field.get("key"))
    return errors


def label(field: dict, language: str) -> str:
    """A field's, a column's or a choice's label in the reader's language."""
    return field["label_en"] if language.startswith("en") else field["label_id"]


def labels(spec: list[dict], keys, language: str) -> list[str]:
    """The labels of the fields ``keys`` names, in the spec's order."""
    keys = set(keys)
    return [label(field, language) for field in spec if field["key"] in keys]


def site_key(spec: list[dict]) -> str | None:
    """The field that says where the permitted thing is: the spec's first address."""
    return next((f["key"] for f in spec if f["kind"] == FieldKind.ADDRESS), None)


def text_in(field: dict, name: str, language: str) -> str:
    """An option in the reader's language (``help``, ``unit``, ``pattern_message``)."""
    suffix = "en" if language.startswith("en") else "id"
    return field.get(f"{name}_{suffix}") or field.get(f"{name}_id") or ""
