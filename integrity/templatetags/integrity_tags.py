"""The integrity panel of a back-office file page: a fixed handful of queries."""

from django import template
from django.utils import timezone

from accounts.models import OVERSIGHT_ROLES
from integrity.forms import ConflictDeclarationForm, OpenCaseForm
from integrity.models import CaseState
from integrity.services import (
    DECLARING_ROLES,
    cases_visible_to,
    declaration_needed,
    file_officers,
    may_open_case,
)
from permits.sla import clock_status, held_clock_note
from worktime.calendar import get_calendar

register = template.Library()


@register.inclusion_tag("integrity/_file_panel.html", takes_context=True)
def integrity_panel(context, app):
    user = context["user"]
    auditing = user.role in OVERSIGHT_ROLES
    visible_cases = list(cases_visible_to(user).filter(application=app))
    opener = may_open_case(user)
    status = context.get("status")
    if app.held_since and status is None:
        status = clock_status(app, timezone.now(), get_calendar())
    return {
        "app": app,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "must_declare": declaration_needed(app, user),
        "may_declare_conflict": user.role in DECLARING_ROLES and not app.is_final,
        "conflict_form": ConflictDeclarationForm(),
        "matches": list(app.conflict_matches.select_related("officer")) if auditing else [],
        "cases": visible_cases,
        "open_cases": [c for c in visible_cases if c.state != CaseState.CLOSED],
        "may_open": opener and not app.is_final,
        "clock_note": held_clock_note(status) if app.held_since else "",
        "open_form": OpenCaseForm(officers=file_officers(app)) if opener else None,
    }
