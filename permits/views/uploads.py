"""Taking one posted document, for the back office and the applicant alike."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from core.templatetags.form_errors import page_error
from permits.forms import UploadForm
from permits.services.context import ActionRefused, Actor
from permits.services.documents import document_upload


def posted_upload(request, app) -> str:
    """Store the document posted with ``UploadForm``; "" or why it was refused.

    Who may upload is the service's decision (``PermissionDenied`` passes through).
    """
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _("Pilih berkas yang akan diunggah.")
    requirement = get_object_or_404(
        app.permit_type.requirements.filter(active=True), pk=form.cleaned_data["requirement"]
    )
    try:
        document_upload(
            application=app,
            requirement=requirement,
            uploaded=form.cleaned_data["file"],
            actor=Actor.from_request(request),
        )
    except ActionRefused as refused:
        return str(refused)
    return ""


def upload_refusal(request, app, message: str) -> dict:
    """A refused upload posted without JS, as the page shows it again: the message beside
    its requirement's row, and in the error summary linked to that row's file input."""
    posted = request.POST.get("requirement", "")
    requirements = app.permit_type.requirements
    requirement = requirements.filter(pk=posted).first() if posted.isdigit() else None
    label = f"{requirement.name}:" if requirement else ""
    return {
        "upload_error": message,
        "upload_for": posted,
        "page_errors": [
            page_error(message, target=f"upload-file-{posted}" if requirement else "", label=label)
        ],
    }
