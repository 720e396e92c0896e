"""The regency's places: its kecamatan and desa/kelurahan with their official codes (the
Ministry of Home Affairs' ``kode wilayah``: ``33.99.01`` a kecamatan, ``33.99.01.2001`` a desa,
``1xxx`` a kelurahan) and its outline, so that an address names a real place and a map
point falls inside the regency.

Data, not code: ``places/data/places.json`` is loaded by ``manage.py load_catalogue`` and
edited afterwards in the admin; a place that disappears from the file is deactivated, never
deleted, because files refer to it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords

KECAMATAN_CODE = RegexValidator(
    r"^\d{2}\.\d{2}\.\d{2}$", _("Kode kecamatan berbentuk 33.99.01 (kode wilayah Kemendagri).")
)
DESA_CODE = RegexValidator(
    r"^\d{2}\.\d{2}\.\d{2}\.[12]\d{3}$",
    _("Kode desa/kelurahan berbentuk 33.99.01.2001 (kelurahan 1xxx, desa 2xxx)."),
)


def validate_outline(value) -> None:
    """A closed ring of at least three [latitude, longitude] points."""
    ok = isinstance(value, list) and len(value) >= 3
    for point in value if ok else ():
        ok = ok and isinstance(point, list) and len(point) == 2
        ok = ok and all(isinstance(x, int | float) for x in point)
        ok = ok and -90 <= point[0] <= 90 and -180 <= point[1] <= 180
    if not ok:
        raise ValidationError(
            _("Batas wilayah: daftar minimal tiga titik [lintang, bujur] dalam derajat.")
        )


class Regency(models.Model):
    """The regency (kabupaten/kota) the office serves: one row."""

    code = models.CharField(
        _("kode"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^\d{2}\.\d{2}$", _("Kode kabupaten berbentuk 33.99."))],
    )
    name = models.CharField(_("nama"), max_length=100)
    outline = models.JSONField(
        _("batas wilayah"),
        validators=[validate_outline],
        help_text=_("Titik-titik [lintang, bujur] batas kabupaten, berurutan mengelilinginya."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kabupaten")
        verbose_name_plural = _("kabupaten")

    def __str__(self) -> str:
        return self.name


class Kecamatan(models.Model):
    code = models.CharField(_("kode"), max_length=8, unique=True, validators=[KECAMATAN_CODE])
    name = models.CharField(_("nama"), max_length=100)
    active = models.BooleanField(_("aktif"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    def __str__(self) -> str:
        return self.name


class Desa(models.Model):
    """A desa (village) or kelurahan (urban ward): the code tells which."""

    code = models.CharField(_("kode"), max_length=13, unique=True, validators=[DESA_CODE])
    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, related_name="desa", verbose_name=_("kecamatan")
    )
    name = models.CharField(_("nama"), max_length=100)
    active = models.BooleanField(_("aktif"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kecamatan__name", "name"]
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = _("desa/kelurahan")

    def __str__(self) -> str:
        return self.label

    @property
    def is_kelurahan(self) -> bool:
        return self.code.rsplit(".", 1)[-1].startswith("1")

    @property
    def label(self) -> str:
        kind = _("Kelurahan") if self.is_kelurahan else _("Desa")
        return f"{kind} {self.name}"

    def clean(self) -> None:
        if self.kecamatan_id and not self.code.startswith(self.kecamatan.code + "."):
            raise ValidationError({"code": _("Kode desa harus diawali kode kecamatannya.")})
