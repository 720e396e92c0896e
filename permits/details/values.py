"""A file's values for its type's fields: checked, cleaned and put into words.

``details_clean`` takes what a form posted (strings) or what is stored (its own output) and
returns the document to keep and a message per field that is wrong, in the reader's
language. A draft may be incomplete (``complete=False``); from submission on, every
required field must hold. Cleaning its own output changes nothing, so the model checks
the stored document again on every write.

Stored shapes: text and date (``YYYY-MM-DD``) and choice as strings; number and area as
numbers; yes/no as true/false; an address as ``{"street", "kecamatan", "desa"}`` (codes);
a map point as ``{"lat", "lon"}``; a list as a list of rows, each a dict of its columns.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from permits.details.spec import FieldKind, label, site_key, text_in
from places.selectors import Gazetteer

EMPTY = (None, "", [], {})


class Invalid(Exception):
    """One field's value is wrong; the message says how, to the applicant."""


@dataclass
class Cleaned:
    values: dict = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def details_clean(spec: list[dict], data: dict, *, places: Gazetteer, complete: bool) -> Cleaned:
    """Check ``data`` against ``spec``: keys not in the spec are dropped, empty values left
    out, and each wrong or (when ``complete``) missing field gets its message."""
    result = Cleaned()
    for definition in spec:
        key = definition["key"]
        raw = data.get(key)
        try:
            value = _clean_one(definition, raw, places)
        except Invalid as problem:
            result.errors[key] = str(problem)
            continue
        if value in EMPTY:
            if complete and definition.get("required", True):
                result.errors[key] = _("%(field)s wajib diisi.") % {"field": _label(definition)}
            continue
        result.values[key] = value
    return result


def _label(definition: dict) -> str:
    return label(definition, get_language() or "id")


def _clean_one(definition: dict, raw, places: Gazetteer):
    kind = FieldKind(definition["kind"])
    if kind == FieldKind.ROWS:
        return _clean_rows(definition, raw, places)
    if kind == FieldKind.ADDRESS:
        return _clean_address(definition, raw, places)
    if kind == FieldKind.POINT:
        return _clean_point(definition, raw, places)
    return _clean_plain(definition, raw)


def _clean_plain(definition: dict, raw):
    """A value of the kinds a list's columns may have too."""
    kind = FieldKind(definition["kind"])
    if isinstance(raw, str):
        raw = raw.strip()
    if raw in EMPTY:
        return None
    name = _label(definition)
    if kind == FieldKind.TEXT:
        return _clean_text(definition, str(raw), name)
    if kind in (FieldKind.NUMBER, FieldKind.AREA):
        return _clean_number(definition, raw, name)
    if kind == FieldKind.DATE:
        return _clean_date(raw, name)
    if kind == FieldKind.CHOICE:
        values = [choice["value"] for choice in definition["choices"]]
        if raw not in values:
            raise Invalid(_("%(field)s: pilih salah satu pilihan yang tersedia.") % {"field": name})
        return raw
    if kind == FieldKind.YES_NO:
        answers = {"yes": True, "no": False, True: True, False: False}
        if raw not in answers:
            raise Invalid(_("%(field)s: jawab ya atau tidak.") % {"field": name})
        return answers[raw]
    raise Invalid(_("%(field)s tidak dapat diisi di sini.") % {"field": name})


def _clean_text(definition: dict, text: str, name: str) -> str:
    limit = definition.get("max_length", 200)
    if len(text) > limit:
        raise Invalid(
            _("%(field)s terlalu panjang: paling banyak %(n)d karakter.")
            % {"field": name, "n": limit}
        )
    if not definition.get("multiline"):
        text = " ".join(text.split())
    pattern = definition.get("pattern")
    if pattern and not re.fullmatch(pattern, text):
        hint = text_in(definition, "pattern_message", get_language() or "id")
        raise Invalid(f"{name}: {hint}")
    return text


