"""What the file pages show of a site visit (its appointment, its report and who signed),
and the forms they offer (the back office's and the applicant's)."""

from __future__ import annotations

from django.utils import timezone

from permits.event_names import APPLICATION_INSPECTED
from permits.forms import (
    ApplicantSignForm,
    ApplicantSignOnSiteForm,
    SiteVisitAnswerForm,
    SiteVisitAnswerOnBehalfForm,
    SiteVisitPhotoForm,
    SiteVisitProposeForm,
    SiteVisitReportForm,
)
from permits.models import SiteVisit, Stage, VisitStatus
from permits.services.site_visit_photos import may_add_photo
from permits.services.site_visit_reports import (
    checklist_of,
    may_report,
    may_sign,
    may_sign_for_applicant,
)
from permits.services.site_visits import may_answer, may_propose, site_address_of


def _slot(moment) -> dict:
    local = timezone.localtime(moment)
    return {"day": local.date(), "hour": local.time()}


def latest_visit(app) -> SiteVisit | None:
    """The file's visit to show: the open one, else the last one reported and signed."""
    return (
        app.site_visits.exclude(status=VisitStatus.CANCELLED)
        .select_related("lead")
        .prefetch_related("members__officer", "findings", "photos")
        .order_by("-pk")
        .first()
    )


def site_visit_part(app, user, forms: dict, *, staff: bool, events=()) -> dict:
    """The visit of ``app`` and what ``user`` may do with it: as the lead, propose (again),
    take the applicant's time, record the applicant's answer, write the report, record the
    applicant's signature on site; as an officer of the team, sign; as the applicant,
    answer and sign. ``events`` (the staff page's timeline) tell whether the inspection
    was finished without a signed report, which the approver is warned of."""
    visit = latest_visit(app) if app.state not in (Stage.DRAFT, Stage.SUBMITTED) else None
    unreported = any(e.action == APPLICATION_INSPECTED for e in events) and (
        visit is None or visit.status != VisitStatus.SIGNED
    )
    if visit is None and app.state != Stage.INSPECTION:
        return {"site_visit": None, "inspected_unreported": unreported}
    members = list(visit.members.all()) if visit else []
    part = {
        "site_visit": visit,
        "site_visit_team": [m.officer for m in members],
        "site_visit_members": members,
        "site_visit_findings": list(visit.findings.all()) if visit else [],
        "site_visit_photos": list(visit.photos.all()) if visit else [],
        "inspected_unreported": unreported,
    }
    if app.state != Stage.INSPECTION:
        return part
    proposing = staff and may_propose(app, user)
    proposing = proposing and (visit is None or visit.status in _PROPOSABLE)
    answering = may_answer(app, visit, user)
    part |= {
        "may_propose_visit": proposing,
        "may_answer_visit": answering,
        "may_agree_visit": proposing
        and visit is not None
        and visit.status == VisitStatus.MOVE_ASKED,
        "may_report_visit": staff and may_report(app, visit, user),
        "may_sign_visit": staff and may_sign(app, visit, user),
        "may_sign_for_applicant": may_sign_for_applicant(app, visit, user),
        "may_add_photo": staff and app.held_since is None and may_add_photo(visit, user),
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
    if part["may_report_visit"]:
        part["visit_report_form"] = forms.get("visit_report_form") or SiteVisitReportForm(
            items=checklist_of(app), initial=_report_initial(visit)
        )
    if part["may_add_photo"]:
        part["visit_photo_form"] = forms.get("visit_photo_form") or SiteVisitPhotoForm()
    if part["may_sign_for_applicant"]:
        form_class = ApplicantSignOnSiteForm if staff else ApplicantSignForm
        part["applicant_sign_form"] = forms.get("applicant_sign_form") or form_class()
    return part


# The statuses in which the lead may propose a time (again): not once the visit happened.
_PROPOSABLE = (VisitStatus.PROPOSED, VisitStatus.MOVE_ASKED, VisitStatus.CONFIRMED)


def _report_initial(visit) -> dict:
    """A report written already (nobody signed yet): its values, to correct."""
    if visit is None or visit.status != VisitStatus.REPORTED:
        return {}
    initial = {"conclusion": visit.conclusion, "summary": visit.summary}
    for i, finding in enumerate(visit.findings.all()):
        initial |= {f"result_{i}": finding.result, f"note_{i}": finding.note}
    return initial
