"""The integrity panel of a back-office file page, and the forms posted back with errors."""

from django import template

from integrity.conflicts.forms import KpkReportForm
from integrity.conflicts.panel import POSTED_FORMS, file_panel
from integrity.inspection.forms import DismissForm

register = template.Library()


@register.inclusion_tag("integrity/conflicts/_file_panel.html", takes_context=True)
def integrity_panel(context, app):
    """Shows ``integrity.conflicts.panel.file_panel``'s answers; decides nothing itself."""
    posted = {name: context.get(name) for name in POSTED_FORMS}
    return {
        "csrf_token": context.get("csrf_token"),
        **file_panel(app, context["user"], status=context.get("status"), posted=posted),
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
