"""What the applicant is told, and when: through the outbox, in their language and channel.

Every transition that concerns the applicant queues one message in the same transaction
(``transition_notices``): received, returned with what is missing, payment requested (with
the bill), rejected, expired; "issued" follows once the signed PDF is stored. Late files get
an apology from the reminder run. A walk-in applicant without an account is reached at the
e-mail or phone number on the file.
"""

from django.conf import settings
from django.urls import reverse

from outbox.services import Contact, contact_of, message_queue
from permits.models import Application, CheckStatus, Stage

TRANSITION_NOTICES = {
    "submit": "file.received",
    "resubmit": "file.received",
    "return_to_applicant": "file.returned",
    # "sign": the holder hears once the signed PDF exists (issuance.services.issue.permit_render).
    "reject": "file.rejected",
    "expire": "file.expired",
}


def applicant_contact(app: Application) -> Contact | None:
    return contact_of(
        user=app.applicant if app.applicant_id else None,
        email=app.applicant_email,
        phone=app.applicant_phone,
    )


def tracking_url(app: Application) -> str:
    return settings.SITE_URL + reverse("tracking:file", args=[app.tracking_code])


def applicant_notify(app: Application, kind: str, **extra):
    """Queue message ``kind`` for the applicant; the outbox message (its channel says how
    they were told), or None when the file leaves no way to reach them."""
    contact = applicant_contact(app)
    if contact is None:
        return None
    context = {
        "application": app,
        "tracking_url": tracking_url(app),
        "expiry_days": settings.RETURNED_EXPIRY_WORKING_DAYS,
        **extra,
    }
    if kind == "file.returned":
        context["problems"] = list(
            app.checks.filter(status__in=[CheckStatus.MISSING, CheckStatus.INVALID])
            .select_related("requirement")
            .order_by("requirement__position")
        )
    return message_queue(kind=kind, context=context, contact=contact, application=app)


def transition_notices(app: Application, name: str, from_state: str):
    """Called by ``transition_fire`` after every transition, inside its transaction; the
    message queued for the applicant, or None."""
    kind = TRANSITION_NOTICES.get(name)
    if app.state == Stage.AWAITING_PAYMENT and from_state != Stage.AWAITING_PAYMENT:
        kind = "file.payment_requested"
    if kind == "file.expired":
        return applicant_notify(app, kind, unpaid=from_state == Stage.AWAITING_PAYMENT)
    if kind:
        return applicant_notify(app, kind)
    return None
