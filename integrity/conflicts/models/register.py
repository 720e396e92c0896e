"""The staff's register of affiliations (PermenPANRB 17/2024, "konflik kepentingan"):
``AffiliationDeclaration`` and ``Affiliation``, one officer's register, one version per
declaration; every version is kept (written once, never edited)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from permits.models.records import AppendOnlyModel


class AffiliationDeclaration(AppendOnlyModel):
    """One version of an officer's register; the newest is the one in force."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="affiliation_declarations",
        verbose_name=_("petugas"),
    )
    version = models.PositiveIntegerField(_("versi"))
    declared_at = models.DateTimeField(_("dinyatakan pada"), default=timezone.now)
    renew_by = models.DateField(_("perbarui paling lambat"))
    note = models.TextField(_("catatan"), blank=True)
    nothing_to_declare = models.BooleanField(_("tidak ada yang perlu dinyatakan"), default=False)

    class Meta:
        verbose_name = _("deklarasi afiliasi")
        verbose_name_plural = _("deklarasi afiliasi")
        ordering = ["officer", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "version"], name="affiliation_version")
        ]

    def __str__(self) -> str:
        return f"{self.officer} v{self.version}"

    @property
    def overdue(self) -> bool:
        return timezone.localdate() > self.renew_by


class AffiliationKind(models.TextChoices):
    RELATIVE = "relative", _("Keluarga")
    BUSINESS = "business", _("Usaha")
    ORGANISATION = "organisation", _("Organisasi")
    POST = "post", _("Jabatan di luar dinas")


class Relationship(models.TextChoices):
    SPOUSE = "spouse", _("Suami/istri")
    CHILD = "child", _("Anak")
    PARENT = "parent", _("Orang tua")
    SIBLING = "sibling", _("Saudara kandung")
    IN_LAW = "in_law", _("Mertua/ipar/menantu")
    OTHER = "other", _("Lainnya")


class AffiliationRole(models.TextChoices):
    OWNER = "owner", _("Pemilik/pemegang saham")
    EMPLOYEE = "employee", _("Bekerja di sana")
    ADVISOR = "advisor", _("Penasihat/konsultan")
    BOARD = "board", _("Pengurus/komisaris")
    MEMBER = "member", _("Anggota")


class Affiliation(AppendOnlyModel):
    """One relative, business, organisation or outside post of a declaration."""

    declaration = models.ForeignKey(
        AffiliationDeclaration, on_delete=models.PROTECT, related_name="items"
    )
    kind = models.CharField(_("jenis"), max_length=15, choices=AffiliationKind.choices)
    name = models.CharField(_("nama"), max_length=200)
    relationship = models.CharField(
        _("hubungan"), max_length=10, choices=Relationship.choices, blank=True
    )
    role = models.CharField(_("peran"), max_length=10, choices=AffiliationRole.choices, blank=True)
    nik = models.CharField(_("NIK (bila tahu)"), max_length=16, blank=True)
    nib = models.CharField(_("NIB (bila ada)"), max_length=13, blank=True)
    npwp = models.CharField(_("NPWP (bila ada)"), max_length=20, blank=True)
    address = models.CharField(_("alamat"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("afiliasi")
        verbose_name_plural = _("afiliasi")

    def __str__(self) -> str:
        return self.name
