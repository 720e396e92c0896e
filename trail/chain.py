"""The hash chain over the file event log.

Each event has a ``seq`` (1, 2, 3, … with no gap, in commit order), the ``prev_hash`` of
the event before it (``GENESIS`` for the first) and its own ``hash``: the SHA-256 hex of the
canonical JSON (keys sorted, no spaces, UTF-8) of::

    {seq, application, action, actor, actor_role, created_at, from_state, to_state,
     note, data, ip_address, user_agent, prev}

``application`` and ``actor`` are ids (``actor`` null for the system), ``created_at`` is UTC
ISO-8601 with microseconds, ``prev`` is ``prev_hash``. Values are normalised the way the
database gives them back (JSON numbers, IP addresses, time zones), so an event re-read from
SQLite or PostgreSQL hashes to what was stored when it was written.

The row id is not hashed (it is unknown before the insert); order is ``seq``.

The other records the audit relies on are bound by seals in a second chain under the same
head lock (``trail.seals``); both heads are anchored hourly outside the database
(``trail.anchors``).
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import ipaddress
import json
import math

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from trail.models import GENESIS, ChainHead

__all__ = [
    "GENESIS",
    "chain_append",
    "chain_bulk_fill",
    "chained_events",
    "chained_events_register",
    "event_content",
    "event_hash",
]

HEAD = 1  # the primary key of the one ChainHead row

# The model whose rows form the event chain (``seq``, ``prev_hash``, ``hash``): the file
# events, registered by ``permits`` in its ``ready()``. The trail sits below the apps and
# learns of their models only this way.
_chained: dict[str, type] = {}


def chained_events_register(model: type) -> None:
    """Make ``model`` the event chain's (the verifier and the daily heads read it)."""
    _chained["events"] = model


def chained_events() -> type:
    """The event chain's model; ImproperlyConfigured until an app registered it."""
    model = _chained.get("events")
    if model is None:
        raise ImproperlyConfigured(
            "No model registered for the event chain: permits' ready() registers its events."
        )
    return model


def _instant(value: datetime.datetime) -> str:
    # A naive time is stored as the default time zone's (Django warns): hash it as stored.
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def _address(value) -> str | None:
    # Django stores "" as NULL; PostgreSQL's inet may print an address differently from
    # how it was written (IPv6 zeros, mapped IPv4): hash Python's one spelling of it.
    if not value:
        return None
    try:
        return ipaddress.ip_address(str(value).strip()).compressed
    except ValueError:  # SQLite keeps what PostgreSQL would have refused
        return str(value)


def _number(value):
    # PostgreSQL's jsonb keeps numbers as decimals: 1e16 comes back as 10000000000000000,
    # 1.0 as 1.0, 1.5e-07 as 0.00000015. A float whose decimal value is whole is hashed as
    # that integer, any other float as itself: the same on both sides of the round trip.
    if isinstance(value, int) or not math.isfinite(value):
        return value
    exact = decimal.Decimal(repr(value))
    return int(exact) if exact == exact.to_integral_value() else value


def _plain(value):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return {key: _plain(item) for key, item in value.items()}


def _json(value):
    # Through JSON first, as the JSONField stores it: tuples become lists, keys strings.
    return _plain(json.loads(json.dumps(value)))


def event_content(event) -> dict:
    """What the hash of ``event`` covers, normalised as the database gives it back."""
    return {
        "seq": int(event.seq),
        "application": event.application_id,
        "action": str(event.action),
        "actor": event.actor_id,
        "actor_role": str(event.actor_role),
        "created_at": _instant(event.created_at),
        "from_state": str(event.from_state),
        "to_state": str(event.to_state),
        "note": str(event.note),
        "data": _json(event.data),
        "ip_address": _address(event.ip_address),
        "user_agent": str(event.user_agent),
        "prev": str(event.prev_hash),
    }


