"""Matching a file's applicant against the registers, and who is clear to take a file."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max, Q

from accounts.models import STAFF_ROLES, User
from integrity.conflicts.matching import Party, party_match, site_match
from integrity.conflicts.models import (
    Affiliation,
    AffiliationDeclaration,
    ConflictMatch,
    MatchReason,
    Restriction,
)
from permits.event_names import INTEGRITY_MATCH_FOUND
from permits.models import Application
from permits.selectors.details import site_address
from permits.services.context import Actor
from permits.services.events import file_event


def _applicant_parties(app: Application) -> list[Party]:
    parties = [
        Party(app.applicant_name, app.applicant_nik, app.applicant_nib, "", app.applicant_address)
    ]
    if app.business_name:
        parties.append(Party(app.business_name, "", app.applicant_nib, "", app.applicant_address))
    if app.representative_name:
        parties.append(Party(app.representative_name, app.representative_nik, "", "", ""))
    return parties


def _officers_with_registers(officers=None):
    staff = User.objects.filter(is_active=True, role__in=sorted(STAFF_ROLES))
    if officers is not None:
        staff = staff.filter(pk__in=[o.pk for o in officers])
    return list(staff)


@transaction.atomic
def matches_refresh(app: Application, officers=None) -> list[ConflictMatch]:
    """Match the file's applicant (person, business, representative) against the registers
    in force of ``officers`` (default: all staff) and the officers themselves; keep
    ``ConflictMatch`` rows in step (new ones recorded as events on the file)."""
    staff = _officers_with_registers(officers)
    parties = _applicant_parties(app)
    latest_versions = (
        AffiliationDeclaration.objects.filter(officer__in=staff)
        .values("officer_id")
        .annotate(v=Max("version"))
    )
    current = Q()
    for row in latest_versions:
        current |= Q(declaration__officer_id=row["officer_id"], declaration__version=row["v"])
    items = (
        list(Affiliation.objects.filter(current).select_related("declaration"))
        if latest_versions
        else []
    )
    found: dict[tuple[int, str], ConflictMatch] = {}
    for officer in staff:
        if (app.applicant_id and app.applicant_id == officer.pk) or (
            officer.nik and officer.nik == app.applicant_nik
        ):
            found[(officer.pk, MatchReason.SELF)] = ConflictMatch(
                application=app, officer=officer, reason=MatchReason.SELF, detail="applicant"
            )
    restrictions = Restriction.objects.filter(officer__in=staff).filter(
        Q(nik=app.applicant_nik, nik__gt="") | Q(nib=app.applicant_nib, nib__gt="")
    )
    for restriction in restrictions:
        found[(restriction.officer_id, MatchReason.RESTRICTED)] = ConflictMatch(
            application=app,
            officer_id=restriction.officer_id,
            reason=MatchReason.RESTRICTED,
            detail=f"case {restriction.case_id}",
        )
    site = site_address(app)
    for item in items:
        affiliated = Party(item.name, item.nik, item.nib, item.npwp, item.address)
        candidates = [party_match(party, affiliated) for party in parties]
        candidates.append(site_match(site, affiliated) if site else None)
        for match in candidates:
            if match is None:
                continue
            key = (item.declaration.officer_id, match.reason)
            if key not in found or found[key].score < match.score:
                found[key] = ConflictMatch(
                    application=app,
                    officer_id=item.declaration.officer_id,
                    affiliation=item,
                    reason=match.reason,
                    score=match.score,
                    detail=match.detail[:200],
                )
    existing = ConflictMatch.objects.filter(application=app, officer__in=staff).exclude(
        reason=MatchReason.DECIDED
    )
    kept = {(m.officer_id, m.reason): m for m in existing}
    existing.exclude(pk__in=[m.pk for key, m in kept.items() if key in found]).delete()
    new = [m for key, m in found.items() if key not in kept]
    ConflictMatch.objects.bulk_create(new)
    for match in new:
        file_event(
            application=app,
            action=INTEGRITY_MATCH_FOUND,
            actor=Actor.system(),
            data={"officer": match.officer_id, "reason": match.reason, "detail": match.detail},
        )
    return list(ConflictMatch.objects.filter(application=app))


def officer_is_clear(officer, app: Application) -> bool:
    """The eligibility rule (permits.assignment): no match or decided conflict on this file."""
    if app.pk is None:
        return True
    return not ConflictMatch.objects.filter(application=app, officer=officer).exists()
