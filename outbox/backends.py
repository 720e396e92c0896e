"""Delivery of one message over its channel. Raising means "not delivered, try later".

Phone messages (SMS and WhatsApp) go through one small gateway interface: a class with
``send(channel, number, text)``, chosen by ``OUTBOX_PHONE_BACKEND``. The default writes to
the log; a deployment plugs in its provider's HTTP API behind the same method.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from outbox.models import Channel, Message

logger = logging.getLogger(__name__)


class ConsolePhoneBackend:
    """The embedded default: SMS and WhatsApp messages are written to the log."""

    def send(self, channel: str, number: str, text: str) -> None:
        logger.info("%s to %s:\n%s", channel.upper(), number, text)


class LocmemPhoneBackend:
    """Keeps phone messages in memory (``LocmemPhoneBackend.sent``), for tests."""

    sent: list[tuple[str, str, str]] = []

    def send(self, channel: str, number: str, text: str) -> None:
        self.sent.append((channel, number, text))


def message_send(message: Message) -> None:
    if message.channel == Channel.EMAIL:
        EmailMessage(message.subject, message.body, to=[message.address]).send()
    elif message.channel in {Channel.SMS, Channel.WHATSAPP}:
        gateway = import_string(settings.OUTBOX_PHONE_BACKEND)()
        gateway.send(message.channel, message.address, f"{message.subject}\n{message.body}")