def event_hash(event) -> str:
    """The SHA-256 hex of ``event``'s canonical content (its ``seq`` and ``prev_hash`` set)."""
    canonical = json.dumps(
        event_content(event), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _head_advance() -> tuple[int, str] | None:
    """Move the head row's seq on by one and read it back, in one statement (``UPDATE …
    RETURNING``: PostgreSQL, SQLite 3.35+). The UPDATE takes the row's lock on PostgreSQL and
    the write lock on SQLite, both held until the transaction ends. None: no head row yet."""
    qn = connection.ops.quote_name
    meta = ChainHead._meta
    table, key = qn(meta.db_table), qn(meta.pk.column)
    seq, digest = (qn(meta.get_field(name).column) for name in ("seq", "hash"))
    with connection.cursor() as cursor:
        # The identifiers are the model's, quoted; the values are parameters.
        cursor.execute(
            f"UPDATE {table} SET {seq} = {seq} + 1 WHERE {key} = %s RETURNING {seq}, {digest}",  # noqa: S608
            [HEAD],
        )
        row = cursor.fetchone()
    return (int(row[0]), row[1]) if row else None


def _head_locked() -> tuple[int, str]:
    """Take the next seq: the head row's lock and the advanced seq with the hash before it,
    in one statement (``_head_advance``); the first append of an empty chain creates the
    row. Two at once: get_or_create's loser waits on the winner's insert, then reads its
    row."""
    head = _head_advance()
    if head is None:
        ChainHead.objects.get_or_create(pk=HEAD)
        head = _head_advance()
    connection.trail_head_held = True
    return head


def head_held() -> bool:
    """Whether the transaction under way holds the event head's lock (it appended an event):
    the seal chain, which takes that lock first, need not take it again."""
    return getattr(connection, "trail_head_held", False)


def head_held_forget(conn) -> None:
    """The lock may be gone: the transaction ended, or rolled back (to a savepoint too).
    Called by ``trail.seals`` as atomic blocks end."""
    conn.trail_head_held = False


def _file_key_shared(event) -> None:
    """On PostgreSQL, take the FOR KEY SHARE lock on the event's file row now.

    The foreign-key check of the insert takes it anyway, but only at commit (Django's
    constraints are deferred): after the head lock. A writer holding the head would then
    wait at commit for a transition holding the file's row lock, which waits for the head:
    a deadlock. Taken before the head, the file's lock always comes first. It conflicts only
    with SELECT … FOR UPDATE (a service acting on the file), not with plain updates.
    """
    if connection.vendor != "postgresql":
        return  # SQLite: one write lock for the whole database, taken at BEGIN
    files = event._meta.get_field("application").related_model._meta
    table, key = (connection.ops.quote_name(name) for name in (files.db_table, files.pk.column))
    with connection.cursor() as cursor:
        # The Django ORM has no FOR KEY SHARE; the identifiers are the model's, quoted.
        sql = f"SELECT 1 FROM {table} WHERE {key} = %s FOR KEY SHARE"  # noqa: S608
        cursor.execute(sql, [event.application_id])


def chain_append(event):
    """Link the unsaved ``event`` to the chain's head and save it (the only way an event is
    saved one by one; ``permits.services.events.event_record`` calls it).

    Appends are serialised on the head row: its lock is taken here and held until the
    caller's transaction commits, so seq follows commit order with no gap (a rollback gives
    its seq back). Lock order: services lock the file's row first (SELECT … FOR UPDATE),
    then write its event; the event takes the file's key-share lock (``_file_key_shared``)
    and then the head lock, which is the last lock a transaction takes: every transaction
    that writes an event waits here for the one before to commit. So, after writing an
    event, a transaction must not lock a row (a file included) that another transaction
    locks before writing its own event: the two would deadlock and PostgreSQL would abort
    one. Slow work belongs before the first event, or after commit.
    """
    with transaction.atomic(savepoint=False):
        _file_key_shared(event)
        event.seq, event.prev_hash = _head_locked()
        event.hash = event_hash(event)
        event.save()
        ChainHead.objects.filter(pk=HEAD).update(hash=event.hash)
    return event


def chain_bulk_fill(events) -> list:
    """Give unsaved ``events``, in the order given, their seq, prev_hash and hash, and move
    the head past them: for seeders that ``bulk_create`` them next, in the same transaction
    (which holds the head lock until it commits)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("chain_bulk_fill() must run inside transaction.atomic()")
    events = list(events)
    if not events:
        return events
    seq, prev = _head_locked()
    for event in events:
        event.seq, event.prev_hash = seq, prev
        event.hash = prev = event_hash(event)
        seq += 1
    ChainHead.objects.filter(pk=HEAD).update(seq=seq - 1, hash=prev)
    return events
