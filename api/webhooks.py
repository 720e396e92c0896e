"""Webhooks (issue 21.4): a partner subscribes an address to events on the files it may
read; each event is a delivery row written in the transaction of the act it reports (an
outbox: nothing is lost while the partner, the broker or Redis is down), delivered after
commit or by the minute's sweep, signed as Standard Webhooks specifies (``webhook-id``,
``webhook-timestamp``, ``webhook-signature``: HMAC-SHA256 with the subscription's secret,
by the ``standardwebhooks`` library).

A delivery that fails is tried again after growing waits for about a day (``SCHEDULE``),
then parked as ``dead`` until an administrator replays it. Every attempt is kept and the
partner reads them through the API.

Sending never holds a database lock: a sweep claims due rows (``SKIP LOCKED``, so two
workers never take the same one) by moving their next attempt a lease ahead, commits, then
posts; a worker that dies mid-way leaves the row to be claimed again when the lease ends.
The receiver may therefore see a delivery twice: it is told so by the same ``webhook-id``.
"""

from __future__ import annotations

import base64
import datetime
import ipaddress
import json
import logging
import secrets
import socket
import time
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from standardwebhooks.webhooks import Webhook

from api.links import file_links
from api.models import (
    DeliveryStatus,
    Partner,
    PartnerFile,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from core.moments import moment_iso
from core.queue import enqueue

logger = logging.getLogger(__name__)

# The waits after each failed attempt (Standard Webhooks' suggested schedule): the eighth
# failure, about 27 hours after the event, parks the delivery.
SCHEDULE = [
    datetime.timedelta(seconds=5),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=5),
    datetime.timedelta(hours=10),
    datetime.timedelta(hours=10),
]
MAX_ATTEMPTS = len(SCHEDULE) + 1
LEASE = datetime.timedelta(minutes=2)  # a claimed row's next attempt, should its worker die
TIMEOUT = 10  # seconds to connect and to read an answer


class WebhookRefused(ValueError):
    """An address or a list of events a subscription cannot have; the message says why."""


# --- addresses ----------------------------------------------------------------------------


def _private(host: str) -> bool:
    """Whether ``host`` resolves to an address inside the office's own network (loopback,
    private, link-local…): a webhook must not become a way into it."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return True  # unresolvable: nothing to send to
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            return True
    return False


def url_check(url: str) -> None:
    """An address we may post to: HTTPS to a public host (``WEBHOOK_ALLOW_PRIVATE`` lets a
    demo or a test post to plain HTTP on its own machine)."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise WebhookRefused(_("Alamat webhook tidak boleh memuat nama pengguna atau sandi."))
    if settings.WEBHOOK_ALLOW_PRIVATE:
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise WebhookRefused(_("Alamat webhook harus alamat HTTPS yang lengkap."))
        return
    if parts.scheme != "https" or not parts.hostname:
        raise WebhookRefused(_("Alamat webhook harus alamat HTTPS yang lengkap."))
    if _private(parts.hostname):
        raise WebhookRefused(_("Alamat webhook harus dapat dijangkau dari internet."))


# --- subscriptions ------------------------------------------------------------------------


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


@transaction.atomic
def webhook_subscribe(*, partner: Partner, url: str, events: list[str]) -> WebhookSubscription:
    """A new subscription; its secret is read from it once, by the caller, and never shown
    again."""
    unknown = sorted(set(events) - set(WebhookEvent.values))
    if unknown:
        raise WebhookRefused(
            _("Peristiwa tidak dikenal: %(events)s.") % {"events": ", ".join(unknown)}
        )
    if not events:
        raise WebhookRefused(_("Pilih sedikitnya satu peristiwa."))
    url_check(url)
    subscription = WebhookSubscription(
        partner=partner, url=url, events=sorted(set(events)), secret=new_secret()
    )
    subscription._history_user = partner.account
    subscription.save()
    return subscription


@transaction.atomic
def webhook_unsubscribe(*, subscription: WebhookSubscription, by) -> WebhookSubscription:
    """No further events; deliveries already made stay on record, pending ones still go."""
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.active:
        subscription.active, subscription.deactivated_at = False, timezone.now()
        subscription._history_user = by
        subscription.save(update_fields=["active", "deactivated_at"])
    return subscription


# --- events -------------------------------------------------------------------------------


def _file_data(app) -> dict:
    links = file_links(app)
    return {
        "id": str(app.public_id),
        "registration_number": app.registration_number or None,
        "permit_type": app.permit_type.code,
        "stage": app.state,
        "links": {"file": links["self"], "status": links["status"]},
    }


