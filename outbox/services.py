"""Queue messages in the outbox and deliver them.

``message_queue`` is called inside the transaction of the change it reports; delivery is
kicked after commit and, should the broker be unreachable, done by the periodic sweep.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from kombu.exceptions import OperationalError as BrokerError

from outbox.backends import message_send
from outbox.models import Channel, Message, MessageStatus

logger = logging.getLogger(__name__)


def contact_for(user) -> tuple[str, str]:
    """The channel and address to reach someone: e-mail first, then SMS, else in Terang."""
    if user.email:
        return Channel.EMAIL, user.email
    if user.phone:
        return Channel.SMS, user.phone
    return Channel.IN_APP, ""


def message_render(kind: str, context: dict) -> tuple[str, str]:
    """Render ``outbox/<kind>.txt``: its first line is the subject, the rest the body."""
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"outbox/{kind}.txt", context).strip()
    subject, _, body = text.partition("\n")
    return subject.strip(), body.strip()


def message_queue(*, recipient, kind: str, context: dict, application=None) -> Message:
    """Write a message for ``recipient`` to the outbox; it is delivered after commit."""
    channel, address = contact_for(recipient)
    subject, body = message_render(kind, {"recipient": recipient, **context})
    now = timezone.now()
    in_app = channel == Channel.IN_APP
    message = Message.objects.create(
        recipient=recipient,
        channel=channel,
        address=address,
        kind=kind,
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

    try:
        deliver_messages.apply_async(retry=False)
    except (BrokerError, OSError) as exc:
        logger.warning("Outbox: broker unreachable (%s); the sweep will deliver.", exc)


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
                delivered += 1
            message.save(
                update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at"]
            )
    return delivered


def message_retry(message: Message) -> None:
    """An administrator sends a failed message again."""
    message.status, message.next_attempt_at = MessageStatus.PENDING, timezone.now()
    message.attempts = 0
    message.save(update_fields=["status", "next_attempt_at", "attempts"])
    transaction.on_commit(delivery_kick)


def inbox_for(user):
    return Message.objects.filter(recipient=user).select_related("application")


def unread_count(user) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox_mark_read(user, messages) -> None:
    ids = [m.pk for m in messages if m.read_at is None]
    if ids:
        Message.objects.filter(recipient=user, pk__in=ids).update(read_at=timezone.now())