def _clean_number(definition: dict, raw, name: str) -> int | float:
    if isinstance(raw, bool):
        raise Invalid(_("%(field)s harus berupa angka.") % {"field": name})
    text = str(raw).replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # "12,5": the Indonesian decimal comma
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise Invalid(_("%(field)s harus berupa angka.") % {"field": name}) from None
    if not number.is_finite():
        raise Invalid(_("%(field)s harus berupa angka.") % {"field": name})
    kind = FieldKind(definition["kind"])
    if definition.get("integer") and number != number.to_integral_value():
        raise Invalid(_("%(field)s harus bilangan bulat.") % {"field": name})
    low = definition.get("min", 0 if kind == FieldKind.AREA else None)
    high = definition.get("max")
    shown = {"field": name}
    if kind == FieldKind.AREA and number <= 0:
        raise Invalid(_("%(field)s harus lebih dari 0 m².") % shown)
    if low is not None and number < Decimal(str(low)):
        raise Invalid(_("%(field)s paling sedikit %(n)s.") % {**shown, "n": _number(low)})
    if high is not None and number > Decimal(str(high)):
        raise Invalid(_("%(field)s paling banyak %(n)s.") % {**shown, "n": _number(high)})
    number = number.quantize(Decimal("0.01")) if number != number.to_integral_value() else number
    return int(number) if number == number.to_integral_value() else float(number)


def _clean_date(raw, name: str) -> str:
    text = str(raw)
    for parse in (
        datetime.date.fromisoformat,
        lambda t: datetime.datetime.strptime(t, "%d/%m/%Y").date(),
    ):
        try:
            return parse(text).isoformat()
        except ValueError:
            continue
    raise Invalid(_("%(field)s: tulis tanggal seperti 31/12/2026.") % {"field": name})


def _clean_address(definition: dict, raw, places: Gazetteer) -> dict | None:
    if raw in EMPTY:
        return None
    if not isinstance(raw, dict):
        raise Invalid(_("%(field)s tidak dapat dibaca.") % {"field": _label(definition)})
    street = " ".join(str(raw.get("street") or "").split())
    kecamatan, desa = str(raw.get("kecamatan") or ""), str(raw.get("desa") or "")
    if not (street or kecamatan or desa):
        return None
    name = _label(definition)
    if len(street) > 200:
        raise Invalid(_("%(field)s: alamat jalan paling banyak 200 karakter.") % {"field": name})
    if kecamatan not in places.kecamatan:
        raise Invalid(_("%(field)s: pilih kecamatannya.") % {"field": name})
    place = places.desa.get(desa)
    if place is None or place.kecamatan_id != places.kecamatan[kecamatan].pk:
        raise Invalid(_("%(field)s: pilih desa/kelurahan di kecamatan itu.") % {"field": name})
    if not street:
        raise Invalid(_("%(field)s: tulis nama jalan, nomor atau RT/RW.") % {"field": name})
    return {"street": street, "kecamatan": kecamatan, "desa": desa}


