"""Gratification reports and the sanctions the head of office records."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords
from integrity.conflicts.models.cases import ConflictCase
from permits.models import Application


class GratificationReport(models.Model):
    """An officer reports a gift or an offer connected to their work (UU 20/2001 pasal 12C:
    report to the KPK within 30 working days of receiving it)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="gratification_reports",
        verbose_name=_("pelapor"),
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gratification_reports",
        verbose_name=_("berkas terkait"),
    )
    reported_at = models.DateTimeField(_("dilaporkan pada"), default=timezone.now)
    received_on = models.DateField(_("tanggal diterima/ditawarkan"))
    what = models.CharField(_("apa yang diberikan atau ditawarkan"), max_length=300)
    estimated_value = models.PositiveBigIntegerField(_("perkiraan nilai (Rp)"))
    giver = models.CharField(_("dari siapa"), max_length=200)
    accepted = models.BooleanField(_("diterima"))
    kpk_due = models.DateField(_("batas lapor ke KPK"))
    kpk_reported_on = models.DateField(_("dilaporkan ke KPK"), null=True, blank=True)
    kpk_reference = models.CharField(_("nomor laporan KPK"), max_length=100, blank=True)
    note = models.TextField(_("catatan"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("laporan gratifikasi")
        verbose_name_plural = _("laporan gratifikasi")
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.officer} · {self.what}"

    @property
    def kpk_overdue(self) -> bool:
        return self.kpk_reported_on is None and timezone.localdate() > self.kpk_due


class SanctionLevel(models.TextChoices):
    LIGHT = "light", _("Ringan")
    MEDIUM = "medium", _("Sedang")
    HEAVY = "heavy", _("Berat")


class SanctionKind(models.TextChoices):
    """PP 94/2021 on civil-servant discipline, article 8."""

    VERBAL_REPRIMAND = "verbal_reprimand", _("Teguran lisan")
    WRITTEN_REPRIMAND = "written_reprimand", _("Teguran tertulis")
    DISSATISFACTION = "dissatisfaction", _("Pernyataan tidak puas secara tertulis")
    ALLOWANCE_CUT_6 = "allowance_cut_6", _("Pemotongan tunjangan kinerja 25 persen selama 6 bulan")
    ALLOWANCE_CUT_9 = "allowance_cut_9", _("Pemotongan tunjangan kinerja 25 persen selama 9 bulan")
    ALLOWANCE_CUT_12 = (
        "allowance_cut_12",
        _("Pemotongan tunjangan kinerja 25 persen selama 12 bulan"),
    )
    DEMOTION_12 = "demotion_12", _("Penurunan jabatan setingkat lebih rendah selama 12 bulan")
    RELEASE_12 = "release_12", _("Pembebasan dari jabatan menjadi pelaksana selama 12 bulan")
    DISMISSAL = "dismissal", _("Pemberhentian dengan hormat tidak atas permintaan sendiri")


SANCTION_LEVELS = {
    SanctionLevel.LIGHT: {
        SanctionKind.VERBAL_REPRIMAND,
        SanctionKind.WRITTEN_REPRIMAND,
        SanctionKind.DISSATISFACTION,
    },
    SanctionLevel.MEDIUM: {
        SanctionKind.ALLOWANCE_CUT_6,
        SanctionKind.ALLOWANCE_CUT_9,
        SanctionKind.ALLOWANCE_CUT_12,
    },
    SanctionLevel.HEAVY: {
        SanctionKind.DEMOTION_12,
        SanctionKind.RELEASE_12,
        SanctionKind.DISMISSAL,
    },
}


class AppealStatus(models.TextChoices):
    NONE = "none", _("Tidak diajukan")
    FILED = "filed", _("Diajukan")
    UPHELD = "upheld", _("Ditolak; hukuman tetap")
    OVERTURNED = "overturned", _("Dikabulkan; hukuman dibatalkan")


class Sanction(models.Model):
    """A disciplinary decision on an officer (PP 94/2021), with its legal basis."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sanctions",
        verbose_name=_("petugas"),
    )
    case = models.ForeignKey(
        ConflictCase, on_delete=models.PROTECT, null=True, blank=True, related_name="sanctions"
    )
    level = models.CharField(_("tingkat"), max_length=10, choices=SanctionLevel.choices)
    kind = models.CharField(_("jenis hukuman"), max_length=20, choices=SanctionKind.choices)
    legal_basis = models.TextField(_("dasar hukum"))
    decided_by = models.CharField(_("pejabat yang memutus"), max_length=200)
    decided_on = models.DateField(_("tanggal keputusan"))
    description = models.TextField(_("pelanggaran"), blank=True)
    appeal_status = models.CharField(
        _("upaya administratif"),
        max_length=12,
        choices=AppealStatus.choices,
        default=AppealStatus.NONE,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hukuman disiplin")
        verbose_name_plural = _("register hukuman disiplin")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.officer} · {self.get_kind_display()}"
