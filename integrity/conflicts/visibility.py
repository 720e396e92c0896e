"""Which integrity events on a file's back-office timeline a viewer may see: none of a
case hidden from them (the superior a pressure case names) or of a suspicion report they
may not see (the officer it is about). Registered with ``permits.selectors.backoffice`` in
``IntegrityConfig.ready()``."""

from __future__ import annotations

from integrity.conflicts.selectors import cases_visible_to, suspicions_visible_to
from integrity.conflicts.services.suspicions import SUSPICION_REPORTED


def timeline_hide(application, user, events: list) -> list:
    """``events`` without those recording a case or report hidden from ``user`` (two
    queries, whatever the length of the timeline)."""
    cases = list(application.conflict_cases.values_list("pk", "public_id", "declaration_id"))
    seen = set(cases_visible_to(user).filter(application=application).values_list("pk", flat=True))
    hidden_cases = {str(public_id) for pk, public_id, _ in cases if pk not in seen}
    hidden_declarations = {declared for pk, _, declared in cases if pk not in seen and declared}
    reports = {
        str(public_id)
        for public_id in suspicions_visible_to(user)
        .filter(application=application)
        .values_list("public_id", flat=True)
    }

    def shown(event) -> bool:
        data = event.data or {}
        if event.action == SUSPICION_REPORTED:
            return data.get("suspicion") in reports
        if data.get("case") in hidden_cases:
            return False
        return data.get("declaration") not in hidden_declarations

    return [event for event in events if shown(event)]
