"""Delivery of one message over its channel. Raising means "not delivered, try later"."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from outbox.models import Channel, Message

logger = logging.getLogger(__name__)


class ConsoleSmsBackend:
    """The embedded default: SMS are written to the log instead of a gateway."""

    def send(self, number: str, text: str) -> None:
        logger.info("SMS to %s:\n%s", number, text)


class LocmemSmsBackend:
    """Keeps SMS in memory (``LocmemSmsBackend.sent``), for tests."""

    sent: list[tuple[str, str]] = []

    def send(self, number: str, text: str) -> None:
        self.sent.append((number, text))


def message_send(message: Message) -> None:
    if message.channel == Channel.EMAIL:
        EmailMessage(message.subject, message.body, to=[message.address]).send()
    elif message.channel == Channel.SMS:
        sms = import_string(settings.OUTBOX_SMS_BACKEND)()
        sms.send(message.address, f"{message.subject}\n{message.body}")
