"""The receipt (tanda terima) of a submitted file: a page and an A4 PDF with a QR code
pointing at the public tracking page."""

from __future__ import annotations

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from permits.models import Application
from permits.services.notices import tracking_url
from portal.masking import mask_nik


def receipt_context(request, app: Application) -> dict:
    url = tracking_url(app)
    documents = list(
        app.documents.select_related("requirement").order_by("requirement__position", "-version")
    )
    latest = {}
    for document in documents:
        latest.setdefault(document.requirement_id, document)
    return {
        "app": app,
        "tracking_url": url,
        "qr_svg": segno.make(url, error="m").svg_inline(scale=3, border=2),
        "nik_masked": mask_nik(app.applicant_nik),
        "documents": list(latest.values()),
        "printed_at": timezone.now(),
    }


def receipt_pdf(request, app: Application) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "permits/applicant/receipt_pdf.html", receipt_context(request, app), request=request
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
