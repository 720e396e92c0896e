"""Queue messages in the outbox and deliver them.

``message_queue`` is called inside the transaction of the change it reports; delivery is
kicked after commit and, should the broker be unreachable, done by the periodic sweep.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.queue import enqueue
from outbox.backends import message_send
from outbox.models import PRIVATE_KINDS, Channel, Message, MessageStatus

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Contact:
    """Where and how to reach someone, with or without an account."""

    channel: str
    address: str
    language: str = "id"
    user: object | None = None


def contact_for(user) -> Contact:
    """The person's chosen channel if they can be reached on it; otherwise e-mail first,
    then SMS, else only inside Terang."""
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    chosen = getattr(user, "contact_channel", "")
    if chosen == Channel.EMAIL and user.email:
        return Contact(Channel.EMAIL, user.email, language, user)
    if chosen in {Channel.SMS, Channel.WHATSAPP} and user.phone:
        return Contact(chosen, user.phone, language, user)
    if user.email:
        return Contact(Channel.EMAIL, user.email, language, user)
    if user.phone:
        return Contact(Channel.SMS, user.phone, language, user)
    return Contact(Channel.IN_APP, "", language, user)


def contact_of(*, user=None, email: str = "", phone: str = "") -> Contact | None:
    """Someone with an account (``contact_for``), else the e-mail or phone they left (a
    walk-in applicant, a complainant without an account); None if they left neither."""
    if user is not None:
        return contact_for(user)
    if email:
        return Contact(Channel.EMAIL, email, settings.LANGUAGE_CODE)
    if phone:
        return Contact(Channel.SMS, phone, settings.LANGUAGE_CODE)
    return None


def message_render(kind: str, context: dict, language: str | None = None) -> tuple[str, str]:
    """Render ``outbox/<kind>.txt`` in ``language``: the first line is the subject."""
    with translation.override(language or settings.LANGUAGE_CODE):
        text = render_to_string(f"outbox/{kind}.txt", context).strip()
    subject, _, body = text.partition("\n")
    return subject.strip(), body.strip()


def message_queue(
    *, kind: str, context: dict, recipient=None, contact: Contact | None = None, application=None
) -> Message:
    """Write a message to the outbox, for an account (``recipient``) or a bare ``contact``
    (a walk-in applicant without one); it is delivered after commit."""
    contact = contact or contact_for(recipient)
    subject, body = message_render(kind, {"recipient": contact.user, **context}, contact.language)
    now = timezone.now()
    in_app = contact.channel == Channel.IN_APP
    message = Message.objects.create(
        recipient=contact.user,
        channel=contact.channel,
        address=contact.address,
        kind=kind,
        language=contact.language,
        subject=subject[:200],
        body=body,
        application=application,
        status=MessageStatus.SENT if in_app else MessageStatus.PENDING,
        sent_at=now if in_app else None,
        created_at=now,
        next_attempt_at=now,
    )
    if not in_app:
        transaction.on_commit(delivery_kick)
    return message


def delivery_kick() -> None:
    """Ask a worker to deliver now; with the broker down, the sweep delivers later."""
    from outbox.tasks import deliver_messages

    if not enqueue(deliver_messages):
        logger.warning("Outbox: broker unreachable; the sweep will deliver.")


def retry_delay(attempts: int) -> datetime.timedelta:
    """2, 4, 8 … minutes between attempts, at most six hours."""
    return datetime.timedelta(minutes=min(2**attempts, 360))


def messages_deliver(*, now=None, limit: int = 100) -> int:
    """Deliver due pending messages; each failure is recorded and retried later.

    Rows are locked (skipping those another worker holds), so two workers never send the
    same message.
    """
    now = now or timezone.now()
    delivered = 0
    with transaction.atomic():
        due = (
            Message.objects.select_for_update(skip_locked=True)
            .filter(status=MessageStatus.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")[:limit]
        )
        for message in due:
            message.attempts += 1
            try:
                message_send(message)
            except Exception as exc:
                message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                    message.status = MessageStatus.FAILED
                    logger.error("Outbox: message %s failed for good: %s", message.pk, exc)
                else:
                    message.next_attempt_at = now + retry_delay(message.attempts)
                    logger.warning("Outbox: message %s not delivered yet: %s", message.pk, exc)
            else:
                message.status, message.sent_at, message.last_error = MessageStatus.SENT, now, ""
                if message.kind.startswith(PRIVATE_KINDS):
                    # A one-time code has no business staying readable once it left.
                    message.body = "[kode dihapus setelah terkirim]"
                delivered += 1
            message.save(
                update_fields=[
                    "attempts",
                    "status",
                    "sent_at",
                    "last_error",
                    "next_attempt_at",
                    "body",
                ]
            )
    return delivered


def message_retry(message: Message) -> None:
    """An administrator sends a failed message again."""
    message.status, message.next_attempt_at = MessageStatus.PENDING, timezone.now()
    message.attempts = 0
    message.save(update_fields=["status", "next_attempt_at", "attempts"])
    transaction.on_commit(delivery_kick)


def inbox_mark_read(user, messages) -> None:
    ids = [m.pk for m in messages if m.read_at is None]
    if ids:
        Message.objects.filter(recipient=user, pk__in=ids).update(read_at=timezone.now())
