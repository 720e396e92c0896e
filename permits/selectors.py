"""Read-side queries of the permits app: what pages and lists show."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from permits.models import OPD, PermitType


@dataclass
class CatalogueGroup:
    opd: OPD
    permit_types: list[PermitType]


def catalogue_search(*, query: str = "") -> list[CatalogueGroup]:
    """Active permit types grouped by their OPD, filtered by a free-text query.

    One query whatever the catalogue's size; the query matches code, Indonesian and English
    names and the OPD's names, word by word.
    """
    types: QuerySet[PermitType] = (
        PermitType.objects.filter(active=True, opd__active=True)
        .select_related("opd")
        .annotate(requirement_count=Count("requirements", filter=Q(requirements__active=True)))
        .order_by("opd__name_id", "name_id")
    )
    for word in query.split()[:8]:
        types = types.filter(
            Q(code__icontains=word)
            | Q(name_id__icontains=word)
            | Q(name_en__icontains=word)
            | Q(opd__name_id__icontains=word)
            | Q(opd__name_en__icontains=word)
            | Q(opd__code__icontains=word)
        )
    groups: dict[int, CatalogueGroup] = {}
    for permit_type in types:
        group = groups.setdefault(permit_type.opd_id, CatalogueGroup(permit_type.opd, []))
        group.permit_types.append(permit_type)
    return list(groups.values())


def catalogue_size() -> int:
    return PermitType.objects.filter(active=True, opd__active=True).count()
