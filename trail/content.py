"""The canonical content of a row of a sealed model (``trail.seals``).

A row's content is ``{attname: value}`` over the columns named (by default every concrete
field, foreign keys as their ids), each value normalised the way the database gives it
back, so a row re-read from SQLite or PostgreSQL hashes to what was sealed when it was
written: times as UTC ISO-8601 with microseconds, dates ISO, decimals quantised to the
field's places, files by their stored name, JSON through ``trail.chain._json``, addresses
through ``trail.chain._address``, UUIDs and other text as strings, bytes as hex. Its
SHA-256 is that of the canonical JSON (keys sorted, no spaces, UTF-8).
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import uuid

from django.db import models

from trail.chain import _address, _instant, _json, _number


def row_fields(model) -> list[str]:
    """The attnames a seal of ``model`` covers: every concrete column, in model order."""
    return [field.attname for field in model._meta.concrete_fields]


def _value(field, value):  # one branch per kind of column
    if value is None:
        return None
    if isinstance(field, models.ForeignKey):
        return _value(field.target_field, value)
    if isinstance(field, models.FileField):
        return str(getattr(value, "name", value) or "")
    if isinstance(field, models.DateTimeField):
        if isinstance(value, str):
            value = datetime.datetime.fromisoformat(value)
        return _instant(value)
    if isinstance(field, models.DateField | models.TimeField):
        return value.isoformat()
    if isinstance(field, models.DecimalField):
        places = decimal.Decimal(1).scaleb(-(field.decimal_places or 0))
        return str(decimal.Decimal(str(value)).quantize(places))
    if isinstance(field, models.JSONField):
        return _json(value)
    if isinstance(field, models.GenericIPAddressField):
        return _address(value)
    if isinstance(field, models.UUIDField):
        return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
    if isinstance(field, models.BinaryField):
        return bytes(value).hex()
    if isinstance(field, models.BooleanField):
        return bool(value)
    if isinstance(field, models.DurationField):
        return value // datetime.timedelta(microseconds=1)
    if isinstance(field, models.IntegerField | models.AutoField):
        return int(value)
    if isinstance(field, models.FloatField):
        return _number(float(value))
    return str(value)


def row_content(instance, fields: list[str] | None = None) -> dict:
    """``instance``'s content over ``fields`` (attnames; default ``row_fields``). A named
    column the model no longer has reads as ``"<missing>"``."""
    return values_content(type(instance), _Attributes(instance), fields)


class _Attributes:
    """An instance read as a mapping of its attributes (a deferred one loads, as ever)."""

    def __init__(self, instance):
        self.instance = instance

    def __getitem__(self, name):
        return getattr(self.instance, name)


def values_content(model, values, fields: list[str] | None = None) -> dict:
    """The content of a row of ``model`` given as ``values`` ({attname: value}, as a bulk
    loader holds it before writing), over ``fields`` as ``row_content``."""
    by_attname = {field.attname: field for field in model._meta.concrete_fields}
    names = row_fields(model) if fields is None else fields
    return {
        name: _value(by_attname[name], values[name]) if name in by_attname else "<missing>"
        for name in names
    }


def row_sha256(instance, fields: list[str] | None = None) -> str:
    """The SHA-256 hex of ``instance``'s canonical content (``row_content``)."""
    return _sha256(row_content(instance, fields))


def values_sha256(model, values, fields: list[str] | None = None) -> str:
    """The SHA-256 hex of ``values_content``: what ``row_sha256`` gives for the row once
    written and read back."""
    return _sha256(values_content(model, values, fields))


def _sha256(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
