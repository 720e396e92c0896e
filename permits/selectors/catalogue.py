"""The catalogue as the public and staff pages read it: search, choices for filters, the
types kept in process, and how many there are."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language

from core.cache import DERIVED_SECONDS, shared_version, shared_version_bump
from permits.models import OPD, PermitType


@dataclass
class CatalogueGroup:
    opd: OPD
    permit_types: list[PermitType]


@dataclass
class CatalogueSearch:
    """The home page's catalogue: every type by OPD (no query), or the types matching a
    query best first (``results``), or, when none matches, the closest (``closest``)."""

    groups: list[CatalogueGroup]
    results: list[PermitType]
    closest: list[PermitType]
    notes: list = field(default_factory=list)  # SearchNote: SIUP is now the NIB, ...


def catalogue_search(*, query: str = "") -> CatalogueSearch:
    """Active permit types with their requirement count: two queries at most (the search
    index comes from ``catalogue_types``; ``permits.search`` says how a query matches)."""
    from permits.search import catalogue_rank

    types: QuerySet[PermitType] = (
        PermitType.objects.filter(active=True, opd__active=True)
        .select_related("opd")
        .annotate(requirement_count=Count("requirements", filter=Q(requirements__active=True)))
        .order_by("opd__name_id", "name_id")
    )
    if not query.strip():
        groups: dict[int, CatalogueGroup] = {}
        for permit_type in types:
            group = groups.setdefault(permit_type.opd_id, CatalogueGroup(permit_type.opd, []))
            group.permit_types.append(permit_type)
        return CatalogueSearch(list(groups.values()), [], [])
    ranking = catalogue_rank(query=query)
    # A note ("SIUP is now the NIB") answers better than types that look alike.
    wanted = ranking.pks or ([] if ranking.notes else ranking.closest_pks)
    by_pk = {t.pk: t for t in types.filter(pk__in=wanted)} if wanted else {}
    ordered = [by_pk[pk] for pk in wanted if pk in by_pk]
    if ranking.pks:
        return CatalogueSearch([], ordered, [], ranking.notes)
    return CatalogueSearch([], [], ordered, ranking.notes)


def _choices_key(language: str) -> str:
    return f"permits:catalogue-choices:{language}"


def catalogue_choices() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(permit types, OPDs) as (pk, name) in the active language, for filter selects.

    Cached until the catalogue changes (``permits.signals``), at most ``DERIVED_SECONDS``
    (a change made while Redis was down could not clear it): every worklist shows them.
    """
    key = _choices_key(get_language())
    choices = cache.get(key)
    if choices is None:
        types = list(PermitType.objects.filter(active=True, opd__active=True).select_related("opd"))
        opds = {t.opd_id: t.opd for t in types}.values()
        by_name = lambda choice: choice[1].casefold()  # noqa: E731
        choices = (
            sorted(((t.pk, t.name) for t in types), key=by_name),
            sorted(((o.pk, o.name) for o in opds), key=by_name),
        )
        cache.set(key, choices, timeout=DERIVED_SECONDS)
    return choices


_TYPES_VERSION_KEY = "permits:catalogue-types-version"
_types_memo: dict[str, object] = {}


def catalogue_version() -> str:
    """The catalogue's version in the shared cache: any process that changes the catalogue
    bumps it, and what a process kept from an older version is rebuilt."""
    return shared_version(_TYPES_VERSION_KEY)


def catalogue_types() -> dict[int, PermitType]:
    """Every permit type with its OPD, by id, kept in this process until the catalogue
    changes (``catalogue_version``). Pages that show many files or one public file take a
    type from here instead of joining it on every request."""
    version = catalogue_version()
    if _types_memo.get("version") != version:
        _types_memo["types"] = {t.pk: t for t in PermitType.objects.select_related("opd")}
        _types_memo["version"] = version
    return _types_memo["types"]  # type: ignore[return-value]


def catalogue_choices_invalidate() -> None:
    cache.delete_many([_choices_key(code) for code, _name in settings.LANGUAGES])
    shared_version_bump(_TYPES_VERSION_KEY)
    _types_memo.clear()


def catalogue_size() -> int:
    """How many types are active (from the search index: no query when warm)."""
    from permits.search import search_entries

    return len(search_entries())
