"""The back office: worklists, the file page and its actions, the team page, the counter.

Views parse input, call one service or selector and render. Who may do what is decided in
the services and the model (a hidden button is a courtesy, not the check).
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import OVERSIGHT_ROLES, Role
from core.middleware import permissions_allow
from core.paging import CappedPaginator
from core.storage import checked_response
from core.templatetags.form_errors import page_error
from permits.assignment import candidates_for, officer_may_take
from permits.details.form import DetailsForm
from permits.forms import (
    ChecklistForm,
    ReassignForm,
    RecommendationForm,
    RejectForm,
    ReturnForm,
    SendBackForm,
    TransitionForm,
    UploadForm,
    WalkInForm,
    WorklistFilterForm,
)
from permits.models import Document, FileView, Stage
from permits.previews import pdf_first_page
from permits.rights import PAGE_ACTIONS, file_rights
from permits.selectors.backoffice import (
    BACKOFFICE_ROLES,
    application_for_page,
    application_page_parts,
    applications_visible_to,
    late_files_of_team,
    recommendations_waiting_for,
    team_load,
    timeline_filter,
    worklist_for,
)
from permits.selectors.catalogue import catalogue_types
from permits.selectors.details import file_details
from permits.services.applications import (
    application_create,
    application_details_update,
    application_reassign,
    application_resubmit,
    application_return,
    application_submit,
    may_fill_details,
    transition_fire,
)
from permits.services.checks import ChecklistRefused, checklist_save
from permits.services.context import ActionRefused, Actor
from permits.services.data_checks import data_check_of
from permits.services.file_messages import (
    file_message_post,
)
from permits.services.recommendations import (
    may_draft,
    may_sign,
    recommendation_draft,
    recommendation_send_back,
    recommendation_sign,
)
from permits.services.views_log import file_view_record
from permits.sla import check_status, clock_status
from permits.views.outcomes import action_done, sentence, told_words
from permits.views.site_visit_parts import site_visit_part
from permits.views.uploads import posted_upload, upload_refusal
from places.selectors import gazetteer
from worktime.calendar import get_calendar

PAGE_SIZE = 25
WORKLIST_COUNT_CAP = 1000  # 40 pages; past that, a filter or a search finds the file
STAFF_VIEWS_SHOWN = 100


def backoffice(view=None, *, roles=BACKOFFICE_ROLES):
    """Signed-in staff with one of ``roles``; others get 403, anonymous visitors the login."""

    def decorate(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.user.role not in roles:
                raise PermissionDenied
            return func(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view else decorate


@require_safe
@backoffice
def worklist(request):
    form = WorklistFilterForm(request.GET or None)
    files = worklist_for(user=request.user, filters=form.filters())
    # Counted up to a cap: every page, and the count, cost the same at any office's size.
    page = CappedPaginator(files, PAGE_SIZE, cap=WORKLIST_COUNT_CAP).get_page(
        request.GET.get("page")
    )
    now, calendar, types = timezone.now(), get_calendar(), catalogue_types()
    for app in page:
        app.permit_type = types[app.permit_type_id]
        app.status = clock_status(app, now, calendar)
        app.check_status = check_status(app, now, calendar)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    if not request.htmx:
        context["recommendations"] = recommendations_waiting_for(request.user)
    template = (
        "permits/backoffice/_worklist_table.html"
        if request.htmx
        else "permits/backoffice/worklist.html"
    )
    return render(request, template, context)


def file_page_render(request, app, *, forms=None, status=200):
    user = request.user
    parts = application_page_parts(app)
    if user.role not in OVERSIGHT_ROLES:
        # Who declared, opened, reviewed or decided a conflict case is for supervisors and
        # the inspectorate; the officer concerned reads the decision on the case page.
        parts["events"] = [e for e in parts["events"] if not e.action.startswith("integrity.")]
    else:
        # Nor does an overseer see the events of a case or report hidden from them (the
        # superior a case names, the officer a suspicion is about).
        parts["events"] = timeline_filter(app, user, parts["events"])
    rights = file_rights(app, user)
    now, calendar = timezone.now(), get_calendar()
    context = {
        "app": app,
        "status": clock_status(app, now, calendar),
        "check": check_status(app, now, calendar),
        **rights.as_context(),
        "transition_form": TransitionForm(initial={"expected_state": app.state}),
        "reject_form": RejectForm(initial={"expected_state": app.state}),
        "return_form": ReturnForm(
            initial={"expected_state": app.state}, checks=parts["checks"], **data_line(app)
        ),
        "checklist_form": ChecklistForm(checks=parts["checks"], **data_line(app))
        if rights.may_check
        else None,
        "upload_form": UploadForm(),
        "details": file_details(app),
        "details_form": DetailsForm(app.form_spec, places=gazetteer(), initial=app.details)
        if app.form_spec and may_fill_details(app, user)
        else None,
        "thread": list(app.file_messages.select_related("author")),
        # Who opened the file, with names: for the inspectorate only (applicants see roles).
        "staff_views": list(app.views.select_related("viewer", "viewer_unit")[:STAFF_VIEWS_SHOWN])
        if user.is_auditor
        else None,
        "message_url": reverse("backoffice:message", args=[app.public_id]),
        "stages": Stage,
        **parts,
        **(forms or {}),
    }
    context.update(_recommendation_part(app, user, parts["recommendations"], forms or {}))
    context.update(site_visit_part(app, user, forms or {}, staff=True, events=parts["events"]))
    if rights.may_reassign:
        context.setdefault("reassign_form", ReassignForm())
        context["candidates"] = [
            o
            for o in candidates_for(app, app.state)
            if o.pk != app.assigned_to_id and officer_may_take(o, app)
        ]
    response = render(request, "permits/backoffice/file.html", context, status=status)
    if context.get("may_add_photo"):
        permissions_allow(response, "geolocation")  # the photo form reads where the phone is
    return response


def _recommendation_part(app, user, recommendations, forms) -> dict:
    """The user's own agency's recommendation on the file, and what they may do with it."""
    mine = next((r for r in recommendations if r.opd_id == user.unit_id), None)
    for rec in recommendations:
        rec.application = app
    drafting = mine is not None and may_draft(mine, user)
    signing = mine is not None and may_sign(mine, user)
    return {
        "my_recommendation": mine,
        "may_draft_recommendation": drafting,
        "may_sign_recommendation": signing,
        "recommendation_form": forms.get("recommendation_form")
        or RecommendationForm(
            initial={
                "verdict": mine.verdict,
                "conditions": mine.conditions,
                "reasons": mine.reasons,
                "legal_basis": mine.legal_basis,
            }
            if mine
            else None
        ),
        "send_back_form": forms.get("send_back_form") or SendBackForm(),
    }


RECOMMENDATION_DONE = {
    "draft": gettext_lazy("Rekomendasi disimpan dan menunggu pengesahan atasan."),
    "sign": gettext_lazy("Rekomendasi disahkan."),
    "send_back": gettext_lazy("Rekomendasi dikembalikan kepada penyusunnya."),
}


@require_POST
@backoffice(roles={Role.TECHNICAL, Role.SUPERVISOR, Role.HEAD})
def file_recommendation(request, public_id, act):
    """Draft, sign off or send back the user's agency's recommendation on the file (the
    one recommendation an agency gives on a file: reached by the file, never by its id)."""
    app = application_for_page(user=request.user, public_id=public_id)
    rec = app.recommendations.select_related("opd").filter(opd_id=request.user.unit_id).first()
    if rec is None or act not in RECOMMENDATION_DONE:
        raise Http404
    actor = Actor.from_request(request)
    form_name, form = None, None
    try:
        if act == "draft":
            form_name, form = "recommendation_form", RecommendationForm(request.POST)
            if form.is_valid():
                recommendation_draft(recommendation=rec, actor=actor, **form.cleaned_data)
        elif act == "send_back":
            form_name, form = "send_back_form", SendBackForm(request.POST)
            if form.is_valid():
                recommendation_send_back(
                    recommendation=rec, actor=actor, note=form.cleaned_data["note"]
                )
        else:
            recommendation_sign(recommendation=rec, actor=actor)
    except ActionRefused as refused:
        if form is None:
            messages.error(request, refused.message)
            return redirect(f"{reverse('backoffice:file', args=[app.public_id])}#rekomendasi")
        form.add_error(None, refused.message)
    if form is not None and form.errors:
        return file_page_render(request, app, forms={form_name: form}, status=400)
    messages.success(request, RECOMMENDATION_DONE[act])
    return redirect(f"{reverse('backoffice:file', args=[app.public_id])}#rekomendasi")


@require_safe
@backoffice
def file_page(request, public_id):
    app = application_for_page(user=request.user, public_id=public_id)
    file_view_record(application=app, actor=Actor.from_request(request))
    return file_page_render(request, app)


@require_POST
@backoffice
def file_action(request, public_id, name):
    app = application_for_page(user=request.user, public_id=public_id)
    actor = Actor.from_request(request)
    before_id = app.assigned_to_id
    try:
        if name == "return_to_applicant":
            form = ReturnForm(
                request.POST, checks=app.checks.select_related("requirement"), **data_line(app)
            )
            if not form.is_valid():
                return file_page_render(
                    request, app, forms={"return_form": form, "open_form": name}, status=400
                )
            result = application_return(
                application=app,
                actor=actor,
                findings=form.cleaned_data["findings"],
                data=form.cleaned_data["data"],
                note=form.cleaned_data["note"],
                expected_state=form.cleaned_data["expected_state"],
            )
        elif name == "reject":
            form = RejectForm(request.POST)
            if not form.is_valid():
                return file_page_render(
                    request, app, forms={"reject_form": form, "open_form": name}, status=400
                )
            data = form.cleaned_data
            result = transition_fire(
                application=app,
                name="reject",
                actor=actor,
                note=data["note"],
                expected_state=data["expected_state"],
                reason=data["reason"],
                legal_basis=data["legal_basis"],
            )
        elif name == "resubmit":
            form = TransitionForm(request.POST)
            if not form.is_valid():
                raise ActionRefused(_("Permintaan tidak lengkap; muat ulang halaman."))
            application_resubmit(
                application=app, actor=actor, expected_state=form.cleaned_data["expected_state"]
            )
        elif name == "submit":
            form = TransitionForm(request.POST)
            if not form.is_valid():
                raise ActionRefused(_("Permintaan tidak lengkap; muat ulang halaman."))
            result = application_submit(
                application=app, actor=actor, expected_state=form.cleaned_data["expected_state"]
            )
        elif name in PAGE_ACTIONS:
            form = TransitionForm(request.POST)
            if not form.is_valid():
                raise ActionRefused(_("Permintaan tidak lengkap; muat ulang halaman."))
            result = transition_fire(
                application=app,
                name=name,
                actor=actor,
                note=form.cleaned_data["note"],
                expected_state=form.cleaned_data["expected_state"],
            )
        else:
            raise Http404
    except ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, action_done(name, before_id=before_id, app=result))
    return redirect("backoffice:file", public_id=app.public_id)


@require_POST
@backoffice
def file_checklist(request, public_id):
    """Save the whole checklist (htmx: the checklist comes back in place; without
    JavaScript: back to the page). A refusal keeps every choice and note typed."""
    app = application_for_page(user=request.user, public_id=public_id)
    parts = application_page_parts(app)
    form = ChecklistForm(request.POST, checks=parts["checks"], **data_line(app))
    error = None
    if form.is_valid():
        try:
            checklist_save(
                application=app,
                verdicts=form.verdicts(),
                data=form.data_verdict(),
                actor=Actor.from_request(request),
            )
        except ChecklistRefused as refused:
            error = refused.message
            form.add_refusal(refused.errors)
        except ActionRefused as refused:
            error = refused.message
    else:
        error = _("Periksa kembali isian daftar persyaratan.")
    if not request.htmx:
        if error:
            forms = {"checklist_form": form, "checklist_error": error}
            if not form.errors:  # refused as a whole (the file moved on): summarised too
                forms["page_errors"] = [page_error(error)]
            return file_page_render(request, app, forms=forms, status=400)
        messages.success(request, _("Hasil pemeriksaan tersimpan."))
        return redirect(reverse("backoffice:file", args=[app.public_id]) + "#h-checks")
    if error is None:  # show what was saved, and the return panel that starts from it
        parts = application_page_parts(app)
        app = application_for_page(user=request.user, public_id=public_id)
        form = ChecklistForm(checks=parts["checks"], **data_line(app))
    rights = file_rights(app, request.user)
    context = {
        "app": app,
        "checks": parts["checks"],
        "checklist_form": form,
        "checklist_error": error,
        "checklist_saved": error is None,
        "can_upload": rights.may_upload,
        "can_return": rights.may_return,
        "return_form": ReturnForm(
            initial={"expected_state": app.state}, checks=parts["checks"], **data_line(app)
        ),
        "details": file_details(app),
        "oob": True,
    }
    return render(request, "permits/backoffice/_checklist_response.html", context)


@require_POST
@backoffice
def file_details_save(request, public_id):
    """The counter fills a walk-in draft's details (its type's own fields)."""
    app = application_for_page(user=request.user, public_id=public_id)
    if not may_fill_details(app, request.user):
        raise PermissionDenied
    form = DetailsForm(app.form_spec, places=gazetteer(), data=request.POST)
    ok = form.validate(complete=False).ok
    application_details_update(
        application=app, actor=Actor.from_request(request), details=form.merged(app.details)
    )
    if ok:
        messages.success(request, _("Data tersimpan."))
        return redirect(reverse("backoffice:file", args=[app.public_id]) + "#h-details")
    app.refresh_from_db()
    forms = {"details_form": form, "page_errors": form.page_errors()}
    return file_page_render(request, app, forms=forms, status=400)


@require_POST
@backoffice
def file_upload(request, public_id):
    app = application_for_page(user=request.user, public_id=public_id)
    error = posted_upload(request, app)
    if error:  # the page again: the reason beside the row and in the summary on top
        return file_page_render(request, app, forms=upload_refusal(request, app, error), status=400)
    messages.success(request, _("Dokumen diunggah."))
    return redirect("backoffice:file", public_id=app.public_id)


@require_POST
@backoffice(roles={Role.SUPERVISOR, Role.HEAD})
def file_reassign(request, public_id):
    app = application_for_page(user=request.user, public_id=public_id)
    form = ReassignForm(request.POST, candidates=candidates_for(app, app.state))
    if not form.is_valid():  # the page again, the summary on top, nothing lost
        return file_page_render(request, app, forms={"reassign_form": form}, status=400)
    officer = form.cleaned_data["officer"]
    try:
        application_reassign(
            application=app,
            officer=officer,
            actor=Actor.from_request(request),
            reason=form.cleaned_data["reason"],
        )
    except ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            sentence(
                _("Berkas dipindahkan ke %(name)s (%(role)s)")
                % {"name": officer.display_name, "role": officer.role_label}
            ),
        )
    return redirect("backoffice:file", public_id=app.public_id)


def _document_seen(request, public_id) -> Document:
    """A document of a file the user may see (else 404), its opening recorded."""
    document = get_object_or_404(
        Document.objects.select_related("application"), public_id=public_id
    )
    if not applications_visible_to(request.user).filter(pk=document.application_id).exists():
        raise Http404
    file_view_record(
        application=document.application,
        actor=Actor.from_request(request),
        kind=FileView.Kind.DOCUMENT,
    )
    return document


@require_safe
@backoffice
def document_download(request, public_id):
    """A document version, only for staff who may see its file (no guessable path)."""
    document = _document_seen(request, public_id)
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[
        document.content_type
    ]
    return checked_response(
        document.file,
        document.sha256,
        content_type=document.content_type,
        as_attachment=False,
        filename=f"{document.application.registration_number or 'draf'}-"
        f"{document.requirement.code}-v{document.version}.{extension}",
    )


@require_safe
@backoffice
def document_preview(request, public_id):
    """The first page of a PDF document as a PNG, shown beside the checklist; the same
    permission (and record) as the download. An image is shown through the download."""
    document = _document_seen(request, public_id)
    if document.content_type != "application/pdf":
        raise Http404
    name = pdf_first_page(document)
    if name is None:
        return HttpResponseRedirect(static("img/document.svg"))
    response = FileResponse(document.file.storage.open(name, "rb"), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_safe
@backoffice(roles={Role.SUPERVISOR, Role.HEAD})
def team(request):
    now = timezone.now()
    late = late_files_of_team(supervisor=request.user, now=now)
    calendar = get_calendar()
    for app in late:
        app.status = clock_status(app, now, calendar)
    return render(
        request,
        "permits/backoffice/team.html",
        {"loads": team_load(supervisor=request.user, now=now), "late": late},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@backoffice(roles={Role.COUNTER})
def walk_in(request):
    form = WalkInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        permit_type = data.pop("permit_type")
        try:
            app = application_create(
                permit_type=permit_type, actor=Actor.from_request(request), **data
            )
        except ActionRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("Berkas dibuat. Unggah pindaian dokumen, lalu ajukan."))
            return redirect("backoffice:file", public_id=app.public_id)
    return render(
        request,
        "permits/backoffice/walk_in.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@backoffice
def file_message(request, public_id):
    app = application_for_page(user=request.user, public_id=public_id)
    body = request.POST.get("body", "")
    try:
        posted = file_message_post(application=app, actor=Actor.from_request(request), body=body)
    except ActionRefused as exc:
        forms = {
            "message_error": str(exc),
            "message_draft": body,
            "page_errors": [page_error(str(exc), target="message-body")],
        }
        return file_page_render(request, app, forms=forms, status=400)
    messages.success(request, sentence(_("Pesan terkirim"), told_words(posted.notice)))
    return redirect(reverse("backoffice:file", args=[app.public_id]) + "#messages")


def data_line(app) -> dict:
    """What the checklist and the return form need for the file's data line."""
    return {"application": app, "data_check": data_check_of(app)}
