"""What each permit type asks about the thing it permits, as data: its fields
(``PermitField``, edited in the admin and loaded from the catalogue file) and the frozen
versions of them (``FormVersion``) a file is made with and keeps."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords
from permits.details.spec import COMMON, FieldKind, field_errors
from permits.models.catalogue import PermitType


class PermitField(models.Model):
    """One field of a type's application form. The kind's own settings (unit, limits,
    pattern, choices, a list's columns) are in ``options``, checked by
    ``permits.details.spec``."""

    permit_type = models.ForeignKey(
        PermitType,
        on_delete=models.CASCADE,
        related_name="form_fields",
        verbose_name=_("jenis izin"),
    )
    key = models.SlugField(_("kunci"), max_length=40)
    kind = models.CharField(_("jenis isian"), max_length=10, choices=FieldKind.choices)
    label_id = models.CharField(_("label (Indonesia)"), max_length=200)
    label_en = models.CharField(_("label (Inggris)"), max_length=200)
    help_id = models.CharField(_("petunjuk (Indonesia)"), max_length=300, blank=True)
    help_en = models.CharField(_("petunjuk (Inggris)"), max_length=300, blank=True)
    required = models.BooleanField(_("wajib"), default=True)
    printed = models.BooleanField(_("dicetak pada izin"), default=False)
    public = models.BooleanField(
        _("publik"),
        default=False,
        help_text=_("Tampil di daftar izin terbit dan halaman verifikasi: bukan data pribadi."),
    )
    options = models.JSONField(
        _("pengaturan"),
        default=dict,
        blank=True,
        help_text=_(
            "Menurut jenis isian: unit_id/unit_en, min, max, integer (angka); max_length, "
            "multiline, pattern dengan pattern_message_id/_en dan example (teks); "
            "choices (pilihan); columns, min_rows, max_rows (daftar baris)."
        ),
    )
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    active = models.BooleanField(_("aktif"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["permit_type", "position"]
        verbose_name = _("isian permohonan")
        verbose_name_plural = _("isian permohonan")
        constraints = [
            models.UniqueConstraint(fields=["permit_type", "key"], name="permitfield_key_per_type"),
        ]

    def __str__(self) -> str:
        return self.key

    def as_spec(self) -> dict:
        spec = {name: getattr(self, name) for name in sorted(COMMON)}
        if not spec["help_id"]:
            del spec["help_id"], spec["help_en"]
        return spec | (self.options or {})

    def clean(self) -> None:
        if not isinstance(self.options, dict):
            raise ValidationError({"options": _("Pengaturan berupa objek JSON.")})
        errors = field_errors(self.as_spec())
        if errors:
            raise ValidationError({"options": errors})


class FormVersion(models.Model):
    """A type's fields as they stood at one time, frozen: a file states its details against
    the version it was made with, so a later change of the form never invalidates it."""

    permit_type = models.ForeignKey(
        PermitType,
        on_delete=models.PROTECT,
        related_name="form_versions",
        verbose_name=_("jenis izin"),
    )
    number = models.PositiveIntegerField(_("versi"))
    spec = models.JSONField(_("isian"), default=list)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["permit_type", "-number"]
        verbose_name = _("versi formulir")
        verbose_name_plural = _("versi formulir")
        constraints = [
            models.UniqueConstraint(
                fields=["permit_type", "number"], name="formversion_number_per_type"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.permit_type_id} v{self.number}"
