"""Seals: every write of a record the audit relies on, bound into a hash chain.

The file event log is chained row by row (``trail.chain``); the other records the audit
reads are not events, so each write of one of their rows leaves a ``trail.Seal``: the
model, the row's id, what was done (create, change, delete, or baseline for a row that
existed before sealing began) and the SHA-256 of the row's content as the database holds it
after the write (``trail.content``). Seals are linked like events (``seq`` with no gap,
``prev_hash``, ``hash``) in their own chain, whose head is ``SealHead``.

Which models (those their apps register with ``sealed_models_register``, plus every
django-simple-history historical model, see ``bound_models``) are sealed by
``post_save``/``post_delete`` receivers connected in ``TrailConfig.ready`` and at
registration: a save or delete through the ORM (a queryset's ``delete()`` included:
it sends the signals) re-seals inside the writer's transaction, so only a write behind the
application's back leaves a row that no longer matches its latest seal, which
``manage.py verify_audit_trail`` names. Paths that send no signal must seal themselves:
``bulk_create`` (``seal_bulk``) and ``queryset.update()`` (``seal_rows``). One kind of
record is sealed in batches after its write instead (``sealed_later_register``).

When: a write inside a transaction is sealed as the row stands just before the
transaction commits (``Atomic.__exit__`` of the outermost block flushes the rows written,
``seals_flush``), in the writer's transaction, one seal per row and transaction; a write
outside one, at once. So the head lock a seal needs is the last lock its transaction takes:
first the key-share lock of the file a sealed row belongs to (as
``trail.chain._file_key_shared`` does for events), then the event chain head's row, then
``SealHead``'s. A transaction may lock whatever it likes after saving a sealed row; the
lock order of ``trail.chain.chain_append`` (no row lock after writing an event) is unchanged.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import time
from dataclasses import dataclass
from types import SimpleNamespace

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models, transaction
from django.db.models import Exists, F, OuterRef
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from simple_history.models import HistoricalChanges

from trail.chain import HEAD, _file_key_shared, _instant, head_held, head_held_forget
from trail.content import row_fields, row_sha256, values_sha256
from trail.models import GENESIS, ChainHead, Seal, SealAction, SealHead

__all__ = [
    "SealedLater",
    "bound_models",
    "seal_bulk",
    "seal_bulk_fill",
    "seal_hash",
    "seal_history_bulk",
    "seal_rows",
    "sealed_later",
    "sealed_later_register",
    "sealed_models_register",
    "seals_catch_up",
    "seals_connect",
]

# The records the audit relies on, besides the event log and field history: messages and
# staff views of a file, document versions, conflict-of-interest declarations and cases,
# colleagues' suspicion reports, the auditors' verdicts on flags,
# audit findings and their follow-ups, complaint entries and evidence. The steps of a case
# and of a finding are their field changes: their historical models are sealed with every
# other one (``bound_models``).
# The records the audit relies on besides every historical model: registered by the app
# that owns each (``sealed_models_register`` in its ``ready()``: permits' messages, views
# and documents; integrity's declarations, cases, findings, follow-ups, suspicions and
# verdicts; public's complaint entries and evidence). The trail knows no app's models.
_sealed: set[str] = set()

SEAL_HEAD = 1  # the primary key of the one SealHead row
CHUNK = 500


def sealed_models_register(*labels: str) -> None:
    """Seal every write of the models ``labels`` ("app.Model") from now on."""
    for label in labels:
        model = apps.get_model(label)
        _sealed.add(model._meta.label_lower)
        _connect(model)


@dataclass(frozen=True)
class SealedLater:
    """An append-only model whose rows are sealed in batches after they are written
    (``seals_catch_up``), not in the writer's transaction; ``at`` names its time field and
    ``within`` how long a row may wait for its seal before the verifier calls it forged."""

    label: str
    at: str
    within: datetime.timedelta

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)


_sealed_later: dict[str, SealedLater] = {}


def sealed_later_register(label: str, *, at: str, within: datetime.timedelta) -> None:
    """Seal the rows of ``label`` ("app.Model") in batches, a moment after each is written.

    For a record written on a hot path whose rows nobody may change once written (an
    ``AppendOnlyModel``, refused UPDATE and DELETE by the database itself on PostgreSQL): a
    partner's call, recorded as it ends in one INSERT, where sealing it there would be
    most of the call's time (issue 21.9). The writer asks for a catch-up soon after
    (``trail.tasks.seal_catch_up``), and a sweep every minute seals what is left. Until a
    row is sealed, nothing but the table's append-only guard protects it; a row inserted
    behind the application's back in that moment is sealed like the others. The verifier
    accepts a row without a seal only while it is younger than ``within``.
    """
    model = apps.get_model(label)
    _sealed.add(model._meta.label_lower)
    _sealed_later[model._meta.label_lower] = SealedLater(model._meta.label_lower, at, within)


def sealed_later(model) -> SealedLater | None:
    """How ``model``'s rows are sealed after the write, or None (sealed in the writer's
    transaction)."""
    return _sealed_later.get(model._meta.label_lower)


def seals_catch_up(*, lookback: int = 1000) -> int:
    """Seal every row of the sealed-later models that has no seal yet, among those after
    the newest sealed one (and the ``lookback`` before it, for a row whose insert committed
    after a later one's). One transaction per model; the rows are found after the heads are
    locked, so two catch-ups at once never seal a row twice. Returns the seals written."""
    written = 0
    for label in sorted(_sealed_later):
        model = _sealed_later[label].model
        with transaction.atomic():
            head = _heads_locked()
            newest = (
                Seal.objects.filter(model=label)
                .order_by("-row_id")
                .values_list("row_id", flat=True)
                .first()
            )
            rows = model._base_manager.order_by("pk")
            if newest is not None:
                rows = rows.filter(pk__gte=newest - lookback)
            pks = list(
                rows.exclude(
                    Exists(Seal.objects.filter(model=label, row_id=OuterRef("pk")))
                ).values_list("pk", flat=True)
            )
            if pks:
                entries = _seal_now(model, pks, created=frozenset(pks))
                written += len(_link(entries, head=head))
    return written


# A catch-up asked for by this process runs this long after (``seals_catch_up_soon``).
CATCH_UP_AFTER = 1.0
SWEEP_LOOKBACK = 100_000  # rows before the newest sealed one the minute's sweep looks at
_catch_up_sent_until = 0.0


def seals_catch_up_soon() -> None:
    """Have the rows just written to a sealed-later model sealed in a moment: a catch-up
    task is sent to run ``CATCH_UP_AFTER`` seconds from now, unless one this process sent is
    still to run (it will find these rows too). With the broker unreachable nothing is
    lost: the minute's sweep seals them. With tasks in process (the demo) the catch-up runs
    at once, every time."""
    global _catch_up_sent_until
    from core.queue import enqueue
    from trail.tasks import seal_catch_up

    if seal_catch_up.app.conf.task_always_eager:
        seal_catch_up.apply()
        return
    now = time.monotonic()
    if now >= _catch_up_sent_until and enqueue(seal_catch_up, countdown=CATCH_UP_AFTER):
        _catch_up_sent_until = now + CATCH_UP_AFTER


def bound_models() -> list[type[models.Model]]:
    """Every sealed model: those registered (``sealed_models_register``) and every
    historical model, sorted by label."""
    bound = {apps.get_model(label) for label in _sealed}
    bound |= _historical_models()
    return sorted(bound, key=lambda model: model._meta.label_lower)


def _historical_models() -> set[type[models.Model]]:
    return {
        model
        for model in apps.get_models()
        if issubclass(model, HistoricalChanges) and model._meta.managed and not model._meta.proxy
    }


def seal_content(seal) -> dict:
    """What the hash of ``seal`` covers."""
    return {
        "seq": int(seal.seq),
        "model": str(seal.model),
        "row_id": int(seal.row_id),
        "action": str(seal.action),
        "fields": str(seal.fields),
        "content_sha256": str(seal.content_sha256),
        "created_at": _instant(seal.created_at),
        "prev": str(seal.prev_hash),
    }


def seal_hash(seal) -> str:
    """The SHA-256 hex of ``seal``'s canonical content (its ``seq`` and ``prev_hash`` set)."""
    canonical = json.dumps(
        seal_content(seal), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _heads_locked(*, head_model=ChainHead, seal_head_model=SealHead):
    """Lock the event head's row, then the seal head's, and return the seal head (its
    ``seq`` and ``hash`` are the last link). Both locks are held until the transaction ends
    (an UPDATE, then SELECT … FOR UPDATE, on PostgreSQL; SQLite's write lock)."""
    # A transaction that appended an event holds the event head's lock already.
    held = head_model is ChainHead and head_held()
    if not held and not head_model.objects.filter(pk=HEAD).update(seq=F("seq")):
        head_model.objects.get_or_create(pk=HEAD)
        head_model.objects.filter(pk=HEAD).update(seq=F("seq"))
    head = seal_head_model.objects.select_for_update().filter(pk=SEAL_HEAD).first()
    if head is None:
        # The first seal: two at once wait on the event head's lock, so one creates it.
        head = seal_head_model.objects.create(pk=SEAL_HEAD, seq=0, hash=GENESIS)
    return head


def _link(
    entries, *, seal_model=Seal, head_model=ChainHead, seal_head_model=SealHead, head=None
) -> list:
    """Append ``entries`` ((label, row id, action, fields, sha256), in order) to the seal
    chain; the caller's transaction holds the heads until it commits (``head``: the seal
    head the caller locked already)."""
    if not entries:
        return []
    links = _links(entries, head_model, seal_head_model, head=head)
    seals = [seal_model(**link) for link in links]
    seal_model.objects.bulk_create(seals)
    return seals


def _links(entries, head_model=ChainHead, seal_head_model=SealHead, head=None) -> list[dict]:
    """The seal rows ({attname: value}) that append ``entries`` to the chain, the head moved
    past them (locked until the caller's transaction ends, which must write them)."""
    if head is None:
        head = _heads_locked(head_model=head_model, seal_head_model=seal_head_model)
    seq, prev, links, now = head.seq, head.hash, [], timezone.now()
    for label, row_id, action, fields, digest in entries:
        seq += 1
        link = SimpleNamespace(
            seq=seq,
            model=label,
            row_id=row_id,
            action=action,
            fields=fields,
            content_sha256=digest,
            created_at=now,
            prev_hash=prev,
        )
        link.hash = prev = seal_hash(link)
        links.append(vars(link))
    seal_head_model.objects.filter(pk=SEAL_HEAD).update(seq=seq, hash=prev)
    return links


def seal_bulk_fill(model, rows) -> list[dict]:
    """The create seals of ``rows`` of ``model`` (each {attname: value} with its id, as a
    bulk loader holds them) for the loader to write in the same transaction, right after
    the rows themselves; the seal head is moved past them. Like ``chain_bulk_fill`` for
    events: the loader writes behind the ORM (PostgreSQL's COPY) and seals as it goes."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("seal_bulk_fill() must run inside transaction.atomic()")
    label, fields = model._meta.label_lower, row_fields(model)
    joined = " ".join(fields)
    entries = [
        (label, row["id"], SealAction.CREATE, joined, values_sha256(model, row, fields))
        for row in rows
    ]
    return _links(entries) if entries else []


def _keys_shared(model, rows) -> None:
    """On PostgreSQL, take the FOR KEY SHARE lock on the files ``rows`` belong to (a real
    ``application`` foreign key), before the head lock: the foreign-key check at commit would
    take it after (see ``trail.chain._file_key_shared``). Services lock a file FOR UPDATE
    before writing its chained rows; the other rows sealed rows point at (officers, units,
    findings, complaints) are not locked that way by a writer of chained rows, or are locked
    first by the writer itself."""
    if connection.vendor != "postgresql":
        return
    try:
        field = model._meta.get_field("application")
    except FieldDoesNotExist:
        return
    if not (field.many_to_one and field.db_constraint):
        return  # a historical row: no foreign-key check at commit
    for application_id in sorted({row.application_id for row in rows} - {None}):
        _file_key_shared(model(application_id=application_id))


def _seal_now(model, pks, created=frozenset()) -> list[Seal]:
    """Seal the rows of ``model`` with ids ``pks`` as the database holds them now: a row
    first seen is a create, a row seen before a change, a sealed row that is gone a delete
    (a row created and rolled back, or created and deleted, in the transaction: nothing)."""
    label = model._meta.label_lower
    fields = row_fields(model)
    joined = " ".join(fields)
    entries, rows_all = [], []
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start : start + CHUNK]
        rows = {row.pk: row for row in model._base_manager.filter(pk__in=chunk)}
        # Rows created in this transaction have no seal yet: no need to look.
        unknown = [pk for pk in chunk if pk not in created]
        last = dict(
            Seal.objects.filter(model=label, row_id__in=unknown)
            .order_by("row_id", "seq")
            .values_list("row_id", "action")
            if unknown
            else ()
        )
        for pk in chunk:
            row, before = rows.get(pk), last.get(pk)
            if row is not None:
                first = before in (None, SealAction.DELETE)
                action = SealAction.CREATE if first else SealAction.CHANGE
                entries.append((label, pk, action, joined, row_sha256(row, fields)))
                rows_all.append(row)
            elif before not in (None, SealAction.DELETE):
                entries.append((label, pk, SealAction.DELETE, "", ""))
    _keys_shared(model, rows_all)
    return entries


def _pending(conn) -> dict:
    if not hasattr(conn, "trail_pending_seals"):
        conn.trail_pending_seals = {}
    return conn.trail_pending_seals


def _outermost_own(conn, block) -> bool:
    """Is ``block`` the outermost atomic block of the code (whose exit commits)? Blocks a
    test case opens around each test never commit: they do not count."""
    blocks = conn.atomic_blocks
    return (
        bool(blocks)
        and blocks[-1] is block
        and not getattr(block, "_from_testcase", False)
        and all(getattr(below, "_from_testcase", False) for below in blocks[:-1])
    )


def seals_flush(conn=None) -> list[Seal]:
    """Seal every row written since the last flush (see ``seal_rows``): the row locks of the
    files and other rows they point at first, then the heads, last of all."""
    conn = conn or connection
    pending = _pending(conn)
    if not pending:
        return []
    entries = []
    with transaction.atomic(savepoint=False):
        while pending:
            model, pks = pending.popitem()
            created = {pk for pk, is_new in pks.items() if is_new}
            entries.extend(_seal_now(model, sorted(pks), created))
        entries.sort(key=lambda entry: (entry[0], entry[1]))
        return _link(entries)


def seal_rows(model, pks, *, created: bool = False) -> None:
    """Seal the rows of ``model`` with ids ``pks`` (after a ``queryset.update()`` or a
    ``bulk_create``; the ``post_save``/``post_delete`` receivers call it for the rest).

    Inside a transaction the rows are sealed as they stand when it commits, just before:
    the head lock is then the last lock it takes, whatever it locks after writing them.
    Outside one, at once.
    """
    pks = {pk for pk in pks if pk is not None}
    if not pks:
        return
    with transaction.atomic(savepoint=False):
        pending = _pending(connection).setdefault(model, {})
        for pk in pks:  # created: new in this transaction (a row seen before stays seen)
            pending[pk] = pending.get(pk, True) and created


def seal_bulk(rows) -> None:
    """Seal ``rows`` just written by ``bulk_create`` (their ids set)."""
    rows = list(rows)
    if any(row.pk is None for row in rows):
        raise RuntimeError("seal_bulk() needs the rows' ids: bulk_create them first")
    if rows:
        seal_rows(type(rows[0]), [row.pk for row in rows], created=True)


def seal_history_bulk(model, objs) -> None:
    """Seal the field-history rows ``simple_history``'s ``bulk_create_with_history`` wrote
    for ``objs`` (new rows of ``model``, their ids set): it sends no signal."""
    history = model.history.model
    pks = [obj.pk for obj in objs]
    ids = history._base_manager.filter(**{f"{model._meta.pk.attname}__in": pks}).values_list(
        "history_id", flat=True
    )
    seal_rows(history, list(ids), created=True)


def _saved(sender, instance, created=False, **kwargs) -> None:
    seal_rows(sender, [instance.pk], created=created)


def _deleted(sender, instance, **kwargs) -> None:
    seal_rows(sender, [instance.pk])


_atomic_exit = transaction.Atomic.__exit__


def _atomic_exit_sealing(self, exc_type, exc_value, traceback):
    """``Atomic.__exit__``, sealing the rows written in the transaction just before the
    outermost block commits (Django has no hook before a commit)."""
    conn = transaction.get_connection(self.using)
    if _outermost_own(conn, self):
        if exc_type is None and not conn.needs_rollback and not conn.closed_in_transaction:
            try:
                seals_flush(conn)
            except BaseException as error:
                _pending(conn).clear()
                head_held_forget(conn)
                _atomic_exit(self, type(error), error, error.__traceback__)
                raise
        else:
            _pending(conn).clear()
    # A rollback, to a savepoint or of the whole transaction, may release the event head's
    # lock, and the transaction's end does: the next seal takes it again.
    rolls_back = exc_type is not None or conn.needs_rollback
    try:
        return _atomic_exit(self, exc_type, exc_value, traceback)
    finally:
        if rolls_back or not conn.in_atomic_block:
            head_held_forget(conn)


def seals_connect() -> None:
    """Seal every write of every historical model (``TrailConfig.ready``; the other bound
    models as their apps register them), when its transaction commits."""
    transaction.Atomic.__exit__ = _atomic_exit_sealing
    for model in _historical_models():
        _connect(model)


def _connect(model) -> None:
    uid = f"trail.seal.{model._meta.label_lower}"
    post_save.connect(_saved, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(_deleted, sender=model, dispatch_uid=uid, weak=False)


def seal_baseline(model, *, seal_model, head_model, seal_head_model, label, chunk=2000) -> int:
    """Seal every existing row of ``model`` as ``baseline`` (the data migration that started
    sealing): the row as it was then, not its original write. Returns how many."""
    fields = row_fields(model)
    joined = " ".join(fields)
    done, batch = 0, []
    for row in model._base_manager.order_by("pk").iterator(chunk_size=chunk):
        batch.append((label, row.pk, SealAction.BASELINE, joined, row_sha256(row, fields)))
        if len(batch) == chunk:
            _link(
                batch, seal_model=seal_model, head_model=head_model, seal_head_model=seal_head_model
            )
            done, batch = done + len(batch), []
    _link(batch, seal_model=seal_model, head_model=head_model, seal_head_model=seal_head_model)
    return done + len(batch)
