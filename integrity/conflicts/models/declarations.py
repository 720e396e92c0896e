"""What a file meets before an officer acts on it:

- ``ConflictMatch``: a file whose applicant matches an officer's register, or the officer
  themself; the officer is kept away from the file by assignment (``Restriction`` while a
  case says so).
- ``FileDeclaration``: before acting on a file its officer declares no conflict or one
  (actual or potential, with its source); written once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrity.conflicts.models.register import Affiliation
from permits.models import Application
from permits.models.records import AppendOnlyModel


class MatchReason(models.TextChoices):
    SELF = "self", _("Petugas adalah pemohon")
    NIK = "nik", _("NIK sama")
    NIB = "nib", _("NIB sama")
    NPWP = "npwp", _("NPWP sama")
    NAME_ADDRESS = "name_address", _("Nama dan alamat mirip")
    SITE = "site", _("Lokasi yang dimohonkan di alamat afiliasi")
    RESTRICTED = "restricted", _("Dibatasi keputusan kasus")
    DECIDED = "decided", _("Konflik diputuskan pada berkas ini")


class Restriction(AppendOnlyModel):
    """A decided restriction: the officer handles no file of this party (NIK or NIB)."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="restrictions"
    )
    nik = models.CharField(max_length=16, blank=True)
    nib = models.CharField(max_length=13, blank=True)
    case = models.ForeignKey("ConflictCase", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pembatasan petugas")
        verbose_name_plural = _("pembatasan petugas")


class ConflictMatch(models.Model):
    """The applicant of a file matches an officer's register (or is the officer)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="conflict_matches"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflict_matches"
    )
    affiliation = models.ForeignKey(
        Affiliation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("alasan"), max_length=15, choices=MatchReason.choices)
    score = models.FloatField(default=1.0)
    detail = models.CharField(max_length=200, blank=True)
    found_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kecocokan register")
        verbose_name_plural = _("kecocokan register")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "officer", "reason"], name="conflict_match_once"
            )
        ]
        indexes = [models.Index(fields=["officer", "application"], name="match_officer_app")]

    def __str__(self) -> str:
        return f"{self.application} ~ {self.officer} ({self.reason})"


class ConflictNature(models.TextChoices):
    ACTUAL = "actual", _("Aktual (sudah terjadi)")
    POTENTIAL = "potential", _("Potensial (mungkin terjadi)")


class ConflictSource(models.TextChoices):
    FAMILY = "family", _("Hubungan keluarga atau afiliasi")
    BUSINESS = "business", _("Kepentingan usaha atau keuangan")
    PRESSURE = "pressure", _("Tekanan dari atasan atau pihak luar")
    GRATIFICATION = "gratification", _("Tawaran gratifikasi")
    DUAL_POST = "dual_post", _("Rangkap jabatan")
    OTHER = "other", _("Lainnya")


class PressureFrom(models.TextChoices):
    """Who presses, when the source of a conflict is pressure: the person named must never
    review, decide or see the case (``integrity.conflicts.services.cases.case_route``)."""

    SUPERVISOR = "supervisor", _("Atasan langsung saya")
    HEAD = "head", _("Kepala Dinas")
    OTHER = "other", _("Pihak lain (di luar garis atasan)")


class FileDeclaration(AppendOnlyModel):
    """An officer's declaration on one file: no conflict, or a conflict with its source."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="declarations"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="file_declarations"
    )
    declared_at = models.DateTimeField(default=timezone.now)
    stage = models.CharField(max_length=20)
    has_conflict = models.BooleanField(_("ada konflik kepentingan"))
    nature = models.CharField(_("sifat"), max_length=10, choices=ConflictNature.choices, blank=True)
    source = models.CharField(
        _("sumber"), max_length=15, choices=ConflictSource.choices, blank=True
    )
    pressure_from = models.CharField(
        _("tekanan dari"), max_length=12, choices=PressureFrom.choices, blank=True
    )
    related_party = models.CharField(_("pihak terkait"), max_length=200, blank=True)
    description = models.TextField(_("uraian"), blank=True)

    class Meta:
        verbose_name = _("pernyataan konflik kepentingan")
        verbose_name_plural = _("pernyataan konflik kepentingan")
        ordering = ["-declared_at", "-id"]
        indexes = [models.Index(fields=["application", "officer"], name="declaration_app_officer")]
        constraints = [
            # One "no conflict" per officer per file: a double click records it once.
            models.UniqueConstraint(
                fields=["application", "officer"],
                condition=models.Q(has_conflict=False),
                name="declaration_one_clear",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.officer}"
