"""The audit trail's records: what may be written once only, and the event chain's anchors.

Every file event (``permits.ApplicationEvent``) carries a sequence number and a SHA-256
hash over its content and the previous event's hash (``trail.chain``): editing, deleting,
inserting or reordering a row behind the application's back breaks a link that
``manage.py verify_audit_trail`` names. ``ChainHead`` holds the newest link, so the newest
rows cannot vanish unnoticed; ``ChainDay`` keeps each local day's closing link, so a chain
recomputed wholesale after a day closed still shows.
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
