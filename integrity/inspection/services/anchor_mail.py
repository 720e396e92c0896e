"""The audit trail's hourly anchors, mailed to the inspectorate as they are recorded.

Registered with ``trail.anchors.anchor_listener_register`` in ``IntegrityConfig.ready``:
the trail records its anchors without knowing who receives them; the inspectorate (this
app) is who does. Queued through the outbox inside the anchor's transaction.
"""

from __future__ import annotations

import datetime

from django.conf import settings

from accounts.models import Role, User
from outbox.models import Channel
from outbox.services import Contact, message_queue

ANCHOR_KIND = "trail.anchor"  # the outbox template: outbox/templates/outbox/trail.anchor.txt


def anchor_recipients() -> list[tuple[str, str]]:
    """(address, language) of whom each anchor is mailed to: ``AUDIT_ANCHOR_EMAIL`` (comma
    separated), else every active auditor with an e-mail address."""
    configured = [a.strip() for a in settings.AUDIT_ANCHOR_EMAIL.split(",") if a.strip()]
    if configured:
        return [(address, settings.LANGUAGE_CODE) for address in configured]
    auditors = User.objects.filter(is_active=True, role=Role.AUDITOR).exclude(email="")
    return [
        (email, language or settings.LANGUAGE_CODE)
        for email, language in auditors.order_by("pk").values_list("email", "language")
    ]


def anchor_mail(anchor) -> None:
    """Queue ``anchor`` to every recipient."""
    for address, language in anchor_recipients():
        message_queue(
            kind=ANCHOR_KIND,
            context={
                "anchor": anchor,
                "at": anchor.at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
                "site_url": settings.SITE_URL,
            },
            contact=Contact(Channel.EMAIL, address, language),
        )
