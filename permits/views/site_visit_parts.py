"""What the file pages show of a field inspection's appointment, and the forms they
offer (the back office's and the applicant's)."""

from __future__ import annotations

from django.utils import timezone

from permits.forms import SiteVisitAnswerForm, SiteVisitAnswerOnBehalfForm, SiteVisitProposeForm
from permits.models import Stage, VisitStatus
from permits.services.site_visits import may_answer, may_propose, open_visit, site_address_of


def _slot(moment) -> dict:
    local = timezone.localtime(moment)
    return {"day": local.date(), "hour": local.time()}


def site_visit_part(app, user, forms: dict, *, staff: bool) -> dict:
    """The open visit of ``app`` and what ``user`` may do with it: propose (or propose
    again, or take the applicant's wish) as the lead; answer as the applicant, or record
    the applicant's answer as the lead."""
    if app.state != Stage.INSPECTION:
        return {"site_visit": None}
    visit = open_visit(app)
    proposing = staff and may_propose(app, user)
    answering = may_answer(app, visit, user)
    part = {
        "site_visit": visit,
        "site_visit_team": [m.officer for m in visit.members.all()] if visit else [],
        "may_propose_visit": proposing,
        "may_answer_visit": answering,
        "may_agree_visit": proposing
        and visit is not None
        and visit.status == VisitStatus.MOVE_ASKED,
    }
    if proposing:
        initial = {"address": visit.address if visit else site_address_of(app)}
        if visit is not None and visit.status == VisitStatus.MOVE_ASKED and visit.wished_at:
            initial |= _slot(visit.wished_at)
        elif visit is not None:
            initial |= _slot(visit.appointment_at)
        part["visit_propose_form"] = forms.get("visit_propose_form") or SiteVisitProposeForm(
            initial=initial
        )
    if answering:
        form_class = SiteVisitAnswerOnBehalfForm if staff else SiteVisitAnswerForm
        part["visit_answer_form"] = forms.get("visit_answer_form") or form_class()
    return part
