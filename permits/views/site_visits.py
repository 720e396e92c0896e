"""The field inspection's appointment (issue 22.2): the lead proposes a time, the applicant
confirms it or asks for another (online, or by telephone recorded by the lead), the lead
takes the applicant's time or proposes again. The services decide; these views parse the
forms and render the file page again with what was typed when something is wrong."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Role
from core.storage import checked_response
from permits.forms import (
    ApplicantSignForm,
    ApplicantSignOnSiteForm,
    SiteVisitAnswerForm,
    SiteVisitAnswerOnBehalfForm,
    SiteVisitPhotoForm,
    SiteVisitProposeForm,
    SiteVisitReportForm,
)
from permits.models import SiteVisitPhoto, VisitStatus
from permits.selectors.applicant import applicant_file
from permits.selectors.backoffice import application_for_page
from permits.services.context import ActionRefused, Actor
from permits.services.site_visit_photos import browser_fix, site_visit_photo_add
from permits.services.site_visit_reports import (
    checklist_of,
    site_visit_applicant_sign,
    site_visit_report,
    site_visit_sign,
    visit_report_render,
)
from permits.services.site_visits import site_visit_answer, site_visit_propose
from permits.views.applicant import _file_context, applicant_only
from permits.views.backoffice import backoffice, file_page_render

DONE = {
    "propose": gettext_lazy("Jadwal peninjauan diusulkan kepada pemohon."),
    "agree": gettext_lazy("Jadwal yang diminta pemohon diterima; tim sudah diberi tahu."),
    "confirm": gettext_lazy("Jadwal peninjauan disepakati; tim sudah diberi tahu."),
    "move": gettext_lazy("Permintaan jadwal lain dicatat."),
    "report": gettext_lazy("Berita acara disimpan; tim dan pemohon diminta menandatanganinya."),
    "sign": gettext_lazy("Anda sudah menandatangani berita acara."),
    "applicant_sign": gettext_lazy("Tanda tangan pihak pemohon di lokasi dicatat."),
}
ANSWERED = {
    "confirm": gettext_lazy("Terima kasih. Jadwal peninjauan sudah Anda konfirmasi."),
    "move": gettext_lazy("Permintaan jadwal lain sudah dikirim kepada petugas."),
    "sign": gettext_lazy("Terima kasih. Berita acara sudah Anda tandatangani."),
}


def _answer(form, app, actor, **extra):
    data = form.cleaned_data
    confirm = data["answer"] == "confirm"
    site_visit_answer(
        application=app,
        actor=actor,
        confirm=confirm,
        wished_at=None if confirm else form.moment(),
        note=data.get("note", ""),
        **extra,
    )
    return "confirm" if confirm else "move"


@require_POST
@backoffice(roles={Role.TECHNICAL})
def file_site_visit(request, public_id, act):
    """The team's acts: the lead proposes a time, takes the applicant's, records the
    applicant's answer, writes the report and records the applicant's signature on site;
    each officer of the team signs the report."""
    if act not in STAFF_ACTS:
        raise Http404
    app = application_for_page(user=request.user, public_id=public_id)
    actor = Actor.from_request(request)
    name, form = STAFF_ACTS[act](app, request.POST)
    done = act
    if form is None or form.is_valid():
        try:
            done = _staff_act(act, app, actor, form) or act
        except ActionRefused as refused:
            if form is None:
                messages.error(request, refused.message)
                return redirect(_file_url(app))
            form.add_error(None, refused.message)
    if form is not None and form.errors:
        return file_page_render(request, app, forms={name: form}, status=400)
    messages.success(request, DONE[done])
    return redirect(_file_url(app))


# Each act's form (its name on the page, and the form bound to what was posted).
STAFF_ACTS = {
    "propose": lambda app, data: ("visit_propose_form", SiteVisitProposeForm(data)),
    "agree": lambda app, data: (None, None),
    "answer": lambda app, data: ("visit_answer_form", SiteVisitAnswerOnBehalfForm(data)),
    "report": lambda app, data: (
        "visit_report_form",
        SiteVisitReportForm(data, items=checklist_of(app)),
    ),
    "sign": lambda app, data: (None, None),
    "applicant_sign": lambda app, data: ("applicant_sign_form", ApplicantSignOnSiteForm(data)),
}


def _staff_act(act, app, actor, form) -> str | None:
    data = form.cleaned_data if form is not None else {}
    if act == "answer":
        return _answer(form, app, actor, channel=data["channel"])
    if act in ("propose", "agree"):
        site_visit_propose(
            application=app,
            actor=actor,
            appointment_at=form.moment() if act == "propose" else None,
            address=data.get("address", ""),
            note=data.get("note", ""),
            agreed=act == "agree",
        )
    elif act == "report":
        site_visit_report(
            application=app,
            actor=actor,
            results=form.results(),
            conclusion=data["conclusion"],
            summary=data["summary"],
        )
    elif act == "sign":
        site_visit_sign(application=app, actor=actor)
    else:
        site_visit_applicant_sign(
            application=app, actor=actor, signer=data["signer"], objection=data["objection"]
        )
    return None


def _file_url(app) -> str:
    return f"{reverse('backoffice:file', args=[app.public_id])}#peninjauan"


@require_POST
@applicant_only
def applicant_site_visit(request, public_id):
    """The applicant confirms the proposed time or asks for another."""
    app = applicant_file(request.user, public_id)
    form = SiteVisitAnswerForm(request.POST)
    if form.is_valid():
        try:
            done = _answer(form, app, Actor.from_request(request))
        except ActionRefused as refused:
            form.add_error(None, refused.message)
    if form.errors:
        context = _file_context(request, app, forms={"visit_answer_form": form})
        return render(request, "permits/applicant/file.html", context, status=400)
    messages.success(request, ANSWERED[done])
    return redirect(f"{reverse('applicant:file', args=[app.public_id])}#peninjauan")


@require_POST
@applicant_only
def applicant_site_visit_sign(request, public_id):
    """The applicant signs the report in their account, with an objection if they have one."""
    app = applicant_file(request.user, public_id)
    form = ApplicantSignForm(request.POST)
    if form.is_valid():
        try:
            site_visit_applicant_sign(
                application=app,
                actor=Actor.from_request(request),
                objection=form.cleaned_data["objection"],
            )
        except ActionRefused as refused:
            form.add_error(None, refused.message)
    if form.errors:
        context = _file_context(request, app, forms={"applicant_sign_form": form})
        return render(request, "permits/applicant/file.html", context, status=400)
    messages.success(request, ANSWERED["sign"])
    return redirect(f"{reverse('applicant:file', args=[app.public_id])}#peninjauan")


def _report_response(visit):
    if visit is None or not visit.report_pdf:
        raise Http404
    return checked_response(
        visit.report_pdf,
        visit.report_sha256,
        content_type="application/pdf",
        filename=f"berita-acara-peninjauan-{visit.application.registration_number}.pdf",
    )


@require_safe
@backoffice
def file_site_visit_report(request, public_id):
    """The signed report's PDF, for staff who may open the file."""
    app = application_for_page(user=request.user, public_id=public_id)
    return _report_response(_signed_visit(app))


