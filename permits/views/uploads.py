"""Taking one posted document, for the back office and the applicant alike."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

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
