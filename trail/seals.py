"""Seals: every write of a record the audit relies on, bound into a hash chain.

The file event log is chained row by row (``trail.chain``); the other records the audit
reads are not events, so each write of one of their rows leaves a ``trail.Seal``: the
model, the row's id, what was done (create, change, delete, or baseline for a row that
existed before sealing began) and the SHA-256 of the row's content as the database holds it
after the write (``trail.content``). Seals are linked like events (``seq`` with no gap,
``prev_hash``, ``hash``) in their own chain, whose head is ``SealHead``.

Which models (``BOUND`` plus every django-simple-history historical model, see
``bound_models``) are sealed by ``post_save``/``post_delete`` receivers connected in
``TrailConfig.ready``: a save or delete through the ORM (a queryset's ``delete()`` included:
it sends the signals) re-seals inside the writer's transaction, so only a write behind the
application's back leaves a row that no longer matches its latest seal, which
``manage.py verify_audit_trail`` names. Paths that send no signal must seal themselves:
``bulk_create`` (``seal_bulk``) and ``queryset.update()`` (``seal_rows``).

Locks: a seal takes the key-share lock of the row's file (``trail.chain._file_key_shared``,
for rows with a real ``application`` foreign key), then the event chain head's row lock,
then ``SealHead``'s. So the head lock is the last lock a transaction takes whether it
writes an event or a sealed row first (see ``trail.chain.chain_append``): after saving a
sealed row a transaction must not lock a row another transaction locks before its own
chained write.
"""

from __future__ import annotations

import hashlib
import json

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from simple_history.models import HistoricalChanges

from trail.chain import HEAD, _file_key_shared, _instant
from trail.content import row_fields, row_sha256
from trail.models import ChainHead, Seal, SealAction, SealHead

__all__ = [
    "BOUND",
    "bound_models",
    "seal_bulk",
    "seal_hash",
    "seal_history_bulk",
    "seal_rows",
    "seals_connect",
]

# The records the audit relies on, besides the event log and field history: messages and
# staff views of a file, document versions, conflict-of-interest declarations and cases,
# audit findings and their follow-ups, complaint entries and evidence. The steps of a case
# and of a finding are their field changes: their historical models are sealed with every
# other one (``bound_models``).
BOUND = (
    "permits.FileMessage",
    "permits.FileView",
    "permits.Document",
    "integrity.FileDeclaration",
    "integrity.ConflictCase",
    "integrity.Finding",
    "integrity.FollowUp",
    "public.ComplaintEntry",
    "public.ComplaintEvidence",
)

SEAL_HEAD = 1  # the primary key of the one SealHead row


def bound_models() -> list[type[models.Model]]:
    """Every sealed model: ``BOUND`` and every historical model, sorted by label."""
    bound = {apps.get_model(label) for label in BOUND}
    bound |= {
        model
        for model in apps.get_models()
        if issubclass(model, HistoricalChanges) and model._meta.managed and not model._meta.proxy
    }
    return sorted(bound, key=lambda model: model._meta.label_lower)


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


def _heads_locked(count: int, *, head_model=ChainHead, seal_head_model=SealHead):
    """Lock the event head's row, then take ``count`` seqs of the seal head: return the
    seal head as it was before them (its ``seq`` and ``hash`` are the last link)."""
    if not head_model.objects.filter(pk=HEAD).update(seq=F("seq")):
        head_model.objects.get_or_create(pk=HEAD)
        head_model.objects.filter(pk=HEAD).update(seq=F("seq"))
    heads = seal_head_model.objects.filter(pk=SEAL_HEAD)
    if not heads.update(seq=F("seq") + count):
        seal_head_model.objects.get_or_create(pk=SEAL_HEAD)
        heads.update(seq=F("seq") + count)
    head = heads.get()
    head.seq -= count
    return head


def _link(entries, *, seal_model=Seal, head_model=ChainHead, seal_head_model=SealHead) -> list:
    """Append ``entries`` ((label, row id, action, fields, sha256), in order) to the seal
    chain; the caller's transaction holds the heads until it commits."""
    if not entries:
        return []
    head = _heads_locked(len(entries), head_model=head_model, seal_head_model=seal_head_model)
    seq, prev, seals = head.seq, head.hash, []
    for label, row_id, action, fields, digest in entries:
        seq += 1
        seal = seal_model(
            seq=seq,
            model=label,
            row_id=row_id,
            action=action,
            fields=fields,
            content_sha256=digest,
            prev_hash=prev,
        )
        seal.hash = prev = seal_hash(seal)
        seals.append(seal)
    seal_model.objects.bulk_create(seals)
    seal_head_model.objects.filter(pk=SEAL_HEAD).update(hash=prev)
    return seals


def _files_key_shared(model, rows) -> None:
    try:
        field = model._meta.get_field("application")
    except FieldDoesNotExist:  # no file to lock
        return
    if not getattr(field, "db_constraint", False):
        return  # a historical row: no foreign-key check at commit
    for application_id in sorted({row.application_id for row in rows} - {None}):
        _file_key_shared(model(application_id=application_id))


def seal_rows(model, pks, action: str = SealAction.CHANGE) -> list[Seal]:
    """Seal the rows of ``model`` with ids ``pks`` as the database holds them now (after a
    ``queryset.update()``, or a ``bulk_create``): one seal per row, in id order."""
    pks = sorted(set(pks))
    if not pks:
        return []
    with transaction.atomic(savepoint=False):
        rows = list(model._base_manager.filter(pk__in=pks).order_by("pk"))
        _files_key_shared(model, rows)
        fields = row_fields(model)
        label = model._meta.label_lower
        joined = " ".join(fields)
        return _link([(label, row.pk, action, joined, row_sha256(row, fields)) for row in rows])


def seal_bulk(rows) -> list[Seal]:
    """Seal ``rows`` just written by ``bulk_create`` (their ids set), in the same
    transaction."""
    rows = list(rows)
    if not rows:
        return []
    model = type(rows[0])
    if any(row.pk is None for row in rows):
        raise RuntimeError("seal_bulk() needs the rows' ids: bulk_create them first")
    return seal_rows(model, [row.pk for row in rows], SealAction.CREATE)


def seal_history_bulk(model, objs) -> list[Seal]:
    """Seal the field-history rows ``simple_history``'s ``bulk_create_with_history`` wrote
    for ``objs`` (new rows of ``model``, their ids set): it sends no signal."""
    history = model.history.model
    pks = [obj.pk for obj in objs]
    ids = history._base_manager.filter(**{f"{model._meta.pk.attname}__in": pks}).values_list(
        "history_id", flat=True
    )
    return seal_rows(history, list(ids), SealAction.CREATE)


def _saved(sender, instance, created=False, **kwargs) -> None:
    seal_rows(sender, [instance.pk], SealAction.CREATE if created else SealAction.CHANGE)


def _deleted(sender, instance, **kwargs) -> None:
    with transaction.atomic(savepoint=False):
        _link([(sender._meta.label_lower, instance.pk, SealAction.DELETE, "", "")])


def seals_connect() -> None:
    """Seal every write of every bound model (``TrailConfig.ready``)."""
    for model in bound_models():
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
