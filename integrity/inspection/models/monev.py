"""The stored monthly monitoring and evaluation (monev) reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords


class MonevReport(models.Model):
    """One month's report as PDF and CSV, kept with their SHA-256 (regenerating a
    month replaces the files and records who did it and when, in the field history)."""

    month = models.DateField(_("bulan"), unique=True)
    pdf = models.FileField(max_length=200, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    csv = models.FileField(max_length=200, blank=True)
    csv_sha256 = models.CharField(max_length=64, blank=True)
    generated_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-month"]
        verbose_name = _("laporan monev bulanan")
        verbose_name_plural = _("laporan monev bulanan")

    def __str__(self) -> str:
        return f"monev {self.month:%Y-%m}"
