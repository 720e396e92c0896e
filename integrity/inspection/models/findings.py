"""The inspectorate's findings (temuan) and their follow-up (tindak lanjut).

A finding states what the auditor found on a file (or an officer's work), the
recommendation, who must act on it and by when. The responsible person reports what they
did; the auditor accepts the follow-up and closes the finding, or sends it back. Every
report is kept (append-only), so the trail of promises and deeds stays readable.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords
from integrity.conflicts.models.gratification import SanctionLevel
from permits.models import Application
from permits.models.records import AppendOnlyModel


class FindingState(models.TextChoices):
    OPEN = "open", _("Belum ditindaklanjuti")
    IN_PROGRESS = "in_progress", _("Dalam tindak lanjut")
    CLOSED = "closed", _("Selesai ditindaklanjuti")


class Finding(models.Model):
    """An audit finding with its recommendation and the person who must follow it up."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("nomor temuan"), max_length=30, unique=True)
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("berkas"),
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings_about",
        verbose_name=_("petugas yang diperiksa"),
    )
    title = models.CharField(_("judul temuan"), max_length=200)
    condition = models.TextField(_("kondisi (apa yang ditemukan)"))
    criteria = models.TextField(_("kriteria (aturan yang dilanggar)"), blank=True)
    recommendation = models.TextField(_("rekomendasi"))
    sanction_level = models.CharField(
        _("rekomendasi hukuman disiplin (PP 94/2021)"),
        max_length=10,
        choices=SanctionLevel.choices,
        blank=True,
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="findings_to_follow",
        verbose_name=_("penanggung jawab tindak lanjut"),
    )
    due_date = models.DateField(_("batas tindak lanjut"))
    state = models.CharField(
        _("status"), max_length=12, choices=FindingState.choices, default=FindingState.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("temuan")
        verbose_name_plural = _("temuan")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["state", "due_date"], name="finding_due")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def state_label(self) -> str:
        return FindingState(self.state).label

    @property
    def overdue(self) -> bool:
        return self.state != FindingState.CLOSED and timezone.localdate() > self.due_date

    def days_left(self, today: datetime.date | None = None) -> int:
        return (self.due_date - (today or timezone.localdate())).days


class FollowUp(AppendOnlyModel):
    """One report on a finding: the responsible person's action, or the auditor's verdict."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Laporan tindak lanjut")
        ACCEPTED = "accepted", _("Diterima; temuan selesai")
        RETURNED = "returned", _("Belum memadai; dikembalikan")
        REOPENED = "reopened", _("Dibuka kembali")

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="follow_ups")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    note = models.TextField(_("uraian"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_role = models.CharField(max_length=20)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")

    def __str__(self) -> str:
        return f"{self.finding.number} {self.kind}"
