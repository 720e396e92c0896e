"""Walk the event chain and name the first link that does not hold.

What the walk can tell, and what it cannot: a row edited, deleted, inserted, swapped or
appended behind the application's back breaks a link. Someone who can write the database
could rewrite the whole chain from a row onwards, head included; the day heads recorded in
``ChainDay`` (themselves append-only) and a head an auditor copied elsewhere (``expect``)
catch that, from the first anchor the rewrite passed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction

from trail.chain import GENESIS, HEAD, event_hash
from trail.models import ChainDay, ChainHead

CHUNK = 2000


@dataclass(frozen=True)
class ChainReport:
    """The outcome of a walk: ``ok``, how many events were ``checked``, the newest link
    walked (``head_seq``, ``head_hash``) and, when broken, the first ``problem`` found."""

    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    problem: str = ""


def _label(row) -> str:
    return f"seq {row.seq} (event id {row.pk}, application {row.application_id})"


def _anchors(expect) -> dict[int, list[tuple[str, str]]]:
    """Recorded heads to meet on the way, by seq: each day's close, then the auditor's."""
    anchors = defaultdict(list)
    for day, seq, digest in ChainDay.objects.order_by("day").values_list(
        "day", "last_seq", "head_hash"
    ):
        anchors[seq].append((f"the head recorded for {day.isoformat()}", digest))
    for seq, digest in expect:
        anchors[seq].append(("the expected head", digest.strip().lower()))
    return anchors


def _place_problem(row, expected_seq: int, head_seq: int | None) -> str:
    """Is ``row`` where link ``expected_seq`` should be, and within the head?"""
    if row.seq < expected_seq:
        return f"{_label(row)} is out of sequence: it was inserted behind the application's back"
    if row.seq > expected_seq:
        last = "" if row.seq == expected_seq + 1 else f"..{row.seq - 1}"
        return f"missing seq {expected_seq}{last}: rows were deleted"
    if head_seq is None:
        return "the chain head (trail_chainhead) is missing: it was deleted"
    if row.seq > head_seq:
        return (
            f"{_label(row)} is past the head (seq {head_seq}): "
            "it was appended behind the application's back"
        )
    return ""


def _content_problem(row, prev: str) -> str:
    """Does ``row`` hash to its hash, and link to ``prev``?"""
    if not row.hash or not row.prev_hash:
        return f"{_label(row)} has no hash: it was inserted behind the application's back"
    if event_hash(row) != row.hash:
        return f"BROKEN at {_label(row)}: content does not match its hash — the row was edited"
    if row.prev_hash != prev:
        before = f"seq {row.seq - 1}'s hash" if row.seq > 1 else "the genesis hash"
        return f"{_label(row)}: prev_hash does not match {before}: a row was inserted or replaced"
    return ""


def _anchor_problem(row, anchors) -> str:
    for label, digest in anchors.get(row.seq, []):
        if digest != row.hash:
            return (
                f"{label} is seq {row.seq} with hash {digest}, but the chain has {row.hash} "
                "there: the chain was rewritten up to that point"
            )
    return ""


def _walk(expect, chunk_size: int) -> ChainReport:
    events = apps.get_model("permits", "ApplicationEvent").objects.all()
    head_row = ChainHead.objects.filter(pk=HEAD).values_list("seq", "hash").first()
    head_seq, head_hash = head_row or (0, GENESIS)
    anchors = _anchors(expect)
    seq, prev, checked = 0, GENESIS, 0

    def broken(problem: str) -> ChainReport:
        return ChainReport(False, checked, seq, prev, problem)

    unchained = events.filter(seq__isnull=True).order_by("created_at", "id").first()
    if unchained is not None:
        return broken(
            f"event id {unchained.pk} (application {unchained.application_id}) has no seq: "
            "it was inserted behind the application's back"
        )
    for label, digest in anchors.get(0, []):
        if digest != GENESIS:
            return broken(f"{label} is seq 0 with hash {digest}, not the genesis hash")
    for row in events.order_by("seq").iterator(chunk_size=chunk_size):
        problem = (
            _place_problem(row, seq + 1, head_seq if head_row else None)
            or _content_problem(row, prev)
            or _anchor_problem(row, anchors)
        )
        if problem:
            return broken(problem)
        seq, prev, checked = row.seq, row.hash, checked + 1
    if seq < head_seq:
        return broken(
            f"chain ends at seq {seq} but the head says {head_seq}: the newest rows were deleted"
        )
    if head_hash != prev:
        return broken(
            f"the head's hash does not match seq {seq}'s hash: the newest row was replaced"
        )
    past = sorted(s for s in anchors if s > seq)
    if past:
        label, _digest = anchors[past[0]][0]
        return broken(
            f"{label} is seq {past[0]}, but the chain ends at seq {seq}: "
            "the newest rows were deleted"
        )
    return ChainReport(True, checked, seq, prev)


def chain_verify(*, expect=(), chunk_size: int = CHUNK) -> ChainReport:
    """Recompute every link in seq order (constant memory) and stop at the first that does
    not hold; check the head, each recorded day head and each ``expect`` ``(seq, hash)``.

    On PostgreSQL, outside a transaction, the walk reads one snapshot (repeatable read), so
    events committed meanwhile are neither half seen nor mistaken for forged ones. SQLite
    (the demo) has no such snapshot without blocking writers: verify it while nothing writes.
    """
    if connection.in_atomic_block or connection.vendor != "postgresql":
        return _walk(expect, chunk_size)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return _walk(expect, chunk_size)
