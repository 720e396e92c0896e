"""The audit trail's records: what may be written once only, the two hash chains' heads,
their seals and anchors.

Every file event (``permits.ApplicationEvent``) carries a sequence number and a SHA-256
hash over its content and the previous event's hash (``trail.chain``): editing, deleting,
inserting or reordering a row behind the application's back breaks a link that
``manage.py verify_audit_trail`` names. Every write of the other records the audit relies on
(messages, staff views, document versions, declarations, cases, findings, follow-ups,
complaint entries and evidence, every field-history row) leaves a ``Seal`` holding the
SHA-256 of the row as written, linked in a second chain the same way (``trail.seals``); the
verifier checks each sealed row against its latest seal. ``ChainHead`` and ``SealHead`` hold
the newest links, so the newest rows cannot vanish unnoticed; ``ChainAnchor`` keeps both
heads each hour (mailed to the inspectorate and published on the public register) and
``ChainDay`` each local day's closing event link, so a chain recomputed wholesale after an
anchor shows.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The ``prev`` of the first link: there is nothing before it.
GENESIS = "0" * 64


class AppendOnlyModel(models.Model):
    """A record written once: saving it again or deleting it raises.

    On PostgreSQL a trigger also refuses UPDATE and DELETE of its rows from any client
    (``trail.triggers``); TRUNCATE, which only test flushes use, still works.
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError(f"{type(self).__name__} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError(f"{type(self).__name__} is append-only")


class ChainHead(models.Model):
    """The newest link of the event chain: one row (pk 1).

    Every append updates this row first, which serialises appends (``trail.chain``).
    A missing row means an empty chain; it is created on the first append.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    seq = models.PositiveBigIntegerField(_("nomor urut terakhir"), default=0)
    hash = models.CharField(_("hash terakhir"), max_length=64, default=GENESIS)

    class Meta:
        verbose_name = _("ujung rantai peristiwa")
        verbose_name_plural = _("ujung rantai peristiwa")

    def __str__(self) -> str:
        return f"{self.seq} {self.hash[:12]}"


class ChainDay(AppendOnlyModel):
    """The event chain's head at the end of one local day (Asia/Jakarta), kept for auditors.

    A day with no new event repeats the previous day's head; before the first event the head
    is seq 0 with the GENESIS hash.
    """

    day = models.DateField(_("tanggal"), unique=True)
    last_seq = models.PositiveBigIntegerField(_("nomor urut terakhir"))
    head_hash = models.CharField(_("hash ujung rantai"), max_length=64)
    recorded_at = models.DateTimeField(_("dicatat pada"), default=timezone.now)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("ujung rantai harian")
        verbose_name_plural = _("ujung rantai harian")

    def __str__(self) -> str:
        return f"{self.day.isoformat()} #{self.last_seq}"


class SealHead(models.Model):
    """The newest link of the seal chain (``trail.seals``): one row (pk 1).

    Taken under the event chain's head lock (``ChainHead``'s row first, then this one), so a
    transaction that seals rows and writes events holds one lock order. A missing row means
    no seal yet; it is created on the first seal.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    seq = models.PositiveBigIntegerField(_("nomor urut terakhir"), default=0)
    hash = models.CharField(_("hash terakhir"), max_length=64, default=GENESIS)

    class Meta:
        verbose_name = _("ujung rantai segel")
        verbose_name_plural = _("ujung rantai segel")

    def __str__(self) -> str:
        return f"{self.seq} {self.hash[:12]}"


class SealAction(models.TextChoices):
    CREATE = "create", _("dibuat")
    CHANGE = "change", _("diubah")
    DELETE = "delete", _("dihapus")
    BASELINE = "baseline", _("dicatat saat penyegelan dimulai")


class Seal(AppendOnlyModel):
    """One write of one row of a record the audit relies on (``trail.seals.bound_models``): the
    SHA-256 of the row's content as the database held it after the write (empty for a
    delete), linked like the events: ``seq`` (1, 2, 3 … with no gap), ``prev_hash``, ``hash``.

    ``fields`` names the columns (attnames) the content covers, so a column added later
    does not make every older row look edited. A ``baseline`` seal records a row that
    existed before sealing began: it vouches for the row's content at that moment, not for
    its original write.
    """

    seq = models.PositiveBigIntegerField(unique=True, editable=False)
    model = models.CharField(max_length=100)
    row_id = models.BigIntegerField()
    action = models.CharField(max_length=10, choices=SealAction.choices)
    fields = models.TextField(blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        indexes = [models.Index(fields=["model", "row_id", "seq"], name="seal_row")]
        verbose_name = _("segel rekaman")
        verbose_name_plural = _("segel rekaman")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.model} {self.row_id}"


class ChainAnchor(AppendOnlyModel):
    """Both chains' heads at one hour, sent outside the database (mailed to the
    inspectorate, shown on the public register) and chained anchor to anchor.

    ``last_seq``/``head_hash`` are the event chain's head, ``seal_seq``/``seal_hash`` the
    seal chain's; ``hash`` is the SHA-256 of the canonical JSON of those, ``at`` and
    ``prev`` (``prev_hash``, the anchor before's hash; GENESIS for the first).
    """

    at = models.DateTimeField(_("jam"), unique=True)
    last_seq = models.PositiveBigIntegerField(_("nomor urut peristiwa"))
    head_hash = models.CharField(_("hash ujung rantai peristiwa"), max_length=64)
    seal_seq = models.PositiveBigIntegerField(_("nomor urut segel"))
    seal_hash = models.CharField(_("hash ujung rantai segel"), max_length=64)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    recorded_at = models.DateTimeField(_("dicatat pada"), default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("jangkar rantai")
        verbose_name_plural = _("jangkar rantai")

    def __str__(self) -> str:
        return f"{self.at.isoformat()} #{self.last_seq}/{self.seal_seq}"
