"""A file's details (what it states about the thing permitted) in words, for every page
that shows them: the applicant's, the back office's, the permit and the public ones."""

from __future__ import annotations

from permits.details.spec import FieldKind, site_key
from permits.details.values import details_display
from permits.models import Application
from places.selectors import Gazetteer, gazetteer


def file_details(
    app: Application, *, only: str | None = None, places: Gazetteer | None = None
) -> list[dict]:
    """The file's details in words (``permits.details.values.details_display``), places
    retired since included; ``only``: "printed" or "public". A page listing many files
    reads the places once and passes them (``places_all``)."""
    if not app.details:
        return []  # nothing stated: no place to read
    return details_display(app.form_spec, app.details, places=places or places_all(), only=only)


def places_all() -> Gazetteer:
    """Every place a file may name, retired ones included (to show older files)."""
    return gazetteer(with_inactive=True)


def site_address(app: Application) -> str:
    """The address of the place the file asks a permit for (its first address field), in
    words with its desa and kecamatan; "" when its type names no place."""
    site = site_key(app.form_spec)
    value = app.details.get(site) if site else None
    if not value:
        return ""
    return f"{value['street']}, {places_all().place_label(value['kecamatan'], value['desa'])}"


def site_point(app: Application) -> tuple[float, float] | None:
    """Where on the map the file says its place is (its first map point): (latitude,
    longitude), or None when its type asks none or the applicant left it empty."""
    key = next((f["key"] for f in app.form_spec if f["kind"] == FieldKind.POINT), None)
    value = app.details.get(key) if key and app.details else None
    if not value:
        return None
    return float(value["lat"]), float(value["lon"])
