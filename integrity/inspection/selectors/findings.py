"""Who the inspectorate's findings concern, and who may see or report on them."""

from __future__ import annotations

from accounts.models import Role
from integrity.inspection.models import (
    Finding,
    FindingState,
)


def is_auditor(user) -> bool:
    return user is not None and user.is_active and user.role == Role.AUDITOR


def may_report(finding: Finding, user) -> bool:
    return (
        user is not None
        and user.pk == finding.responsible_id
        and finding.state != FindingState.CLOSED
    )


def may_assess(finding: Finding, user) -> bool:
    """Auditors assess the follow-up of a finding that is not closed yet."""
    return is_auditor(user) and finding.state != FindingState.CLOSED


def findings_visible_to(user):
    """Auditors see every finding; anyone else the findings they must follow up."""
    findings = Finding.objects.select_related("responsible", "application", "officer")
    if is_auditor(user):
        return findings
    return findings.filter(responsible=user)
