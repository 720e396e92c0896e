"""Issuing a permit: numbered when the head of office signs, rendered and signed as a PDF
after commit, revocable with a reason. Every step is an event on the file's record."""

from __future__ import annotations

import datetime
import hashlib

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from core.queue import enqueue_on_commit
from issuance.models import Permit
from permits.event_names import PERMIT_ISSUED, PERMIT_PDF_STORED, PERMIT_REVOKED
from permits.models import Application
from permits.numbering import permit_number_next
from permits.services.context import ActionRefused, Actor
from permits.services.events import file_event
from permits.services.notices import applicant_notify


def permit_links(permit: Permit) -> dict:
    """Where the holder downloads the permit and where anyone verifies it (for messages)."""
    tracking_code = permit.application.tracking_code
    return {
        "permit_url": settings.SITE_URL + reverse("issuance:tracking_permit", args=[tracking_code]),
        "verify_url": settings.SITE_URL + reverse("issuance:verify", args=[permit.code]),
    }


def permit_validity(permit_type, issued_on: datetime.date) -> datetime.date | None:
    """The last day a permit is valid (None: valid while the activity runs)."""
    if not permit_type.validity_months:
        return None
    return issued_on + relativedelta(months=permit_type.validity_months) - datetime.timedelta(1)


def permit_draft(app: Application, signer, at, *, number: str) -> Permit:
    """The permit ``signer`` would issue for ``app`` at ``at`` (not saved): what the head of
    office previews before signing is what ``permit_issue`` stores."""
    issued_on = timezone.localtime(at).date()
    return Permit(
        application=app,
        permit_type=app.permit_type,
        number=number,
        holder_name=app.applicant_name,
        holder_nik=app.applicant_nik,
        holder_nib=app.applicant_nib,
        business_name=app.business_name,
        holder_address=app.applicant_address,
        issued_at=at,
        valid_from=issued_on,
        valid_until=permit_validity(app.permit_type, issued_on),
        signed_by=signer,
        signatory_name=signer.display_name,
        signatory_title=settings.SIGNATORY_TITLE,
    )


def permit_issue(app: Application, actor: Actor, at) -> Permit:
    """Called inside the signing transaction: the number is taken here, so a rolled-back
    signing gives it back and two concurrent signings wait on each other (no gap, no twin)."""
    from issuance.tasks import render_permit

    permit = permit_draft(app, actor.user, at, number=permit_number_next(app.permit_type, at))
    permit.save()
    file_event(
        application=app,
        action=PERMIT_ISSUED,
        actor=actor,
        data={"number": permit.number, "code": permit.code},
        at=at,
    )
    enqueue_on_commit(render_permit, permit.pk)
    return permit


def permit_render(permit: Permit) -> bool:
    """Render, sign and store the permit's PDF once, then tell the holder it is ready.

    Idempotent: a permit that has its PDF is never rendered again (its hash is on record).
    Returns whether this call stored the PDF.
    """
    from issuance.document import permit_pdf

    if permit.pdf_sha256:
        return False
    pdf = permit_pdf(permit)
    digest = hashlib.sha256(pdf).hexdigest()
    name = f"permits/{permit.application.public_id.hex}-{digest[:12]}.pdf"
    stored = permit.pdf.storage.save(name, ContentFile(pdf))
    with transaction.atomic():
        current = Permit.objects.select_for_update().get(pk=permit.pk)
        if current.pdf_sha256:  # another worker won the race; keep its file
            permit.pdf.storage.delete(stored)
            return False
        current.pdf, current.pdf_sha256 = stored, digest
        current.pdf_rendered_at = timezone.now()
        current._history_user = None
        current.save(update_fields=["pdf", "pdf_sha256", "pdf_rendered_at"])
        app = current.application
        file_event(
            application=app,
            action=PERMIT_PDF_STORED,
            actor=Actor.system(),
            data={"sha256": digest, "bytes": len(pdf)},
        )
        applicant_notify(app, "file.issued", permit=current, **permit_links(current))
    permit.pdf, permit.pdf_sha256 = current.pdf, digest
    return True


# Sent inside ``permit_revoke``'s transaction, after the revocation is recorded (the API's
# webhooks listen).
permit_revoked = Signal()


@transaction.atomic
def permit_revoke(*, permit: Permit, actor: Actor, reason: str) -> Permit:
    """Revocation (pencabutan) by the head of office, with a reason; the holder is told
    (``permit.notice``: the outbox message, None if they cannot be reached)."""
    user = actor.user
    if user is None or not user.is_active or user.role != Role.HEAD:
        raise ActionRefused(_("Hanya Kepala Dinas yang dapat mencabut izin."))
    if not reason.strip():
        raise ActionRefused(_("Tuliskan alasan dan dasar pencabutan."))
    permit = (
        Permit.objects.select_for_update(of=("self",))
        .select_related("application")
        .get(pk=permit.pk)
    )
    if permit.revoked_at is not None:
        raise ActionRefused(_("Izin ini sudah dicabut."))
    permit.revoked_at, permit.revoked_by = timezone.now(), user
    permit.revocation_reason = reason.strip()
    permit._history_user = user
    permit.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    app = permit.application
    file_event(
        application=app,
        action=PERMIT_REVOKED,
        actor=actor,
        note=permit.revocation_reason,
        data={"number": permit.number},
        at=permit.revoked_at,
    )
    permit.notice = applicant_notify(app, "permit.revoked", permit=permit, **permit_links(permit))
    permit_revoked.send(sender=Permit, permit=permit, at=permit.revoked_at)
    return permit
