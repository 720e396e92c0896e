"""The fee (retribusi): a bill when a file enters awaiting_payment, paid at the cashier or by
the bank's signed callback, closed when the file ends unpaid.

Either way of paying ends in ``payment_record``: the bill is locked, marked paid with its
channel and reference, and ``confirm_payment`` fires in the same transaction, so a bill is
never paid without the file moving on, nor the file moved on without a paid bill.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from issuance.models import (
    BankCallback,
    Bill,
    BillStatus,
    CallbackOutcome,
    PaymentChannel,
    billing_code_valid,
)
from permits.models import Application, Stage
from permits.services.applications import transition_fire
from permits.services.context import ActionRefused, Actor
from permits.services.events import held_attempts_recorded


def bill_issue(app: Application, at) -> Bill:
    """Called when the file enters awaiting_payment: the bill falls due when the file would
    expire (``applicant_deadline``, set by the transition)."""
    bill, _created = Bill.objects.get_or_create(
        application=app,
        defaults={
            "amount": app.permit_type.fee,
            "issued_at": at,
            "due_at": app.applicant_deadline,
        },
    )
    return bill


def bill_close(app: Application, status: str, actor: Actor) -> None:
    """The file ended while its bill was unpaid: the bill expires or is cancelled with it."""
    for bill in Bill.objects.filter(application=app, status=BillStatus.UNPAID):
        bill.status = status
        bill._history_user = actor.user
        bill.save(update_fields=["status"])


@held_attempts_recorded
@transaction.atomic
def payment_record(
    *, bill: Bill, actor: Actor, channel: str, reference: str, amount: int, paid_at=None
) -> Bill:
    """Mark ``bill`` paid and move its file on. Refused, with nothing changed, when the bill
    is not unpaid, the amount differs or the reference was already used on this channel."""
    # The file first, then its bill: the order every transition of the file takes.
    Application.objects.select_for_update().filter(pk=bill.application_id).exists()
    bill = (
        Bill.objects.select_for_update(of=("self",)).select_related("application").get(pk=bill.pk)
    )
    if bill.status == BillStatus.PAID:
        raise ActionRefused(_("Tagihan ini sudah lunas."))
    if bill.status != BillStatus.UNPAID:
        raise ActionRefused(
            _("Tagihan ini sudah %(status)s; pembayaran tidak dapat dicatat.")
            % {"status": bill.status_label.lower()}
        )
    if amount != bill.amount:
        raise ActionRefused(
            _("Jumlah yang dibayar (Rp %(paid)s) tidak sama dengan tagihan (Rp %(due)s).")
            % {"paid": f"{amount:,}".replace(",", "."), "due": f"{bill.amount:,}".replace(",", ".")}
        )
    reference = reference.strip()
    if not reference:
        raise ActionRefused(_("Isi nomor bukti pembayaran."))
    if Bill.objects.filter(channel=channel, reference=reference).exists():
        raise ActionRefused(_("Nomor bukti pembayaran ini sudah dipakai untuk tagihan lain."))
    bill.status = BillStatus.PAID
    bill.paid_at = paid_at or timezone.now()
    bill.channel, bill.reference = channel, reference
    bill.confirmed_by = actor.user
    bill._history_user = actor.user
    bill.save()
    bill.application = transition_fire(
        application=bill.application,
        name="confirm_payment",
        actor=actor,
        expected_state=Stage.AWAITING_PAYMENT,
        data={"billing_code": bill.billing_code, "channel": channel, "reference": reference},
    )
    return bill


# --- the bank's callback -------------------------------------------------------------------


CALLBACK_MAX_BYTES = 64 * 1024


def callback_signature(secret: str, timestamp: str, body: bytes) -> str:
    """What the bank sends in ``X-Terang-Signature``: hex HMAC-SHA256 of ``<timestamp>.<body>``."""
    message = timestamp.encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class CallbackResult:
    status: int  # the HTTP status the bank gets
    outcome: str
    reason: str = ""

    def as_json(self) -> dict:
        return {"outcome": self.outcome, "reason": self.reason}


def callback_handle(
    *, body: bytes, timestamp: str, signature: str, ip: str | None, now=None
) -> CallbackResult:
    """Check and apply one bank callback; every call is recorded, accepted or not.

    Refused: a missing or wrong signature (401), a timestamp outside the tolerance (401),
    the very same signed request again (409, a replay), a malformed body or an unknown bill
    (400/404), a wrong amount or a bill no longer payable (409). A bank that retries an
    accepted payment with a fresh signature gets 200 "already_paid" and nothing changes.
    """
    now = now or time.time()
    secret = settings.BANK_CALLBACK_SECRET
    # Kept as readable text whatever was sent (PostgreSQL text holds no NUL byte).
    text = body[:4000].decode("utf-8", "replace").replace("\x00", "\ufffd")
    record = {"body": text, "ip_address": ip}

    def refuse(status: int, reason: str, **extra) -> CallbackResult:
        BankCallback.objects.create(
            outcome=CallbackOutcome.REFUSED, reason=reason, **record, **extra
        )
        return CallbackResult(status, CallbackOutcome.REFUSED, reason)

    if not secret:
        return refuse(503, "callback disabled")
    if len(body) > CALLBACK_MAX_BYTES:
        return refuse(413, "body too large")
    expected = callback_signature(secret, timestamp, body)
    given = signature.strip().lower().encode("utf-8", "replace")
    if not signature or not hmac.compare_digest(expected.encode(), given):
        return refuse(401, "bad signature")
    try:
        stamp = int(timestamp)
    except ValueError:
        return refuse(401, "bad timestamp")
    if abs(now - stamp) > settings.BANK_CALLBACK_TOLERANCE_SECONDS:
        return refuse(401, "stale timestamp", timestamp=stamp)
    record["timestamp"] = stamp
    if BankCallback.objects.filter(signature=expected).exists():
        return refuse(409, "replay")
    try:
        # The payment and its record commit together; the unique signature makes a concurrent
        # replay roll back whole (the bill's row lock already keeps it from paying twice).
        with transaction.atomic():
            result = _callback_apply(body)
            BankCallback.objects.create(
                signature=expected,
                outcome=result.outcome,
                reason=result.reason,
                bill=result.bill,
                **record,
            )
    except IntegrityError:
        return refuse(409, "replay")
    return CallbackResult(result.status, result.outcome, result.reason)


REFERENCE_MAX = Bill._meta.get_field("reference").max_length


def _whole_rupiah(value) -> int:
    """A JSON amount in whole rupiah: an integer, or a string of digits; nothing rounded."""
    if isinstance(value, bool):
        raise TypeError("amount")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    raise ValueError("amount")


@dataclass(frozen=True)
class _Applied:
    status: int
    outcome: str
    reason: str = ""
    bill: Bill | None = None


def _callback_apply(body: bytes) -> _Applied:
    try:
        data = json.loads(body)
        code = str(data["billing_code"])
        amount = _whole_rupiah(data["amount"])
        reference = str(data["reference"]).strip()
        paid_at = parse_datetime(str(data.get("paid_at", ""))) or timezone.now()
    except (ValueError, KeyError, TypeError):
        return _Applied(400, CallbackOutcome.REFUSED, "malformed body")
    if not billing_code_valid(code) or not reference or len(reference) > REFERENCE_MAX:
        return _Applied(400, CallbackOutcome.REFUSED, "malformed body")
    if "\x00" in reference:
        return _Applied(400, CallbackOutcome.REFUSED, "malformed body")
    bill = Bill.objects.filter(billing_code=code).first()
    if bill is None:
        return _Applied(404, CallbackOutcome.REFUSED, "unknown billing code")
    if bill.status == BillStatus.PAID:
        if bill.channel == PaymentChannel.BANK and bill.reference == reference:
            return _Applied(200, CallbackOutcome.ALREADY_PAID, "", bill)
        return _Applied(409, CallbackOutcome.REFUSED, "bill already paid", bill)
    if bill.application.held_since is not None:
        # The money has arrived; the file is on an integrity hold. 503 asks the bank to
        # send it again later (banks retry server errors), when the hold is lifted.
        return _Applied(503, CallbackOutcome.REFUSED, "file on hold; retry later", bill)
    try:
        payment_record(
            bill=bill,
            actor=Actor.system(),
            channel=PaymentChannel.BANK,
            reference=reference,
            amount=amount,
            paid_at=paid_at,
        )
    except ActionRefused as exc:
        return _Applied(409, CallbackOutcome.REFUSED, str(exc.message)[:200], bill)
    return _Applied(200, CallbackOutcome.ACCEPTED, "", bill)
