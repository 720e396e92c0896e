"""COI: a conflict of interest was confirmed, or its decision is overdue.

Raised when the head of office decides a case "conflict", and when a case passes its
decision deadline (the periodic escalation records ``integrity.case_overdue`` with step
"decision"). One flag per case and reason. Evidence: the case's opening and the decision
or the escalation.
"""

from django.utils.translation import gettext_lazy as _

from integrity.conflicts.models import (
    ConflictCase,
    Decision,
)
from integrity.inspection.flags.registry import Hit, Rule
from integrity.inspection.models import Severity
from permits.event_names import (
    INTEGRITY_CASE_DECIDED,
    INTEGRITY_CASE_OPENED,
    INTEGRITY_CASE_OVERDUE,
)
from permits.models import ApplicationEvent


class ConflictOfInterest(Rule):
    code = "COI"
    title = _("Konflik kepentingan")
    description = _(
        "Kasus konflik kepentingan diputus \u201cada konflik\u201d, atau keputusannya melewati "
        "batas waktu."
    )
    severity = Severity.HIGH
    params = {}
    triggers = frozenset({INTEGRITY_CASE_DECIDED, INTEGRITY_CASE_OVERDUE})

    def on_event(self, event, params, context):
        data = event.data if isinstance(event.data, dict) else {}
        if event.action == INTEGRITY_CASE_DECIDED and data.get("decision") == Decision.CONFLICT:
            reason = "confirmed"
        elif event.action == INTEGRITY_CASE_OVERDUE and data.get("step") == "decision":
            reason = "overdue"
        else:
            return []
        case = ConflictCase.objects.filter(public_id=data.get("case")).first()
        if case is None:
            return []
        opened = (
            ApplicationEvent.objects.filter(
                application_id=event.application_id,
                action=INTEGRITY_CASE_OPENED,
                data__case=data.get("case"),
            )
            .order_by("created_at", "id")
            .first()
        )
        return [
            Hit(
                key=f"COI:{case.public_id}:{reason}",
                occurred_at=event.created_at,
                evidence=tuple(e.pk for e in (opened, event) if e is not None),
                application_id=event.application_id,
                officer_id=case.officer_id,
                detail={"case": str(case.public_id), "reason": reason},
            )
        ]

    def explain(self, detail):
        if detail.get("reason") == "overdue":
            return _("Keputusan kasus konflik kepentingan melewati batas waktu.")
        return _("Kepala Dinas memutus ada konflik kepentingan.")
