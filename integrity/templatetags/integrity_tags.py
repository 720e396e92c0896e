"""The integrity panel of a back-office file page: a fixed handful of queries."""

from django import template
from django.utils import timezone

from accounts.models import OVERSIGHT_ROLES
from integrity.audit_forms import DismissForm
from integrity.forms import ConflictDeclarationForm, KpkReportForm, OpenCaseForm, SuspicionForm
from integrity.models import CaseState
from integrity.services import (
    cases_visible_to,
    declaration_needed,
    file_officers,
    may_declare_conflict,
    may_open_case,
)
from integrity.suspicions import may_report_suspicion, suspicion_officers, suspicions_visible_to
from permits.sla import clock_status, held_clock_note
from worktime.calendar import get_calendar

register = template.Library()


@register.inclusion_tag("integrity/_file_panel.html", takes_context=True)
def integrity_panel(context, app):
    user = context["user"]
    auditing = user.role in OVERSIGHT_ROLES
    visible_cases = list(cases_visible_to(user).filter(application=app))
    opener = may_open_case(user)
    reporter = may_report_suspicion(app, user)
    officers = file_officers(app) if (reporter or opener) else []
    status = context.get("status")
    if app.held_since and status is None:
        status = clock_status(app, timezone.now(), get_calendar())
    return {
        "app": app,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "must_declare": declaration_needed(app, user),
        "may_declare_conflict": may_declare_conflict(app, user, officers),
        # A form posted with errors comes back in the page's context, as typed.
        "conflict_form": context.get("conflict_form") or ConflictDeclarationForm(),
        "suspicion_form": (
            context.get("suspicion_form")
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
        "open_form": (context.get("case_form") or OpenCaseForm(officers=officers))
        if opener
        else None,
    }


@register.simple_tag(takes_context=True)
def dismiss_form_for(context, flag):
    """A flag's dismissal form; the one posted with errors comes back as typed."""
    posted = context.get("dismiss_form")
    if posted is not None and posted.flag_id == flag.public_id:
        return posted
    return DismissForm.for_flag(flag)


@register.simple_tag(takes_context=True)
def kpk_form_for(context, report):
    """A gratification report's KPK form; the one posted with errors comes back as typed."""
    posted = context.get("kpk_form")
    if posted is not None and posted.report_id == report.public_id:
        return posted
    return KpkReportForm.for_report(report)
