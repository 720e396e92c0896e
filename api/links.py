"""Where a file lives in the API: one place for the addresses the answers and the webhook
payloads give a partner."""

from __future__ import annotations

from django.urls import reverse


def file_links(app) -> dict:
    """The file's own address, its operations', and its status by registration number
    (None until it is submitted)."""
    status = (
        reverse("api:application_status", args=[app.registration_number])
        if app.registration_number
        else None
    )
    return {
        "self": reverse("api:file", args=[app.public_id]),
        "documents": reverse("api:file_documents", args=[app.public_id]),
        "submit": reverse("api:file_submit", args=[app.public_id]),
        "resubmit": reverse("api:file_resubmit", args=[app.public_id]),
        "status": status,
    }
