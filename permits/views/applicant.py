"""The applicant's side: my files, a new online application, the draft saved as one goes,
uploads one requirement at a time, submit, answer a return, withdraw, and the receipt.

Views parse and render; the services decide (the same ones the back office uses).
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import reswap, retarget

from accounts.models import Role
from core.queue import enqueue
from core.storage import checked_response
from core.templatetags.form_errors import page_error
from permits.details.form import DetailsForm
from permits.forms import DraftForm, WithdrawForm
from permits.models import Application, CheckStatus, DataStatus, PermitType, Stage
from permits.receipt import receipt_context
from permits.selectors.applicant import applicant_file, files_of_applicant, latest_documents
from permits.selectors.details import file_details
from permits.services.applications import (
    application_create,
    application_draft_update,
    application_resubmit,
    application_submit,
    transition_fire,
)
from permits.services.checks import checks_awaiting_replacement
from permits.services.context import ActionRefused, Actor, ContactUnverified
from permits.services.data_checks import data_check_of, data_correct, data_wanting, may_correct
from permits.services.documents import may_upload
from permits.services.file_messages import file_message_post
from permits.sla import clock_status
from permits.tasks import render_receipt
from permits.tracking import held_explanation
from permits.views.site_visit_parts import site_visit_part
from permits.views.uploads import posted_upload, upload_refusal
from places.selectors import gazetteer
from worktime.calendar import get_calendar


def applicant_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.user.role != Role.APPLICANT:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@require_safe
@applicant_only
def dashboard(request):
    files = files_of_applicant(request.user)
    now, calendar = timezone.now(), get_calendar()
    for app in files:
        app.status = clock_status(app, now, calendar)
    return render(request, "permits/applicant/dashboard.html", {"files": files})


@require_http_methods(["GET", "HEAD", "POST"])
@applicant_only
def start(request, code: str):
    """A new application of a type. GET (where sign-in and sign-up lead back to) asks to
    confirm, and offers a draft of this type already begun; POST creates the draft."""
    permit_type = get_object_or_404(PermitType, code=code, active=True, opd__active=True)
    user = request.user
    drafts = Application.objects.filter(
        applicant=user, permit_type=permit_type, state=Stage.DRAFT
    ).order_by("-created_at")
    context = {"permit": permit_type, "drafts": list(drafts[:3])}
    if request.method == "GET":
        return render(request, "permits/applicant/start.html", context)
    try:
        app = application_create(
            permit_type=permit_type,
            actor=Actor.from_request(request),
            applicant_name=user.display_name,
            applicant_nik=user.nik,
            applicant_nib=user.nib,
            business_name=user.business_name,
            applicant_phone=user.phone,
            applicant_email=user.email,
            applicant_address=user.address,
        )
    except ValidationError as exc:
        # An account made without the sign-up form (by staff, imported) may lack its NIK.
        labels = {field.name: str(field.verbose_name) for field in Application._meta.fields}
        missing = ", ".join(labels[name] for name in exc.message_dict if name in labels)
        messages.error(
            request,
            _(
                "Data akun Anda belum lengkap (%(fields)s), jadi permohonan belum dapat "
                "dimulai. Mintalah petugas loket MPP melengkapinya."
            )
            % {"fields": missing},
        )
        return render(request, "permits/applicant/start.html", context, status=400)
    return redirect("applicant:file", app.public_id)


def _file_context(request, app, *, forms=None, **extra) -> dict:
    checks = list(app.checks.select_related("requirement").order_by("requirement__position"))
    latest = {document.requirement_id: document for document in latest_documents(app)}
    waiting = set()
    if app.state == Stage.RETURNED:
        waiting = {check.pk for check in checks_awaiting_replacement(application=app)}
    for check in checks:
        check.latest = latest.get(check.requirement_id)
        check.needs_replacement = check.pk in waiting
    missing = [c for c in checks if c.requirement.mandatory and c.latest is None]
    status = clock_status(app, timezone.now(), get_calendar())
    draft = app.state == Stage.DRAFT
    data_check = data_check_of(app)
    to_correct = (
        data_check.fields
        if data_check and data_check.status == DataStatus.WRONG and may_correct(app, request.user)
        else []
    )
    return {
        "app": app,
        "checks": checks,
        "missing": missing,
        "to_replace": [c for c in checks if c.needs_replacement],
        "problems": [c for c in checks if c.status in {CheckStatus.MISSING, CheckStatus.INVALID}],
        "can_upload": may_upload(app, request.user),
        "status": status,
        "hold_note": held_explanation(status) if app.held_since else "",
        "draft_form": DraftForm(instance=app) if draft else None,
        "details_form": DetailsForm(app.form_spec, places=gazetteer(), initial=app.details)
        if draft
        else None,
        "details": [] if draft else file_details(app),
        "data_check": data_check,
        "data_wanting": data_wanting(app) if to_correct else [],
        "correction_form": correction_form(app) if to_correct else None,
        "thread": list(app.file_messages.select_related("author")),
        "can_message": True,
        "message_url": reverse("applicant:message", args=[app.public_id]),
        "withdraw_form": WithdrawForm(initial={"expected_state": app.state})
        if app.may_fire("withdraw", request.user)
        else None,
        **site_visit_part(app, request.user, forms or {}, staff=False),
        **extra,
    }


@require_safe
@applicant_only
def file_page(request, public_id):
    app = applicant_file(request.user, public_id)
    return render(request, "permits/applicant/file.html", _file_context(request, app))


@require_POST
@applicant_only
def save_draft(request, public_id):
    """Autosave (htmx, on every change) and the plain "save" button share this view. The
    permit's details that hold are saved even when another field is wrong; each wrong one
    comes back with its message and the input as typed."""
    app = applicant_file(request.user, public_id)
    if app.state != Stage.DRAFT:
        raise PermissionDenied
    form = DraftForm(request.POST, instance=app)
    details_form = DetailsForm(app.form_spec, places=gazetteer(), data=request.POST)
    details_ok = details_form.validate(complete=False).ok
    form_ok = form.is_valid()
    app = application_draft_update(
        application=app,
        actor=Actor.from_request(request),
        details=details_form.merged(app.details),
        **(form.updates() if form_ok else {}),
    )
    if form_ok and details_ok:
        if request.htmx:  # only the status: what the person types meanwhile stays
            return saved_status(request, "draft-status")
        messages.success(request, _("Data tersimpan."))
        return redirect("applicant:file", app.public_id)
    if request.htmx:  # htmx swaps only 2xx answers: the form with its errors is one
        context = {"form": form, "details_form": details_form, "app": app}
        return form_again(request, "permits/applicant/_draft_form.html", context, "#draft-form")
    context = _file_context(
        request,
        app,
        draft_form=form,
        details_form=details_form,
        page_errors=details_form.page_errors(),
    )
    return render(request, "permits/applicant/file.html", context, status=400)


def saved_status(request, status_id: str):
    """The autosave's answer when all held: the line that says so, nothing else (the form
    stays as the person is typing it)."""
    context = {"saved_at": timezone.now(), "status_id": status_id}
    return render(request, "permits/applicant/_save_status.html", context)


def form_again(request, template: str, context: dict, target: str):
    """The autosave's answer when something is wrong: the whole form with its messages,
    in place of the form rather than of the status line."""
    return reswap(retarget(render(request, template, context), target), "outerHTML")


def correction_form(app, data=None) -> DetailsForm:
    """The fields the counter asked to correct, and only those."""
    named = set(app.data_check.fields)
    spec = [field for field in app.form_spec if field["key"] in named]
    return DetailsForm(spec, places=gazetteer(), data=data, initial=app.details)


@require_POST
@applicant_only
def correct_data(request, public_id):
    """The applicant corrects the fields a return named (htmx autosave, or the button)."""
    app = applicant_file(request.user, public_id)
    check = data_check_of(app)
    if check is None or check.status != DataStatus.WRONG or not may_correct(app, request.user):
        raise PermissionDenied
    form = correction_form(app, data=request.POST)
    ok = form.validate(complete=False).ok
    stored = {key: app.details[key] for key in check.fields if key in app.details}
    app = data_correct(
        application=app, actor=Actor.from_request(request), values=form.merged(stored)
    )
    if request.htmx:
        if ok:
            return saved_status(request, "correction-status")
        context = {"app": app, "correction_form": form}
        template = "permits/applicant/_correction_form.html"
        return form_again(request, template, context, "#correction-form")
    if ok:
        messages.success(request, _("Data tersimpan."))
        return redirect("applicant:file", app.public_id)
    context = _file_context(request, app, correction_form=form, page_errors=form.page_errors())
    return render(request, "permits/applicant/file.html", context, status=400)


@require_POST
@applicant_only
def upload(request, public_id):
    """One requirement's document; a refusal explains itself and nothing else is touched."""
    app = applicant_file(request.user, public_id)
    try:
        error = posted_upload(request, app)
    except PermissionDenied as exc:
        error = str(exc) or _("Dokumen ini tidak dapat diunggah sekarang.")
    if request.htmx:
        context = _file_context(
            request, app, upload_error=error, upload_for=request.POST.get("requirement")
        )
        return render(
            request, "permits/applicant/_upload_response.html", context
        )  # 200 even on a refusal: htmx swaps only 2xx answers, and the row explains
    if error:  # without JS: the page again, the reason beside the row and in the summary
        context = _file_context(request, app, **upload_refusal(request, app, error))
        return render(request, "permits/applicant/file.html", context, status=400)
    messages.success(request, _("Dokumen terunggah."))
    return redirect("applicant:file", app.public_id)


