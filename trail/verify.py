"""Walk the event chain and the seal chain, check every sealed table against its seals,
and name the first thing that does not hold.

What the walk can tell, and what it cannot: a row edited, deleted, inserted, swapped or
appended behind the application's back breaks a link, in the event log or in the seals.
A row of a sealed table (``trail.seals``: messages, staff views, document versions,
declarations, conflict cases, findings and follow-ups, complaint entries and evidence,
every field-history row) that has no seal, that no longer hashes to its latest seal, or
that is gone while its latest seal is not a deletion was written behind the application's
back; except that a row of a model sealed after its write (a partner's call:
``trail.seals.sealed_later_register``) may wait for its seal a while. Someone who can write
the database could rewrite a whole chain from a link onwards, head included, and re-seal
the rows they changed; the hourly anchors (``ChainAnchor``, sent
outside the database: mailed to the inspectorate, shown on the public register), the day
heads recorded in ``ChainDay`` (both append-only) and a head an auditor copied elsewhere
(``expect``) catch that, from the first anchor the rewrite passed: only changes made since
the last anchor (at most an hour) rest on the database alone.

Cost: one pass over the event log, one over the seals, and per sealed table one pass over
its rows (ordered by id) merged with one over its seals (by row, then seq): every row of
every sealed table is read and hashed, in chunks (constant memory).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace

from django.db import connection, transaction
from django.utils import timezone

from trail.anchors import anchor_hash
from trail.chain import GENESIS, HEAD, chained_events, event_hash
from trail.content import row_sha256
from trail.models import ChainAnchor, ChainDay, ChainHead, Seal, SealAction, SealHead
from trail.seals import SEAL_HEAD, bound_models, seal_hash, sealed_later

CHUNK = 2000
CLOCK_SKEW = datetime.timedelta(minutes=1)  # a row's time ahead of the verifier's clock


@dataclass(frozen=True)
class ChainReport:
    """The outcome of a walk: ``ok``, how many events were ``checked``, the newest link
    walked (``head_seq``, ``head_hash``) and, when broken, the first ``problem`` found."""

    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    problem: str = ""
    seals_checked: int = 0
    rows_checked: int = 0


def _label(row) -> str:
    return f"seq {row.seq} (event id {row.pk}, application {row.application_id})"


def _anchors(expect) -> dict[int, list[tuple[str, str]]]:
    """Recorded heads to meet on the way, by seq: each day's close, then the auditor's."""
    anchors = defaultdict(list)
    for day, seq, digest in ChainDay.objects.order_by("day").values_list(
        "day", "last_seq", "head_hash"
    ):
        anchors[seq].append((f"the head recorded for {day.isoformat()}", digest))
    for at, seq, digest in ChainAnchor.objects.order_by("at").values_list(
        "at", "last_seq", "head_hash"
    ):
        anchors[seq].append((_anchor_label(at), digest))
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
    events = chained_events().objects.all()
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


def _anchor_label(at) -> str:
    return f"the anchor of {at.astimezone(datetime.UTC).isoformat(timespec='minutes')}"


def _anchor_chain_problem(chunk_size: int) -> str:
    """Does every anchor hash to its hash, and link to the one before?"""
    prev = GENESIS
    for anchor in ChainAnchor.objects.order_by("at").iterator(chunk_size=chunk_size):
        label = f"{_anchor_label(anchor.at)} (trail_chainanchor id {anchor.pk})"
        if anchor_hash(anchor) != anchor.hash:
            return f"{label} does not match its hash: the anchor was edited"
        if anchor.prev_hash != prev:
            return (
                f"{label}: prev_hash does not match the anchor before: an anchor was "
                "deleted or inserted"
            )
        prev = anchor.hash
    return ""


def _seal_label(row) -> str:
    return f"seal seq {row.seq} (trail_seal id {row.pk}, {row.model} {row.row_id})"


def _seal_link_problem(row, expected_seq: int, head_seq: int | None, prev: str) -> str:
    if row.seq < expected_seq:
        return (
            f"{_seal_label(row)} is out of sequence: it was inserted behind the application's back"
        )
    if row.seq > expected_seq:
        last = "" if row.seq == expected_seq + 1 else f"..{row.seq - 1}"
        return f"missing seal seq {expected_seq}{last}: seals were deleted"
    if head_seq is None:
        return "the seal head (trail_sealhead) is missing: it was deleted"
    if row.seq > head_seq:
        return (
            f"{_seal_label(row)} is past the seal head (seq {head_seq}): "
            "it was appended behind the application's back"
        )
    if not row.hash or not row.prev_hash:
        return f"{_seal_label(row)} has no hash: it was inserted behind the application's back"
    if seal_hash(row) != row.hash:
        return (
            f"BROKEN at {_seal_label(row)}: content does not match its hash — the seal was edited"
        )
    if row.prev_hash != prev:
        before = f"seal seq {row.seq - 1}'s hash" if row.seq > 1 else "the genesis hash"
        return (
            f"{_seal_label(row)}: prev_hash does not match {before}: a seal was inserted or "
            "replaced"
        )
    return ""


def _walk_seals(chunk_size: int) -> tuple[str, int]:
    """The seal chain, as the event chain: gaps, inserts, edits, the head, the anchors."""
    head_row = SealHead.objects.filter(pk=SEAL_HEAD).values_list("seq", "hash").first()
    head_seq, head_hash = head_row or (0, GENESIS)
    anchors = defaultdict(list)
    for at, seq, digest in ChainAnchor.objects.order_by("at").values_list(
        "at", "seal_seq", "seal_hash"
    ):
        anchors[seq].append((_anchor_label(at), digest))
    seq, prev, checked = 0, GENESIS, 0
    for label, digest in anchors.get(0, []):
        if digest != GENESIS:
            return f"{label} is seal seq 0 with hash {digest}, not the genesis hash", checked
    for row in Seal.objects.order_by("seq").iterator(chunk_size=chunk_size):
        problem = _seal_link_problem(row, seq + 1, head_seq if head_row else None, prev)
        for label, digest in anchors.get(row.seq, []):
            if not problem and digest != row.hash:
                problem = (
                    f"{label} is seal seq {row.seq} with hash {digest}, but the seal chain has "
                    f"{row.hash} there: the seals were rewritten up to that point"
                )
        if problem:
            return problem, checked
        seq, prev, checked = row.seq, row.hash, checked + 1
    if seq < head_seq:
        return (
            f"the seal chain ends at seq {seq} but the seal head says {head_seq}: the newest "
            "seals were deleted"
        ), checked
    if head_hash != prev:
        return (
            f"the seal head's hash does not match seal seq {seq}'s hash: the newest seal was "
            "replaced"
        ), checked
    past = sorted(s for s in anchors if s > seq)
    if past:
        return (
            f"{anchors[past[0]][0][0]} is seal seq {past[0]}, but the seal chain ends at seq "
            f"{seq}: the newest seals were deleted"
        ), checked
    return "", checked


def _latest_seals(seals):
    """The last of each row's seals, from seals ordered by row, then seq."""
    current = None
    for seal in seals:
        if current is not None and seal[0] != current[0]:
            yield current
        current = seal
    if current is not None:
        yield current


