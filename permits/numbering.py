"""Gapless, concurrency-safe numbers: registration numbers and permit numbers."""

import re

from django.db import transaction
from django.utils import timezone

from permits.models import NumberSequence


def next_value(key: str) -> int:
    """The next value of sequence ``key``; must run inside the caller's transaction.

    The row lock (SELECT ... FOR UPDATE on PostgreSQL; SQLite's write lock) is held until
    the caller commits, so a concurrent caller waits and a rolled-back caller gives its
    number back: no duplicates, no gaps.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_value() must run inside transaction.atomic()")
    NumberSequence.objects.get_or_create(key=key)
    sequence = NumberSequence.objects.select_for_update().get(key=key)
    sequence.value += 1
    sequence.save(update_fields=["value"])
    return sequence.value


# What ``registration_number_next`` makes: a search typed this way is that number only.
REGISTRATION_NUMBER = re.compile(r"^MPP-\d{4}-\d{6,}$")


def registration_number_next(at=None) -> str:
    """``MPP-2026-000123``: the human number of a submitted file, gapless per year."""
    year = timezone.localtime(at or timezone.now()).year
    return f"MPP-{year}-{next_value(f'registration:{year}'):06d}"


def permit_number_next(permit_type, at) -> str:
    """The permit's number from its type's pattern, e.g. ``503.1/0007/SIP-DR/DPMPTSP/2026``:
    gapless per type and year, allocated inside the signing transaction. Patterns are unique
    per type (a constraint on ``PermitType``), so two types never print the same number.
    """
    year = timezone.localtime(at).year
    seq = next_value(f"permit:{permit_type.code}:{year}")
    return permit_type.number_pattern.format(seq=seq, opd=permit_type.opd.code, year=year)
