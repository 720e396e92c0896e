"""Plausible values for a spec's fields: the demo's files, the benches' histories and the
tests fill a type's form with them. ``rng`` (a ``random.Random``) makes them repeatable
without touching the caller's own draws."""

from __future__ import annotations

import datetime
import math
import random

from permits.details.spec import FieldKind
from places.selectors import Gazetteer

STREETS = ["Jl. Merdeka", "Jl. Pahlawan", "Jl. Diponegoro", "Jl. Kartini", "Jl. Veteran"]
WORDS = ["Sejahtera", "Makmur", "Sentosa", "Harapan", "Mandiri", "Berkah", "Lestari"]


def details_example(spec: list[dict], *, places: Gazetteer, rng: random.Random) -> dict:
    """A value for every field of ``spec`` that ``details_clean`` accepts as complete."""
    return {field["key"]: _value(field, places, rng) for field in spec}


def _value(field: dict, places: Gazetteer, rng: random.Random):
    kind = field["kind"]
    if kind == FieldKind.ADDRESS:
        desa = rng.choice(sorted(places.desa.values(), key=lambda d: d.code))
        rt, rw = rng.randint(1, 9), rng.randint(1, 5)
        street = f"{rng.choice(STREETS)} No. {rng.randint(1, 120)}, RT {rt:02d}/RW {rw:02d}"
        return {"street": street, "kecamatan": desa.code.rsplit(".", 1)[0], "desa": desa.code}
    if kind == FieldKind.POINT:
        return _point_inside(places, rng)
    if kind == FieldKind.ROWS:
        count = max(field.get("min_rows", 1), rng.randint(1, 3))
        return [{c["key"]: _plain(c, rng) for c in field["columns"]} for _ in range(count)]
    return _plain(field, rng)


def _plain(field: dict, rng: random.Random):
    kind = field["kind"]
    if kind == FieldKind.CHOICE:
        return rng.choice(field["choices"])["value"]
    if kind == FieldKind.YES_NO:
        return rng.random() < 0.5
    if kind == FieldKind.DATE:
        return (
            datetime.date(2026, 1, 5) + datetime.timedelta(days=rng.randint(0, 360))
        ).isoformat()
    if kind in (FieldKind.NUMBER, FieldKind.AREA):
        low = field.get("min", 1 if kind == FieldKind.AREA else 0)
        high = field.get("max", low + (500 if kind == FieldKind.AREA else 20))
        low = max(low, 1) if kind == FieldKind.AREA else low
        value = rng.uniform(low, high)
        if field.get("integer"):
            return min(max(round(value), math.ceil(low)), math.floor(high))
        return round(value, 1) if round(value, 1) >= low else low
    if "example" in field:
        return field["example"]
    words = " ".join(rng.choice(WORDS) for _ in range(2))
    return words[: field.get("max_length", 200)]


def _point_inside(places: Gazetteer, rng: random.Random) -> dict:
    ring = places.regency.outline
    lats, lons = [p[0] for p in ring], [p[1] for p in ring]
    for _ in range(1000):
        lat, lon = rng.uniform(min(lats), max(lats)), rng.uniform(min(lons), max(lons))
        if places.inside(lat, lon):
            return {"lat": round(lat, 6), "lon": round(lon, 6)}
    raise ValueError("no point found inside the regency's outline")
