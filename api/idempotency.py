"""``Idempotency-Key`` for the operations that create (issue 21.3), after the IETF draft
"The Idempotency-Key HTTP Header Field": the first request with a key is carried out and
its answer kept with what it made, in the same transaction; a retry with the same key and
the same body gets that answer again (``Idempotent-Replayed: true``), with another body a
422. Two requests with one key at once: the unique key lets one commit, the other rolls
back whole and answers as a retry.

Only a success is kept: a request refused for its input made nothing, and its retry, fixed,
is carried out.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response

from api.models import IdempotentRequest, Partner

HEADER = "Idempotency-Key"
MAX_KEY = 255


class KeyReused(APIException):
    status_code = 422
    default_code = "idempotency-key-reused"


def idempotency_key(request) -> str:
    key = request.headers.get(HEADER, "")
    if not key.strip():
        raise ValidationError(
            {HEADER: [_("Sertakan header Idempotency-Key: satu nilai unik per berkas baru.")]}
        )
    if len(key) > MAX_KEY or not key.isprintable():
        raise ValidationError(
            {HEADER: [_("Idempotency-Key paling panjang 255 karakter yang dapat dicetak.")]}
        )
    return key


def fingerprint(data) -> str:
    body = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(body.encode()).hexdigest()


def _replay(kept: IdempotentRequest, print_: str) -> Response:
    if kept.fingerprint != print_:
        raise KeyReused(
            _(
                "Idempotency-Key ini sudah dipakai untuk permintaan lain. Pakai kunci baru untuk "
                "berkas baru."
            )
        )
    response = Response(kept.body, status=kept.status)
    if kept.location:
        response["Location"] = kept.location
    response["Idempotent-Replayed"] = "true"
    return response


def once(
    request, *, partner: Partner, operation: str, act: Callable[[], tuple[int, dict, str]]
) -> Response:
    """Carry out ``act`` (returning status, body and location) once per partner and key."""
    key = idempotency_key(request)
    print_ = fingerprint(request.data)
    kept = IdempotentRequest.objects.filter(partner=partner, key=key).first()
    if kept is not None:
        return _replay(kept, print_)
    try:
        with transaction.atomic():
            status, body, location = act()
            IdempotentRequest.objects.create(
                partner=partner,
                key=key,
                operation=operation,
                fingerprint=print_,
                status=status,
                body=body,
                location=location,
            )
    except IntegrityError:
        kept = IdempotentRequest.objects.filter(partner=partner, key=key).first()
        if kept is None:
            raise
        return _replay(kept, print_)
    response = Response(body, status=status)
    if location:
        response["Location"] = location
    return response


KEPT_DAYS = 30  # a retry comes within hours; a month covers a partner's longest outage


def idempotency_keys_expire(*, now=None) -> int:
    """Forget the keys older than ``KEPT_DAYS`` (their files stay, of course): a request
    with such a key is new again. How many were forgotten."""
    limit = (now or timezone.now()) - datetime.timedelta(days=KEPT_DAYS)
    deleted, _by_model = IdempotentRequest.objects.filter(created_at__lt=limit).delete()
    return deleted
