"""What each person may see of the conflict-of-interest records: cases, suspicion
reports, gratification reports and sanctions."""

from __future__ import annotations

from django.db.models import Q

from accounts.models import Role
from integrity.conflicts.models import (
    ConflictCase,
    GratificationReport,
    Sanction,
    Suspicion,
)


def cases_visible_to(user):
    """Auditors and the head see every case; supervisors those they review or of their
    staff; an officer their own (the decision, not who looked: see the case page). The
    superior a case names (pressure from them) never sees it."""
    cases = ConflictCase.objects.select_related("application", "officer")
    if user.role == Role.AUDITOR:
        return cases
    cases = cases.exclude(named=user)
    if user.role == Role.HEAD:
        return cases
    if user.role == Role.SUPERVISOR:
        return cases.filter(Q(reviewer=user) | Q(officer__supervisor=user) | Q(officer=user))
    return cases.filter(officer=user)


def gratifications_visible_to(user):
    reports = GratificationReport.objects.select_related("officer", "application")
    if user.role == Role.AUDITOR:
        return reports
    return reports.filter(officer=user)


def sanctions_visible_to(user):
    """Only the officer concerned, their supervisors and auditors (and the head) see them."""
    sanctions = Sanction.objects.select_related("officer", "recorded_by")
    if user.role in {Role.AUDITOR, Role.HEAD}:
        return sanctions
    if user.role == Role.SUPERVISOR:
        return sanctions.filter(Q(officer__supervisor=user) | Q(officer=user))
    return sanctions.filter(officer=user)


def suspicions_visible_to(user):
    """The inspectorate sees every report; anyone else those they made or received, never
    one about themselves."""
    reports = Suspicion.objects.select_related("application", "officer", "recipient", "reporter")
    if user.role == Role.AUDITOR:
        return reports
    return reports.filter(Q(reporter=user) | Q(recipient=user)).exclude(officer=user)
