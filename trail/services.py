"""Writes of the audit trail besides the chain itself: each day's closing head."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from trail.chain import chained_events
from trail.models import GENESIS, ChainDay


def _day_end(day: datetime.date) -> datetime.datetime:
    midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(midnight, timezone.get_current_timezone())


def chain_day_record(day: datetime.date | None = None) -> ChainDay:
    """Record the chain's head at the end of ``day`` (default: yesterday, local time): the
    newest event created before the next local midnight, or seq 0 and GENESIS before any.

    Idempotent: a day is recorded once; a later call for it returns the record unchanged
    (two at once: the day is unique, the loser reads the winner's).
    """
    day = day or timezone.localdate() - datetime.timedelta(days=1)
    recorded = ChainDay.objects.filter(day=day).first()
    if recorded is not None:
        return recorded
    events = chained_events().objects
    # Newest first along seq's index: only the events since midnight are skipped.
    last = (
        events.filter(created_at__lt=_day_end(day))
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    last_seq, head_hash = last or (0, GENESIS)
    try:
        with transaction.atomic():
            return ChainDay.objects.create(day=day, last_seq=last_seq, head_hash=head_hash)
    except IntegrityError:
        return ChainDay.objects.get(day=day)