@require_POST
@applicant_only
def submit(request, public_id):
    app = applicant_file(request.user, public_id)
    actor = Actor.from_request(request)
    expected = request.POST.get("expected_state") or None
    try:
        if app.state == Stage.DRAFT:
            application_submit(application=app, actor=actor, expected_state=expected)
            return redirect("applicant:receipt", app.public_id)
        application_resubmit(application=app, actor=actor, expected_state=expected)
    except ContactUnverified as exc:
        messages.error(request, str(exc))
        return redirect("accounts:verify")
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Berkas diajukan kembali. Petugas akan memeriksanya."))
    return redirect("applicant:file", app.public_id)


@require_POST
@applicant_only
def withdraw(request, public_id):
    app = applicant_file(request.user, public_id)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        context = _file_context(request, app, withdraw_form=form, open_withdraw=True)
        return render(request, "permits/applicant/file.html", context, status=400)
    try:
        transition_fire(
            application=app,
            name="withdraw",
            actor=Actor.from_request(request),
            expected_state=form.cleaned_data["expected_state"],
            note=form.cleaned_data["reason"],
        )
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Permohonan sudah dicabut."))
    return redirect("applicant:file", app.public_id)


@require_safe
@applicant_only
def receipt(request, public_id):
    app = applicant_file(request.user, public_id)
    if app.registration_number is None:
        return redirect("applicant:file", app.public_id)
    return render(request, "permits/applicant/receipt.html", receipt_context(app))


