"""The public register of issued permits: one sealed, hash-chained record per day.

A day's digest is the SHA-256 of the canonical JSON of ``{"day", "entries", "previous"}``
(keys sorted, no spaces, UTF-8), where ``previous`` is the digest of the day before. Anyone
who kept one day's digest can later check that no permit was added to, removed from or
back-dated into any day up to it: the entries are public, so they recompute the chain.
``register_verify`` does the same check against the permits table (``manage.py
verify_register``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from issuance.models import GENESIS, Permit, RegisterDay, register_digest


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), tz)
    end = timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min), tz
    )
    return start, end


def day_entries(day: datetime.date) -> list[list[str]]:
    """``[number, type code, issued at]`` for every permit issued on ``day`` (local time)."""
    start, end = _day_bounds(day)
    rows = (
        Permit.objects.filter(issued_at__gte=start, issued_at__lt=end)
        .order_by("issued_at", "id")
        .values_list("number", "permit_type__code", "issued_at")
    )
    return [
        [number, code, timezone.localtime(at).isoformat(timespec="seconds")]
        for number, code, at in rows
    ]


def last_sealable_day(now=None) -> datetime.date:
    """Yesterday, once the grace period after midnight has passed."""
    now = now or timezone.now()
    grace = datetime.timedelta(minutes=settings.REGISTER_SEAL_GRACE_MINUTES)
    return timezone.localtime(now - grace).date() - datetime.timedelta(days=1)


def register_seal(now=None) -> list[RegisterDay]:
    """Seal every finished day after the last sealed one (from the first permit's day).

    Empty days are sealed too, so the chain has no holes. Safe to run twice at once: a day
    is unique, the loser stops.
    """
    last = RegisterDay.objects.order_by("-day").first()
    if last is not None:
        day, previous = last.day + datetime.timedelta(days=1), last.digest
    else:
        first = Permit.objects.order_by("issued_at").values_list("issued_at", flat=True).first()
        if first is None:
            return []
        day, previous = timezone.localtime(first).date(), GENESIS
    sealed = []
    end = last_sealable_day(now)
    while day <= end:
        entries = day_entries(day)
        try:
            with transaction.atomic():
                record = RegisterDay.objects.create(
                    day=day,
                    entries=entries,
                    count=len(entries),
                    previous_digest=previous,
                    digest=register_digest(day, entries, previous),
                )
        except IntegrityError:
            break
        sealed.append(record)
        day, previous = day + datetime.timedelta(days=1), record.digest
    return sealed


def register_verify(*, check_permits: bool = True) -> list[str]:
    """Walk the chain; return what does not hold (empty: the register is intact).

    Checks that days follow each other, each links to the previous digest, each digest
    matches its entries, and (``check_permits``) each day's entries are exactly the permits
    the database now says were issued that day.
    """
    problems: list[str] = []
    previous, expected_day = GENESIS, None
    days = RegisterDay.objects.order_by("day").iterator()
    first_day = None
    for record in days:
        first_day = first_day or record.day
        label = record.day.isoformat()
        if expected_day is not None and record.day != expected_day:
            problems.append(
                _("Rantai terputus: setelah %(prev)s langsung %(day)s.")
                % {"prev": (expected_day - datetime.timedelta(days=1)).isoformat(), "day": label}
            )
        if record.previous_digest != previous:
            problems.append(_("%(day)s tidak merujuk sidik hari sebelumnya.") % {"day": label})
        if register_digest(record.day, record.entries, record.previous_digest) != record.digest:
            problems.append(_("%(day)s: sidik tidak cocok dengan isinya.") % {"day": label})
        if check_permits:
            now = day_entries(record.day)
            if now != record.entries:
                sealed_numbers = {entry[0] for entry in record.entries}
                now_numbers = {entry[0] for entry in now}
                added = sorted(now_numbers - sealed_numbers)
                missing = sorted(sealed_numbers - now_numbers)
                detail = []
                if added:
                    detail.append(_("ditambahkan kemudian: %s") % ", ".join(added))
                if missing:
                    detail.append(_("hilang: %s") % ", ".join(missing))
                if not detail:
                    detail.append(_("isi atau urutan berubah"))
                problems.append(
                    _("%(day)s: izin di basis data berbeda dari yang disegel (%(detail)s).")
                    % {"day": label, "detail": "; ".join(detail)}
                )
        previous, expected_day = record.digest, record.day + datetime.timedelta(days=1)
    if check_permits and first_day is not None:
        start, _end = _day_bounds(first_day)
        earlier = list(
            Permit.objects.filter(issued_at__lt=start).values_list("number", flat=True)[:20]
        )
        if earlier:
            problems.append(_("Izin bertanggal sebelum register dimulai: %s") % ", ".join(earlier))
    return problems
