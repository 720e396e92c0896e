"""Hourly anchors: both chains' heads, recorded each hour and sent outside the database.

``anchor_record`` (the hourly ``trail.record_chain_anchor`` task) writes a ``ChainAnchor``
with the event chain's head and the seal chain's head, chained to the anchor before, and in
the same transaction hands it to its listeners (``anchor_listener_register``): the
inspectorate's mail queues it by e-mail (``integrity.inspection.services.anchor_mail``, through
the outbox: nothing is lost while the broker is down); the public register shows every anchor
(``issuance`` register page and ``daftar-izin/jangkar.json``). A rewrite of a chain up
to a link older than the last anchor then no longer matches an anchor held elsewhere, and
``verify_audit_trail`` checks each anchor against the chains and the anchors' own links.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from trail.chain import HEAD, _instant
from trail.models import GENESIS, ChainAnchor, ChainHead, SealHead


def anchor_content(anchor) -> dict:
    """What the hash of ``anchor`` covers."""
    return {
        "at": _instant(anchor.at),
        "last_seq": int(anchor.last_seq),
        "head_hash": str(anchor.head_hash),
        "seal_seq": int(anchor.seal_seq),
        "seal_hash": str(anchor.seal_hash),
        "prev": str(anchor.prev_hash),
    }


def anchor_hash(anchor) -> str:
    """The SHA-256 hex of ``anchor``'s canonical content."""
    canonical = json.dumps(
        anchor_content(anchor), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


# Who hears of each anchor as it is recorded (registered in an app's ``ready()``: the
# inspectorate's mail, ``integrity.inspection.services.anchor_mail``). Called inside the
# anchor's transaction, so what a listener queues (an outbox message) lands with the anchor
# or not at all.
_listeners: list[Callable[[ChainAnchor], None]] = []


def anchor_listener_register(listener: Callable[[ChainAnchor], None]) -> None:
    """Have ``listener`` called with each anchor recorded (once per listener)."""
    if listener not in _listeners:
        _listeners.append(listener)


def anchor_hour(now=None) -> datetime.datetime:
    """The hour (UTC, on the hour) an anchor recorded at ``now`` stands for."""
    now = (now or timezone.now()).astimezone(datetime.UTC)
    return now.replace(minute=0, second=0, microsecond=0)


def anchor_record(now=None) -> ChainAnchor:
    """Record both chains' heads for the current hour, chained to the last anchor, and mail
    it; idempotent: an hour is recorded (and mailed) once.

    The event head's row lock is taken first, as every chained write does last: the heads
    read are those of committed transactions, consistent with each other, and two anchors
    are never recorded at once.
    """
    at = anchor_hour(now)
    recorded = ChainAnchor.objects.filter(at=at).first()
    if recorded is not None:
        return recorded
    try:
        with transaction.atomic():
            if not ChainHead.objects.filter(pk=HEAD).update(seq=F("seq")):
                ChainHead.objects.get_or_create(pk=HEAD)
            head = ChainHead.objects.get(pk=HEAD)
            seals = SealHead.objects.filter(pk=1).values_list("seq", "hash").first()
            seal_seq, seal_hash = seals or (0, GENESIS)
            last = ChainAnchor.objects.order_by("-at").values_list("hash", flat=True).first()
            anchor = ChainAnchor(
                at=at,
                last_seq=head.seq,
                head_hash=head.hash,
                seal_seq=seal_seq,
                seal_hash=seal_hash,
                prev_hash=last or GENESIS,
            )
            anchor.hash = anchor_hash(anchor)
            anchor.save()
            for listener in _listeners:
                listener(anchor)
            return anchor
    except IntegrityError:
        return ChainAnchor.objects.get(at=at)