def _clean_point(definition: dict, raw, places: Gazetteer) -> dict | None:
    if raw in EMPTY:
        return None
    name = _label(definition)
    if not isinstance(raw, dict):
        raise Invalid(_("%(field)s tidak dapat dibaca.") % {"field": name})
    lat, lon = raw.get("lat"), raw.get("lon")
    if lat in EMPTY and lon in EMPTY:
        return None
    try:
        lat, lon = float(str(lat).replace(",", ".")), float(str(lon).replace(",", "."))
    except ValueError:
        raise Invalid(
            _("%(field)s: lintang dan bujur ditulis sebagai angka, misalnya -7,45 dan 110,12.")
            % {"field": name}
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not places.inside(lat, lon):
        raise Invalid(_("%(field)s: titik ini berada di luar wilayah kabupaten.") % {"field": name})
    return {"lat": round(lat, 6), "lon": round(lon, 6)}


def _clean_rows(definition: dict, raw, places: Gazetteer) -> list | None:
    name = _label(definition)
    if raw in EMPTY:
        rows = []
    elif not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        raise Invalid(_("%(field)s tidak dapat dibaca.") % {"field": name})
    else:
        rows = raw
    kept = []
    for number, row in enumerate(rows, start=1):
        cleaned = {}
        for column in definition["columns"]:
            try:
                value = _clean_plain(column, row.get(column["key"]))
            except Invalid as problem:
                raise Invalid(
                    _("%(field)s, baris %(n)d: %(problem)s")
                    % {"field": name, "n": number, "problem": problem}
                ) from None
            if value not in EMPTY:
                cleaned[column["key"]] = value
        if not cleaned:
            continue  # an empty row of the form is no row
        for column in definition["columns"]:
            if column.get("required", True) and column["key"] not in cleaned:
                raise Invalid(
                    _("%(field)s, baris %(n)d: %(column)s wajib diisi.")
                    % {"field": name, "n": number, "column": _label(column)}
                )
        kept.append(cleaned)
    high = definition.get("max_rows", 50)
    if len(kept) > high:
        raise Invalid(_("%(field)s: paling banyak %(n)d baris.") % {"field": name, "n": high})
    low = definition.get("min_rows", 0)
    if kept and len(kept) < low:
        raise Invalid(_("%(field)s: paling sedikit %(n)d baris.") % {"field": name, "n": low})
    return kept or None


def _number(value) -> str:
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def details_display(
    spec: list[dict], values: dict, *, places: Gazetteer, only: str | None = None
) -> list[dict]:
    """The fields that hold a value, in words, in spec order: ``{"key", "label", "text"}``
    and, for a list, ``"columns"`` and ``"rows"`` of words. ``only``: "printed" or
    "public" keeps the fields so marked."""
    language = get_language() or "id"
    shown = []
    for definition in spec:
        if only and not definition.get(only):
            continue
        value = values.get(definition["key"])
        if value in EMPTY:
            continue
        item = {"key": definition["key"], "label": label(definition, language)}
        if definition["kind"] == FieldKind.ROWS:
            columns = definition["columns"]
            item["columns"] = [label(c, language) for c in columns]
            item["rows"] = [
                [_words(c, row.get(c["key"]), language) for c in columns] for row in value
            ]
            item["text"] = ngettext("%(n)d baris", "%(n)d baris", len(value)) % {"n": len(value)}
        elif definition["kind"] == FieldKind.ADDRESS:
            place = places.place_label(value["kecamatan"], value["desa"])
            item["text"] = f"{value['street']}, {place}"
        elif definition["kind"] == FieldKind.POINT:
            item["text"] = f"{value['lat']:.6f}, {value['lon']:.6f}"
            item["point"] = value
        else:
            item["text"] = _words(definition, value, language)
        shown.append(item)
    return shown


def _words(definition: dict, value, language: str) -> str:
    if value in EMPTY:
        return "–"
    kind = definition["kind"]
    if kind == FieldKind.YES_NO:
        return _("Ya") if value else _("Tidak")
    if kind == FieldKind.CHOICE:
        for choice in definition["choices"]:
            if choice["value"] == value:
                return label(choice, language)
        return str(value)
    if kind == FieldKind.DATE:
        return formats.date_format(datetime.date.fromisoformat(value), "j F Y")
    if kind == FieldKind.AREA:
        return f"{_number(value)} m²"
    if kind == FieldKind.NUMBER:
        unit = text_in(definition, "unit", language)
        return f"{_number(value)} {unit}".strip()
    return str(value)


def details_facts(spec: list[dict], values: dict) -> dict[str, str]:
    """What the worklist filters and the counts read off a file's details: the place the
    permit is about (the spec's first address field) and the business line (a field keyed
    ``kbli``), as the file's ``site_kecamatan``, ``site_desa`` and ``kbli``."""
    facts = {"site_kecamatan": "", "site_desa": "", "kbli": ""}
    site = site_key(spec)
    if site and isinstance(values.get(site), dict):
        facts["site_kecamatan"] = values[site].get("kecamatan", "")
        facts["site_desa"] = values[site].get("desa", "")
    if isinstance(values.get("kbli"), str):
        facts["kbli"] = values["kbli"]
    return facts
