"""Helpers the tests of a permit type's own fields share (``tests/permits``,
``tests/issuance``): a spec with every kind, good input for it, its fields on a type."""

from __future__ import annotations

from permits.models import PermitField
from permits.services.form_versions import form_versions_publish

SPEC = [
    {
        "key": "apotek_name",
        "kind": "text",
        "label_id": "Nama apotek",
        "label_en": "Pharmacy name",
        "printed": True,
        "public": True,
        "max_length": 60,
    },
    {
        "key": "kbli",
        "kind": "text",
        "label_id": "KBLI",
        "label_en": "KBLI",
        "pattern": "^[0-9]{5}$",
        "example": "47111",
        "pattern_message_id": "Isi 5 angka kode KBLI.",
        "pattern_message_en": "Enter the 5-digit KBLI code.",
    },
    {
        "key": "floors",
        "kind": "number",
        "label_id": "Jumlah lantai",
        "label_en": "Floors",
        "unit_id": "lantai",
        "unit_en": "floors",
        "min": 1,
        "max": 8,
        "integer": True,
    },
    {"key": "floor_area", "kind": "area", "label_id": "Luas lantai", "label_en": "Floor area"},
    {
        "key": "opened",
        "kind": "date",
        "label_id": "Mulai beroperasi",
        "label_en": "Opening date",
        "required": False,
    },
    {
        "key": "ownership",
        "kind": "choice",
        "label_id": "Status tempat",
        "label_en": "Premises",
        "choices": [
            {"value": "own", "label_id": "Milik sendiri", "label_en": "Owned"},
            {"value": "rent", "label_id": "Sewa", "label_en": "Rented"},
        ],
    },
    {"key": "parking", "kind": "yes_no", "label_id": "Ada tempat parkir", "label_en": "Parking"},
    {
        "key": "site",
        "kind": "address",
        "label_id": "Alamat apotek",
        "label_en": "Pharmacy address",
        "printed": True,
    },
    {"key": "site_point", "kind": "point", "label_id": "Titik lokasi", "label_en": "Location"},
    {
        "key": "rooms",
        "kind": "rows",
        "label_id": "Ruangan",
        "label_en": "Rooms",
        "max_rows": 3,
        "columns": [
            {"key": "name", "kind": "text", "label_id": "Nama ruang", "label_en": "Room"},
            {"key": "area", "kind": "area", "label_id": "Luas", "label_en": "Area"},
            {
                "key": "beds",
                "kind": "number",
                "label_id": "Tempat tidur",
                "label_en": "Beds",
                "integer": True,
                "min": 0,
                "required": False,
            },
        ],
    },
]


def a_desa(places, index=0):
    desa = sorted(places.desa.values(), key=lambda d: d.code)[index]
    return desa.code.rsplit(".", 1)[0], desa.code


def good(places) -> dict:
    kecamatan, desa = a_desa(places)
    return {
        "apotek_name": "Apotek Sehat",
        "kbli": "47722",
        "floors": "2",
        "floor_area": "120,5",
        "ownership": "rent",
        "parking": "yes",
        "site": {"street": "Jl. Merdeka 10", "kecamatan": kecamatan, "desa": desa},
        "site_point": {"lat": "-7,45", "lon": "110,15"},
        "rooms": [{"name": "Ruang racik", "area": "12", "beds": ""}, {"name": "", "area": ""}],
    }


def fields_add(permit_type, spec=None) -> None:
    """``spec``'s fields (SPEC's by default) on ``permit_type``, published as a version."""
    common = {"key", "kind", "label_id", "label_en", "required", "printed", "public"}
    for position, field in enumerate(spec or SPEC, start=1):
        PermitField.objects.create(
            permit_type=permit_type,
            position=position,
            **{k: v for k, v in field.items() if k in common},
            options={k: v for k, v in field.items() if k not in common},
        )
    form_versions_publish(permit_types=[permit_type])
