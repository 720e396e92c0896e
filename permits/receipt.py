"""The receipt (tanda terima) of a submitted file: a page and an A4 PDF with a QR code
pointing at the public tracking page.

The PDF is rendered by a Celery task after the submission commits and stored with its
SHA-256 (WeasyPrint takes a good part of a second: not a web request's work); the download
asks for it again if a worker has not caught up yet.
"""

from __future__ import annotations

import hashlib

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.masking import mask_nik
from permits.models import Application
from permits.selectors.applicant import latest_documents
from permits.services.notices import tracking_url


def receipt_context(app: Application) -> dict:
    url = tracking_url(app)
    return {
        "app": app,
        "tracking_url": url,
        "qr_svg": segno.make(url, error="m").svg_inline(scale=3, border=2),
        "nik_masked": mask_nik(app.applicant_nik),
        "documents": latest_documents(app),
        "printed_at": timezone.now(),
        "OFFICE_NAME": settings.OFFICE_NAME,
    }


def receipt_render(app: Application) -> None:
    """Render and store the receipt PDF, in the applicant's language."""
    from weasyprint import HTML

    language = getattr(app.applicant, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        html = render_to_string("permits/applicant/receipt_pdf.html", receipt_context(app))
        pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    app.receipt_sha256 = hashlib.sha256(pdf).hexdigest()
    app.receipt_pdf.save(f"receipts/{app.public_id.hex}.pdf", ContentFile(pdf), save=False)
    with transaction.atomic():
        # A fresh, locked row: a transition fired meanwhile must not look like a conflict.
        current = Application.objects.select_for_update().get(pk=app.pk)
        current.receipt_pdf, current.receipt_sha256 = app.receipt_pdf.name, app.receipt_sha256
        current._history_user = None  # the system, after the applicant's submission
        current.save(update_fields=["receipt_pdf", "receipt_sha256"])