@require_safe
@applicant_only
def receipt_download(request, public_id):
    """The stored PDF; if the worker has not rendered it yet, ask it again and say so."""
    app = applicant_file(request.user, public_id)
    if app.registration_number is None:
        return redirect("applicant:file", app.public_id)
    if not app.receipt_pdf:
        enqueue(render_receipt, app.pk)
        app.refresh_from_db(fields=["receipt_pdf", "receipt_sha256"])
    if not app.receipt_pdf:
        return render(request, "permits/applicant/receipt_pending.html", {"app": app}, status=202)
    return checked_response(
        app.receipt_pdf,
        app.receipt_sha256,
        content_type="application/pdf",
        filename=f"tanda-terima-{app.registration_number}.pdf",
    )


@require_POST
@applicant_only
def message(request, public_id):
    app = applicant_file(request.user, public_id)
    body = request.POST.get("body", "")
    try:
        file_message_post(application=app, actor=Actor.from_request(request), body=body)
    except ActionRefused as exc:
        context = _file_context(
            request,
            app,
            message_error=str(exc),
            message_draft=body,
            page_errors=[page_error(str(exc), target="message-body")],
        )
        return render(request, "permits/applicant/file.html", context, status=400)
    messages.success(request, _("Pesan terkirim."))
    return redirect(reverse("applicant:file", args=[app.public_id]) + "#messages")
