"""Who works a file in each stage: automatic assignment and the eligibility hook.

``officer_may_take`` is the one place that answers "may this officer take this file?".
Other apps add rules with ``register_eligibility_rule`` (the conflict-of-interest register
plugs in here): a rule returns False to keep an officer away from a file.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from accounts.models import Role, User
from permits.models import OPEN_STAGES, Application, Stage
from permits.models.stages import STAGE_ROLE

EligibilityRule = Callable[[User, Application], bool]
_rules: list[EligibilityRule] = []


def register_eligibility_rule(rule: EligibilityRule) -> EligibilityRule:
    if rule not in _rules:
        _rules.append(rule)
    return rule


def officer_may_take(officer: User, application: Application, stage: str | None = None) -> bool:
    stage = stage or application.state
    if not officer.is_active or officer.role != STAGE_ROLE.get(stage):
        return False
    if application.is_applicant(officer):
        return False
    # Separation of duties: the verifier of a file does not approve it.
    if stage == Stage.APPROVAL and application.verified_by_id == officer.pk:
        return False
    return all(rule(officer, application) for rule in _rules)


def unit_code_for(application: Application, stage: str) -> str:
    """Technical stages belong to the type's OPD; the rest to the one-stop office."""
    if stage in {Stage.TECHNICAL_REVIEW, Stage.INSPECTION}:
        return application.permit_type.opd.code
    return settings.OFFICE_UNIT_CODE


def candidates_for(application: Application, stage: str) -> QuerySet[User]:
    """Eligible-by-role officers of the stage's unit, least loaded first (one query)."""
    return (
        User.objects.filter(
            is_active=True, role=STAGE_ROLE[stage], unit__code=unit_code_for(application, stage)
        )
        .annotate(
            load=Count(
                "assigned_applications", filter=Q(assigned_applications__state__in=OPEN_STAGES)
            )
        )
        .order_by("load", "pk")
    )


def least_loaded_officer(application: Application, stage: str) -> User | None:
    for officer in candidates_for(application, stage):
        if officer_may_take(officer, application, stage):
            return officer
    return None


def supervisor_roles() -> frozenset:
    return frozenset({Role.SUPERVISOR, Role.HEAD})
