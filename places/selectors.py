"""Reads of the regency's places: the list an address chooses from, and the checks a
stated place and a map point must pass."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache

from core.cache import DERIVED_SECONDS
from places.geometry import point_inside
from places.models import Desa, Kecamatan, Regency


@dataclass
class Gazetteer:
    """The regency's active places, read in two queries."""

    regency: Regency | None
    kecamatan: dict[str, Kecamatan] = field(default_factory=dict)
    desa: dict[str, Desa] = field(default_factory=dict)

    def grouped(self) -> list[tuple[Kecamatan, list[Desa]]]:
        """Each kecamatan with its desa/kelurahan, by name."""
        by_parent: dict[int, list[Desa]] = {}
        for desa in self.desa.values():
            by_parent.setdefault(desa.kecamatan_id, []).append(desa)
        return [
            (k, sorted(by_parent.get(k.pk, []), key=lambda d: d.name))
            for k in sorted(self.kecamatan.values(), key=lambda k: k.name)
        ]

    def inside(self, lat: float, lon: float) -> bool:
        return self.regency is not None and point_inside(lat, lon, self.regency.outline)

    def place_label(self, kecamatan_code: str, desa_code: str) -> str:
        """ "Desa Wanasari, Kec. Wanasari" (the codes as they are if no longer listed)."""
        desa, kecamatan = self.desa.get(desa_code), self.kecamatan.get(kecamatan_code)
        desa_text = desa.label if desa else desa_code
        kecamatan_text = kecamatan.name if kecamatan else kecamatan_code
        return f"{desa_text}, Kec. {kecamatan_text}"


def gazetteer(*, with_inactive: bool = False) -> Gazetteer:
    """The places an address may name (``with_inactive``: also those retired since, to
    show what an older file states)."""
    kecamatan = Kecamatan.objects.all() if with_inactive else Kecamatan.objects.filter(active=True)
    desa = (
        Desa.objects.all()
        if with_inactive
        else Desa.objects.filter(active=True, kecamatan__active=True)
    )
    kecamatan = {k.code: k for k in kecamatan}
    return Gazetteer(
        regency=Regency.objects.first(),
        kecamatan=kecamatan,
        desa={d.code: d for d in desa},
    )


PLACE_CHOICES_KEY = "places:choices"


def place_choices() -> list[tuple[str, str]]:
    """Each kecamatan, then its desa/kelurahan, as (code, name) for a filter's select:
    cached until a place changes (``places_changed``), at most ``DERIVED_SECONDS``."""
    choices = cache.get(PLACE_CHOICES_KEY)
    if choices is None:
        choices = []
        for kecamatan, desa_list in gazetteer().grouped():
            choices.append((kecamatan.code, f"Kec. {kecamatan.name}"))
            choices += [(desa.code, f"\u00a0\u00a0{desa.label}") for desa in desa_list]
        cache.set(PLACE_CHOICES_KEY, choices, timeout=DERIVED_SECONDS)
    return choices


def places_changed(**kwargs) -> None:
    cache.delete(PLACE_CHOICES_KEY)