def webhook_emit(*, event: str, application, at: datetime.datetime, data: dict | None = None):
    """A delivery for every active subscription to ``event`` whose partner may read the
    file (it filed it, or reads every file), in the caller's transaction; the kick to
    deliver goes after commit. One query when nobody listens."""
    filed_by = PartnerFile.objects.filter(application_id=application.pk).values("partner_id")
    subscriptions = [
        subscription
        for subscription in WebhookSubscription.objects.filter(
            Q(partner__reads_all_files=True) | Q(partner_id__in=filed_by),
            active=True,
            partner__active=True,
        ).only("pk", "events")
        if event in subscription.events
    ]
    if not subscriptions:
        return []
    payload = {
        "type": event,
        "timestamp": moment_iso(at),
        "data": {**_file_data(application), **(data or {})},
    }
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(subscription=s, event=event, payload=payload, next_attempt_at=at)
        for s in subscriptions
    )
    transaction.on_commit(delivery_kick)
    return deliveries


def delivery_kick() -> None:
    """Ask a worker to deliver now; with the broker down, the sweep delivers later."""
    from api.tasks import deliver_webhooks

    if not enqueue(deliver_webhooks):
        logger.warning("Webhooks: broker unreachable; the sweep will deliver.")


# --- delivering ---------------------------------------------------------------------------


def _claim(now: datetime.datetime, limit: int) -> list[int]:
    """Due deliveries no other worker holds, leased to this one."""
    with transaction.atomic():
        due = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        WebhookDelivery.objects.filter(pk__in=due).update(next_attempt_at=now + LEASE)
    return due


def signed_request(delivery: WebhookDelivery, at: datetime.datetime) -> tuple[bytes, dict]:
    """The body and the Standard Webhooks headers for one attempt."""
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    signature = Webhook(delivery.subscription.secret).sign(delivery.message_id, at, body)
    return body, {
        "Content-Type": "application/json",
        "User-Agent": "Terang-Webhooks/1",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
    }


def _post(delivery: WebhookDelivery, at: datetime.datetime) -> tuple[int | None, str]:
    """Post once: the partner's status code, or why there is none."""
    try:
        url_check(delivery.subscription.url)  # again: a name may point elsewhere by now
        body, headers = signed_request(delivery, at)
        answer = requests.post(
            delivery.subscription.url,
            data=body,
            headers=headers,
            timeout=TIMEOUT,
            allow_redirects=False,
        )
    except WebhookRefused as exc:
        return None, str(exc)[:300]
    except requests.RequestException as exc:
        return None, f"{type(exc).__name__}"[:300]
    return (
        answer.status_code,
        "" if 200 <= answer.status_code < 300 else f"HTTP {answer.status_code}",
    )


def _attempt(pk: int) -> bool:
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=pk)
    if delivery.status != DeliveryStatus.PENDING:
        return False
    started, clock = timezone.now(), time.monotonic()
    status_code, error = _post(delivery, started)
    WebhookAttempt.objects.create(
        delivery=delivery,
        at=started,
        status_code=status_code,
        error=error,
        duration_ms=int((time.monotonic() - clock) * 1000),
    )
    delivery.attempts += 1
    if not error:
        delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, timezone.now()
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.DEAD
        logger.error("Webhooks: delivery %s parked after %s attempts", pk, delivery.attempts)
    else:
        delivery.next_attempt_at = started + SCHEDULE[delivery.attempts - 1]
    delivery.save(update_fields=["attempts", "status", "delivered_at", "next_attempt_at"])
    return not error


def webhooks_deliver(*, now=None, limit: int = 50) -> int:
    """Deliver the due deliveries; how many arrived."""
    now = now or timezone.now()
    return sum(_attempt(pk) for pk in _claim(now, limit))


@transaction.atomic
def delivery_replay(delivery: WebhookDelivery, *, by) -> WebhookDelivery:
    """An administrator sends a parked delivery again: a fresh day of attempts."""
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status == DeliveryStatus.DEAD:
        delivery.status, delivery.attempts = DeliveryStatus.PENDING, 0
        delivery.next_attempt_at = delivery.replayed_at = timezone.now()
        delivery.replayed_by = by
        delivery.save(
            update_fields=["status", "attempts", "next_attempt_at", "replayed_by", "replayed_at"]
        )
        transaction.on_commit(delivery_kick)
    return delivery
