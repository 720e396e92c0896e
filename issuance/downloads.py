"""The signed permit PDF as a download, for the pages and the API alike."""

from __future__ import annotations

from django.http import HttpResponse

from core.queue import enqueue
from core.storage import checked_response
from issuance.models import Permit
from issuance.tasks import render_permit


def permit_pdf_ready(permit: Permit) -> bool:
    """Whether the signed PDF is stored; if not, the worker is asked (again) to make it."""
    if not permit.pdf_sha256:
        enqueue(render_permit, permit.pk)
        permit.refresh_from_db(fields=["pdf", "pdf_sha256"])
    return bool(permit.pdf_sha256)


def permit_pdf_response(permit: Permit) -> HttpResponse:
    """The stored PDF, checked against its SHA-256, named after the permit's number."""
    safe_number = "".join(ch if ch.isalnum() else "-" for ch in permit.number)
    return checked_response(
        permit.pdf,
        permit.pdf_sha256,
        content_type="application/pdf",
        filename=f"izin-{safe_number}.pdf",
    )
