"""The permit catalogue: the units (OPD) and the 81 permit types with their requirements.

The catalogue is data, not code: ``permits/catalogue/catalogue.json`` is loaded by
``manage.py load_catalogue`` and edited afterwards in the admin.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords


class BilingualNameMixin:
    """``name`` in the language of the current request (Indonesian unless English)."""

    name_id: str
    name_en: str

    @property
    def name(self) -> str:
        if (get_language() or "id").startswith("en") and self.name_en:
            return self.name_en
        return self.name_id

    def __str__(self) -> str:
        return self.name


class OPD(BilingualNameMixin, models.Model):
    """A regional agency (organisasi perangkat daerah), or the DPMPTSP itself."""

    code = models.SlugField(_("kode"), max_length=20, unique=True)
    name_id = models.CharField(_("nama (Indonesia)"), max_length=200)
    name_en = models.CharField(_("nama (Inggris)"), max_length=200, blank=True)
    active = models.BooleanField(_("aktif"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name_id"]
        verbose_name = _("OPD")
        verbose_name_plural = _("OPD")


class PermitFamily(models.TextChoices):
    """Permit types that share a permit-document template."""

    HEALTH_PRACTICE = "health_practice", _("Izin praktik tenaga kesehatan")
    HEALTH_FACILITY = "health_facility", _("Fasilitas kesehatan")
    BUILDING = "building", _("Bangunan gedung dan tata ruang")
    ENVIRONMENT = "environment", _("Lingkungan hidup")
    TRANSPORT = "transport", _("Perhubungan")
    ADVERTISING = "advertising", _("Reklame")
    TOURISM = "tourism", _("Pariwisata")
    EDUCATION = "education", _("Pendidikan")
    RESEARCH = "research", _("Penelitian")
    TRADE = "trade", _("Perdagangan dan industri")
    FISHERIES = "fisheries", _("Perikanan")
    AGRICULTURE = "agriculture", _("Pertanian dan peternakan")
    MANPOWER = "manpower", _("Ketenagakerjaan")
    SOCIAL = "social", _("Sosial")


class SopUnit(models.TextChoices):
    DAYS = "days", _("hari kerja")
    HOURS = "hours", _("jam kerja")


def validate_number_pattern(pattern: str) -> None:
    try:
        sample = pattern.format(seq=1, opd="OPD", year=2026)
    except (KeyError, IndexError, ValueError) as exc:
        raise ValidationError(_("Pola nomor hanya boleh memakai {seq}, {opd} dan {year}.")) from exc
    if "{seq" not in pattern or "{year" not in pattern or "2026" not in sample:
        raise ValidationError(_("Pola nomor harus memuat {seq} dan {year}."))


class PermitType(BilingualNameMixin, models.Model):
    code = models.CharField(_("kode"), max_length=30, unique=True)
    name_id = models.CharField(_("nama (Indonesia)"), max_length=255)
    name_en = models.CharField(_("nama (Inggris)"), max_length=255, blank=True)
    opd = models.ForeignKey(
        OPD,
        verbose_name=_("OPD penanggung jawab"),
        on_delete=models.PROTECT,
        related_name="permit_types",
    )
    family = models.CharField(_("kelompok"), max_length=30, choices=PermitFamily.choices)
    sop_duration = models.PositiveSmallIntegerField(_("waktu SOP"))
    sop_unit = models.CharField(
        _("satuan waktu SOP"), max_length=5, choices=SopUnit.choices, default=SopUnit.DAYS
    )
    # The completeness check before the SOP clock starts has its own deadline (permits.sla).
    check_duration = models.PositiveSmallIntegerField(
        _("waktu pemeriksaan kelengkapan (hari kerja)"),
        default=1,
        help_text=_(
            "Batas waktu petugas loket memeriksa kelengkapan berkas sejak diajukan atau "
            "diajukan kembali, sebelum waktu SOP berjalan."
        ),
    )
    fee = models.PositiveBigIntegerField(_("retribusi (Rp)"), default=0)
    needs_technical_review = models.BooleanField(_("perlu kajian teknis"), default=True)
    needs_inspection = models.BooleanField(_("perlu peninjauan lapangan"), default=False)
    inspection_checklist = models.JSONField(
        _("butir periksa peninjauan lapangan"),
        default=list,
        blank=True,
        help_text=_(
            "Daftar butir yang diperiksa tim di lokasi, satu teks per butir. Kosong: butir "
            "umum (lokasi, bangunan, sarana, lingkungan)."
        ),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("masa berlaku (bulan)"),
        null=True,
        blank=True,
        help_text=_("Kosongkan bila berlaku selama kegiatan berjalan."),
    )
    legal_basis = models.TextField(_("dasar hukum"))
    number_pattern = models.CharField(
        _("pola nomor izin"),
        max_length=100,
        validators=[validate_number_pattern],
        help_text=_("Contoh: 503/{seq:04d}/{opd}/{year}"),
    )
    search_terms = models.TextField(
        _("kata pencarian lain"),
        blank=True,
        help_text=_(
            "Satu per baris: nama lama, singkatan dan kata sehari-hari yang dipakai orang "
            "untuk izin ini (misalnya IMB, bangun rumah, building permit)."
        ),
    )
    active = models.BooleanField(_("aktif"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["opd__name_id", "name_id"]
        verbose_name = _("jenis izin")
        verbose_name_plural = _("jenis izin")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sop_duration__gt=0), name="permittype_sop_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(check_duration__gt=0),
                name="permittype_check_positive",
                violation_error_message=_("Waktu pemeriksaan kelengkapan minimal 1 hari kerja."),
            ),
            # Each type counts its own permits: two types sharing a pattern would print the
            # same number twice.
            models.UniqueConstraint(
                fields=["number_pattern"],
                name="permittype_number_pattern_unique",
                violation_error_message=_("Pola nomor ini sudah dipakai jenis izin lain."),
            ),
        ]

    @property
    def search_term_list(self) -> list[str]:
        return [line.strip() for line in self.search_terms.splitlines() if line.strip()]

    @property
    def is_free(self) -> bool:
        return self.fee == 0

    @property
    def sop_label(self) -> str:
        """The SOP promise in words: "3 hari kerja", "4 jam kerja"."""
        n = self.sop_duration
        if self.sop_unit == SopUnit.HOURS:
            return ngettext("%(n)d jam kerja", "%(n)d jam kerja", n) % {"n": n}
        return ngettext("%(n)d hari kerja", "%(n)d hari kerja", n) % {"n": n}

    @property
    def sop_duration_delta(self) -> datetime.timedelta | None:
        """The SOP as working time, for types measured in hours (None for days)."""
        if self.sop_unit == SopUnit.HOURS:
            return datetime.timedelta(hours=self.sop_duration)
        return None

    def sop_deadline(self, start: datetime.datetime, calendar) -> datetime.datetime:
        """When the SOP promises the permit, for a file declared complete at ``start``."""
        if self.sop_unit == SopUnit.HOURS:
            return calendar.add_working_time(start, self.sop_duration_delta)
        return calendar.add_working_days(start, self.sop_duration)

    def check_deadline(self, start: datetime.datetime, calendar) -> datetime.datetime:
        """When the completeness check of a file queued at ``start`` is due."""
        return calendar.add_working_days(start, self.check_duration)


class SearchNote(models.Model):
    """What the home page's search says to someone looking for a permit that no longer
    exists or is not issued here ("SIUP" → the NIB, through OSS), shown above the results
    when the query is one of its terms."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    terms = models.TextField(_("kata pencarian"), help_text=_("Satu per baris."))
    text_id = models.TextField(_("keterangan (Indonesia)"))
    text_en = models.TextField(_("keterangan (Inggris)"), blank=True)
    active = models.BooleanField(_("aktif"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("keterangan pencarian")
        verbose_name_plural = _("keterangan pencarian")

    def __str__(self) -> str:
        return self.code

    @property
    def term_list(self) -> list[str]:
        return [line.strip() for line in self.terms.splitlines() if line.strip()]

    @property
    def text(self) -> str:
        if (get_language() or "id").startswith("en") and self.text_en:
            return self.text_en
        return self.text_id


class Requirement(BilingualNameMixin, models.Model):
    """One document an applicant must (or may) hand in for a permit type (persyaratan)."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        JPG = "jpg", "JPEG"
        PNG = "png", "PNG"

    permit_type = models.ForeignKey(
        PermitType,
        on_delete=models.CASCADE,
        related_name="requirements",
        verbose_name=_("jenis izin"),
    )
    code = models.CharField(_("kode"), max_length=40)
    name_id = models.CharField(_("nama dokumen (Indonesia)"), max_length=255)
    name_en = models.CharField(_("nama dokumen (Inggris)"), max_length=255, blank=True)
    mandatory = models.BooleanField(_("wajib"), default=True)
    formats = models.JSONField(_("format yang diterima"), default=list)
    max_size_kb = models.PositiveIntegerField(_("ukuran maksimum (KB)"), default=2048)
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    active = models.BooleanField(_("aktif"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["permit_type", "position"]
        verbose_name = _("persyaratan")
        verbose_name_plural = _("persyaratan")
        constraints = [
            models.UniqueConstraint(
                fields=["permit_type", "code"], name="requirement_code_unique_per_type"
            ),
        ]

    def clean(self) -> None:
        allowed = set(self.Format.values)
        if not self.formats or not set(self.formats) <= allowed:
            raise ValidationError({"formats": _("Pilih satu atau lebih dari: pdf, jpg, png.")})