@require_safe
@applicant_only
def applicant_site_visit_report(request, public_id):
    app = applicant_file(request.user, public_id)
    return _report_response(_signed_visit(app))


def _signed_visit(app):
    visit = app.site_visits.filter(status=VisitStatus.SIGNED).order_by("-pk").first()
    if visit is not None and not visit.report_pdf:
        # The worker has not rendered it yet (or the broker was down): render it now.
        visit_report_render(visit)
        visit.refresh_from_db()
    return visit


@require_POST
@backoffice(roles={Role.TECHNICAL})
def file_site_visit_photo(request, public_id):
    """An officer of the team adds a photo; a refused upload keeps the caption typed."""
    app = application_for_page(user=request.user, public_id=public_id)
    form = SiteVisitPhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            photo = site_visit_photo_add(
                application=app,
                actor=Actor.from_request(request),
                uploaded=form.cleaned_data["photo"],
                caption=form.cleaned_data["caption"],
                browser=browser_fix(request.POST),
            )
        except ActionRefused as refused:
            form.add_error("photo", refused.message)
    if form.errors:
        return file_page_render(request, app, forms={"visit_photo_form": form}, status=400)
    if photo.place_mismatch or photo.time_mismatch:
        messages.warning(request, PHOTO_MISMATCH)
    else:
        messages.success(request, PHOTO_ADDED)
    return redirect(_file_url(app))


PHOTO_ADDED = gettext_lazy("Foto ditambahkan.")
PHOTO_MISMATCH = gettext_lazy(
    "Foto ditambahkan, tetapi tempat atau waktunya tidak cocok dengan lokasi atau jadwal "
    "peninjauan; ketidakcocokan itu dicatat dan dimuat dalam berita acara."
)


@require_safe
@backoffice
def file_site_visit_photo_image(request, public_id, photo_id):
    """A visit's photo, for staff who may open its file (reached by the file, and by the
    photo's unguessable id)."""
    app = application_for_page(user=request.user, public_id=public_id)
    photo = get_object_or_404(SiteVisitPhoto, public_id=photo_id, visit__application=app)
    return checked_response(photo.image, photo.sha256, content_type=photo.content_type)
