"""Read-side queries of the issuance app: which permit or bill a page shows, and the public
register's sealed days.

Who may see a file's permit is decided by who may see the file
(``permits.selectors.backoffice.application_for_page``,
``permits.selectors.applicant.applicant_file``, or the tracking code); these take the file
those gave.
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from issuance.models import Bill, Permit, RegisterDay, normalise_permit_code
from permits.models import Application, normalise_tracking_code
from permits.selectors.details import file_details, places_all

CODE_LENGTH = 14  # "XXXX-XXXX-XXXX", verification and tracking codes alike


def permit_of_file(app: Application) -> Permit:
    """The permit of a file the viewer may see, or 404."""
    return get_object_or_404(Permit, application=app)


def bill_of_file(app: Application) -> Bill:
    """The bill of a file the viewer may see, or 404."""
    return get_object_or_404(Bill, application=app)


def permit_by_tracking_code(code: str) -> Permit | None:
    """The permit of the file with this tracking code (it stands for the applicant)."""
    code = normalise_tracking_code(code)
    if len(code) != CODE_LENGTH:
        return None
    return Permit.objects.filter(application__tracking_code=code).first()


def permit_by_code(code: str) -> Permit | None:
    """A permit by its verification code (printed with its QR code), for the public check."""
    code = normalise_permit_code(code)
    if len(code) != CODE_LENGTH:
        return None
    return (
        Permit.objects.select_related("permit_type__opd", "application__form_version")
        .filter(code=code)
        .first()
    )


def permit_for_query(query: str) -> Permit | None:
    """What a visitor typed on the verification page: a verification code, else a number."""
    query = query.strip()
    return permit_by_code(query) or (
        Permit.objects.select_related("permit_type__opd").filter(number=query).first()
    )


def permit_by_pdf_digest(digest: str) -> Permit | None:
    """The permit whose issued PDF has this SHA-256 (an uploaded copy, checked)."""
    return Permit.objects.select_related("permit_type").filter(pdf_sha256=digest).first()


def register_days() -> QuerySet[RegisterDay]:
    """The sealed days, newest first (the model's order), without their entries."""
    return RegisterDay.objects.only("day", "count", "digest", "previous_digest", "sealed_at")


def register_day_sealed(day: datetime.date) -> RegisterDay | None:
    return RegisterDay.objects.filter(day=day).first()


def register_chain() -> list[tuple]:
    """(day, count, previous digest, digest) of every sealed day, oldest first."""
    return list(
        RegisterDay.objects.order_by("day").values_list("day", "count", "previous_digest", "digest")
    )


def public_details_of(numbers: list[str]) -> dict[str, str]:
    """The public fields of the permits numbered ``numbers``, in one line each (the
    register's listing; never personal data: only fields the catalogue marks public)."""
    if not numbers:
        return {}
    permits = Permit.objects.filter(number__in=numbers).select_related("application__form_version")
    places = places_all()
    return {
        permit.number: "; ".join(
            f"{item['label']}: {item['text']}"
            for item in file_details(permit.application, only="public", places=places)
        )
        for permit in permits
    }
