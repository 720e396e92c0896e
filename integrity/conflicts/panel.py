"""What the integrity panel of a back-office file page shows one person: what they must
declare, may report or open, and which cases, reports and matches they may read. A fixed
handful of queries; the template tag only shows it (``integrity_tags.integrity_panel``)."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import OVERSIGHT_ROLES
from integrity.conflicts.forms import ConflictDeclarationForm, OpenCaseForm, SuspicionForm
from integrity.conflicts.models import CaseState
from integrity.conflicts.selectors import cases_visible_to, suspicions_visible_to
from integrity.conflicts.services.cases import file_officers, may_open_case
from integrity.conflicts.services.declarations import declaration_due, may_declare_conflict
from integrity.conflicts.services.suspicions import may_report_suspicion, suspicion_officers
from permits.sla import clock_status, held_clock_note
from worktime.calendar import get_calendar

# The panel's forms a page may hand back, posted with errors, to be shown as typed.
POSTED_FORMS = ("conflict_form", "suspicion_form", "case_form")


def file_panel(app, user, *, status=None, posted: dict | None = None) -> dict:
    """The panel's contents for ``user`` on ``app``. ``status``: the file's clock status
    when the page already has it; ``posted``: forms posted back with errors."""
    posted = posted or {}
    auditing = user.role in OVERSIGHT_ROLES
    visible_cases = list(cases_visible_to(user).filter(application=app))
    opener = may_open_case(user)
    reporter = may_report_suspicion(app, user)
    officers = file_officers(app) if (reporter or opener) else []
    if app.held_since and status is None:
        status = clock_status(app, timezone.now(), get_calendar())
    return {
        "app": app,
        "user": user,
        "must_declare": declaration_due(app, user),
        "may_declare_conflict": may_declare_conflict(app, user, officers),
        "conflict_form": posted.get("conflict_form") or ConflictDeclarationForm(),
        "suspicion_form": (
            posted.get("suspicion_form")
            or SuspicionForm(officers=suspicion_officers(app, user, officers))
        )
        if reporter
        else None,
        # Reports others made that reached this supervisor or the inspectorate.
        "suspicions": list(
            suspicions_visible_to(user).filter(application=app).exclude(reporter=user)
        )
        if auditing
        else [],
        "matches": list(app.conflict_matches.select_related("officer")) if auditing else [],
        "cases": visible_cases,
        "open_cases": [c for c in visible_cases if c.state != CaseState.CLOSED],
        "may_open": opener and not app.is_final,
        "clock_note": held_clock_note(status) if app.held_since else "",
        "open_form": (posted.get("case_form") or OpenCaseForm(officers=officers))
        if opener
        else None,
    }