def _waiting_for_seal(model):
    """For a model sealed after the write (``trail.seals.sealed_later_register``): is a row
    without a seal still within its wait (written less than ``within`` ago, and not later
    than now)? A row of any other model never waits."""
    later = sealed_later(model)
    if later is None:
        return lambda row: False
    now = timezone.now()
    earliest, latest = now - later.within, now + CLOCK_SKEW
    return lambda row: earliest <= getattr(row, later.at) <= latest


def _table_problem(model, chunk_size: int) -> tuple[str, int]:
    """Merge the rows of ``model`` (by id) with each row's latest seal: a row without one
    was inserted, a row that does not hash to it was edited, a sealed row that is gone
    without a sealed deletion was deleted, all behind the application's back."""
    label, table = model._meta.label_lower, model._meta.db_table
    rows = model._base_manager.order_by("pk").iterator(chunk_size=chunk_size)
    seals = _latest_seals(
        Seal.objects.filter(model=label)
        .order_by("row_id", "seq")
        .values_list("row_id", "seq", "action", "fields", "content_sha256")
        .iterator(chunk_size=chunk_size)
    )
    row, seal, checked = next(rows, None), next(seals, None), 0

    def name(row_id) -> str:
        return f"{table} row {row_id} ({label})"

    waiting = _waiting_for_seal(model)
    while row is not None or seal is not None:
        if seal is None or (row is not None and row.pk < seal[0]):
            if waiting(row):
                row = next(rows, None)
                continue
            inserted = "has no seal: it was inserted behind the application's back"
            return f"{name(row.pk)} {inserted}", checked
        row_id, seq, action, fields, digest = seal
        if row is None or row_id < row.pk:
            if action != SealAction.DELETE:
                return (
                    f"{name(row_id)} is gone, but its latest seal (seal seq {seq}) is not a "
                    "deletion: the row was deleted behind the application's back"
                ), checked
            seal = next(seals, None)
            continue
        if action == SealAction.DELETE:
            return (
                f"{name(row_id)} exists, but its latest seal (seal seq {seq}) is its deletion: "
                "it was inserted behind the application's back"
            ), checked
        if row_sha256(row, fields.split()) != digest:
            return (
                f"{name(row_id)} does not match its latest seal (seal seq {seq}): the row was "
                "edited behind the application's back"
            ), checked
        row, seal, checked = next(rows, None), next(seals, None), checked + 1
    return "", checked


def _verify(expect, chunk_size: int) -> ChainReport:
    problem = _anchor_chain_problem(chunk_size)
    if problem:
        return ChainReport(False, 0, 0, GENESIS, problem)
    report = _walk(expect, chunk_size)
    if not report.ok:
        return report
    problem, seals = _walk_seals(chunk_size)
    if problem:
        return replace(report, ok=False, problem=problem, seals_checked=seals)
    rows = 0
    for model in bound_models():
        problem, checked = _table_problem(model, chunk_size)
        rows += checked
        if problem:
            return replace(
                report, ok=False, problem=problem, seals_checked=seals, rows_checked=rows
            )
    return replace(report, seals_checked=seals, rows_checked=rows)


def chain_verify(*, expect=(), chunk_size: int = CHUNK) -> ChainReport:
    """Recompute every link in seq order (constant memory) and stop at the first that does
    not hold; check the head, each hourly anchor, each recorded day head and each
    ``expect`` ``(seq, hash)``; then the seal chain the same way, and every row of every
    sealed table against its latest seal.

    On PostgreSQL, outside a transaction, the walk reads one snapshot (repeatable read), so
    events committed meanwhile are neither half seen nor mistaken for forged ones. SQLite
    (the demo) has no such snapshot without blocking writers: verify it while nothing writes.
    """
    if connection.in_atomic_block or connection.vendor != "postgresql":
        return _verify(expect, chunk_size)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return _verify(expect, chunk_size)
