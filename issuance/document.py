"""The permit as a document: HTML from the family's template, a PDF by WeasyPrint, signed
(PAdES) by ``issuance.signing``. Always in Indonesian: it is a legal instrument."""

from __future__ import annotations

import functools
from pathlib import Path

import segno
from django.conf import settings
from django.template.loader import select_template
from django.urls import reverse
from django.utils import translation

from issuance.models import Permit
from issuance.signing import pdf_sign
from permits.models import Verdict
from permits.selectors.details import file_details


def verification_url(permit: Permit) -> str:
    return settings.SITE_URL + reverse("issuance:verify", args=[permit.code])


def permit_context(permit: Permit, *, preview: bool = False) -> dict:
    url = verification_url(permit)
    return {
        "preview": preview,
        "permit": permit,
        "app": permit.application,
        "permit_type": permit.permit_type,
        "details": file_details(permit.application, only="printed"),
        # The technical team's conditions (issue 22.1): each agency's, signed off.
        "recommended_conditions": list(
            permit.application.recommendations.filter(
                signed_at__isnull=False, verdict=Verdict.WITH_CONDITIONS
            )
            .select_related("opd")
            .order_by("opd__name_id", "pk")
        ),
        "verification_url": url,
        # A PNG: WeasyPrint lays out an SVG QR code path by path, ten times slower. A fixed
        # mask spares segno scoring all eight (7 ms a permit); any mask is a valid code.
        "qr_png": segno.make(url, error="m", mask=0, micro=False).png_data_uri(scale=4, border=1),
        "OFFICE_NAME": settings.OFFICE_NAME,
        "OFFICE_REGION": settings.OFFICE_REGION,
        "OFFICE_ADDRESS": settings.OFFICE_ADDRESS,
        "OFFICE_CITY": settings.OFFICE_CITY,
    }


def permit_html(permit: Permit, *, preview: bool = False) -> str:
    """The permit's HTML; ``preview`` marks it as a draft not yet signed."""
    family = permit.permit_type.family
    template = select_template([f"issuance/permit/{family}.html", "issuance/permit/base.html"])
    with translation.override("id"):
        return template.render(permit_context(permit, preview=preview))


@functools.cache
def _font_config():
    """One font configuration per process: building it costs WeasyPrint ~30 ms a document."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


PERMIT_TEMPLATES = Path(__file__).parent / "templates" / "issuance" / "permit"


@functools.cache
def _permit_html_class():
    """WeasyPrint's HTML with the permits' own small user-agent stylesheet (ua.css)."""
    from weasyprint import CSS, HTML

    ua = CSS(string=(PERMIT_TEMPLATES / "ua.css").read_text())

    class PermitHTML(HTML):
        def _ua_stylesheets(self, forms=False):  # WeasyPrint's hook (pinned version)
            return [ua]

    return PermitHTML


@functools.cache
def _permit_css():
    from weasyprint import CSS

    return CSS(string=(PERMIT_TEMPLATES / "permit.css").read_text())


def permit_pdf_unsigned(permit: Permit, *, preview: bool = False) -> bytes:
    html = permit_html(permit, preview=preview)
    document = _permit_html_class()(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf(stylesheets=[_permit_css()], font_config=_font_config())


def permit_pdf(permit: Permit) -> bytes:
    """The signed PDF of ``permit`` (WeasyPrint, then pyHanko)."""
    pdf = permit_pdf_unsigned(permit)
    return pdf_sign(
        pdf,
        reason=f"Penerbitan izin {permit.number}",
        location=settings.OFFICE_SHORT_NAME,
    )
