"""The field inspection of a file (peninjauan lapangan, issue 22.2): an appointment agreed
with the applicant, visited by a team of at least two officers.

The file's holder in the inspection stage leads the visit: they propose a date and time;
the applicant confirms it or asks for another (in their account, or by telephone to the
office, recorded by the lead); the lead then proposes again or takes the applicant's time.
The team is drawn when the first appointment is proposed (``permits.services.site_visits``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords
from permits.models.application import Application


class VisitStatus(models.TextChoices):
    PROPOSED = "proposed", _("Menunggu konfirmasi pemohon")
    MOVE_ASKED = "move_asked", _("Pemohon meminta jadwal lain")
    CONFIRMED = "confirmed", _("Jadwal disepakati")
    REPORTED = "reported", _("Berita acara menunggu tanda tangan")
    SIGNED = "signed", _("Berita acara ditandatangani")
    CANCELLED = "cancelled", _("Dibatalkan")


# The statuses of a visit not finished yet: a file has at most one.
OPEN_VISIT_STATUSES = (
    VisitStatus.PROPOSED,
    VisitStatus.MOVE_ASKED,
    VisitStatus.CONFIRMED,
    VisitStatus.REPORTED,
)


class FindingResult(models.TextChoices):
    MATCHES = "matches", _("Sesuai")
    DIFFERS = "differs", _("Tidak sesuai")
    NOT_APPLICABLE = "na", _("Tidak berlaku")


class Conclusion(models.TextChoices):
    MATCHES = "matches", _("Lokasi dan kegiatan sesuai dengan permohonan")
    WITH_NOTES = "with_notes", _("Sesuai, dengan catatan")
    DIFFERS = "differs", _("Tidak sesuai dengan permohonan")


class ApplicantSignature(models.TextChoices):
    ACCOUNT = "account", _("di akun pemohon")
    ON_SITE = "on_site", _("di lokasi, di hadapan tim")


# What a visit checks when its permit type names nothing else (``PermitType.
# inspection_checklist``): the place, what stands there, and around it.
DEFAULT_CHECKLIST = (
    _("Lokasi sesuai dengan alamat dan titik peta dalam permohonan"),
    _("Bangunan atau tempat usaha sesuai dengan data dan gambar yang diajukan"),
    _("Sarana dan prasarana yang dipersyaratkan tersedia"),
    _("Lingkungan sekitar (akses jalan, tetangga, saluran air) tidak terganggu"),
)


class AnswerChannel(models.TextChoices):
    ACCOUNT = "account", _("akun pemohon")
    TELEPHONE = "telephone", _("telepon")
    IN_PERSON = "in_person", _("datang langsung")


class SiteVisit(models.Model):
    """One visit to the site of a file: when, where, who goes, and what the applicant said."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="site_visits",
        verbose_name=_("berkas"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=VisitStatus.choices, default=VisitStatus.PROPOSED
    )
    appointment_at = models.DateTimeField(_("jadwal peninjauan"))
    address = models.TextField(_("alamat lokasi"))
    site_lat = models.FloatField(_("lintang lokasi"), null=True, blank=True)
    site_lon = models.FloatField(_("bujur lokasi"), null=True, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="site_visits_led",
        verbose_name=_("ketua tim"),
    )
    proposed_at = models.DateTimeField(_("diusulkan"))
    proposals = models.PositiveSmallIntegerField(_("jumlah usulan jadwal"), default=1)
    note = models.TextField(_("catatan untuk pemohon"), blank=True)
    answered_at = models.DateTimeField(_("dijawab"), null=True, blank=True)
    answer_channel = models.CharField(
        _("dijawab lewat"), max_length=20, choices=AnswerChannel.choices, blank=True
    )
    wished_at = models.DateTimeField(_("jadwal yang diminta pemohon"), null=True, blank=True)
    answer_note = models.TextField(_("catatan pemohon"), blank=True)
    # The report (berita acara), written by the lead after the visit.
    reported_at = models.DateTimeField(_("berita acara ditulis"), null=True, blank=True)
    conclusion = models.CharField(
        _("kesimpulan"), max_length=20, choices=Conclusion.choices, blank=True
    )
    summary = models.TextField(_("uraian hasil peninjauan"), blank=True)
    applicant_signed_at = models.DateTimeField(_("ditandatangani pemohon"), null=True, blank=True)
    applicant_signer = models.CharField(
        _("penanda tangan pihak pemohon"), max_length=150, blank=True
    )
    applicant_signed_how = models.CharField(
        _("cara tanda tangan pemohon"),
        max_length=20,
        choices=ApplicantSignature.choices,
        blank=True,
    )
    applicant_objection = models.TextField(_("keberatan pemohon"), blank=True)
    signed_at = models.DateTimeField(_("ditandatangani lengkap"), null=True, blank=True)
    report_pdf = models.FileField(max_length=200, blank=True, editable=False)
    report_sha256 = models.CharField(max_length=64, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("peninjauan lapangan")
        verbose_name_plural = _("peninjauan lapangan")
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(status__in=OPEN_VISIT_STATUSES),
                name="site_visit_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_VISIT_STATUSES


class SiteVisitMember(models.Model):
    """An officer on a visit's team (the lead is one of them)."""

    visit = models.ForeignKey(
        SiteVisit, on_delete=models.CASCADE, related_name="members", verbose_name=_("peninjauan")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="site_visit_seats",
        verbose_name=_("petugas"),
    )
    position = models.PositiveSmallIntegerField(_("urutan"), default=1)
    signed_at = models.DateTimeField(_("menandatangani"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("anggota tim peninjauan")
        verbose_name_plural = _("anggota tim peninjauan")
        constraints = [
            models.UniqueConstraint(fields=["visit", "officer"], name="site_visit_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.visit_id}: {self.officer}"


class SiteVisitFinding(models.Model):
    """One checklist item of a visit's report, as the team found it."""

    visit = models.ForeignKey(
        SiteVisit, on_delete=models.CASCADE, related_name="findings", verbose_name=_("peninjauan")
    )
    position = models.PositiveSmallIntegerField(_("urutan"))
    item = models.CharField(_("butir periksa"), max_length=300)
    result = models.CharField(_("hasil"), max_length=10, choices=FindingResult.choices)
    note = models.TextField(_("catatan"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position"]
        verbose_name = _("hasil butir periksa")
        verbose_name_plural = _("hasil butir periksa")
        constraints = [
            models.UniqueConstraint(fields=["visit", "position"], name="site_visit_finding_once")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_result_display()}"


class PhotoSource(models.TextChoices):
    EXIF = "exif", _("data foto (EXIF)")
    BROWSER = "browser", _("peramban ponsel")
    UPLOAD = "upload", _("waktu unggah")
    NONE = "", _("tidak diketahui")


class SiteVisitPhoto(models.Model):
    """A photo taken on a visit, with where and when it was taken (read from the photo's
    own data, else from the phone's browser) and how that compares with the site and the
    appointment."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    visit = models.ForeignKey(
        SiteVisit, on_delete=models.PROTECT, related_name="photos", verbose_name=_("peninjauan")
    )
    image = models.FileField(_("foto"), max_length=200)
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=40)
    caption = models.CharField(_("keterangan"), max_length=200, blank=True)
    taken_at = models.DateTimeField(_("waktu pengambilan"), null=True, blank=True)
    time_source = models.CharField(
        _("sumber waktu"), max_length=10, choices=PhotoSource.choices, blank=True
    )
    lat = models.FloatField(_("lintang"), null=True, blank=True)
    lon = models.FloatField(_("bujur"), null=True, blank=True)
    accuracy_m = models.FloatField(_("ketelitian (m)"), null=True, blank=True)
    place_source = models.CharField(
        _("sumber lokasi"), max_length=10, choices=PhotoSource.choices, blank=True
    )
    distance_m = models.FloatField(_("jarak dari titik lokasi (m)"), null=True, blank=True)
    place_mismatch = models.BooleanField(_("lokasi tidak cocok"), default=False)
    time_mismatch = models.BooleanField(_("waktu tidak cocok"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("diunggah oleh"),
    )
    uploaded_at = models.DateTimeField(_("diunggah"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("foto peninjauan")
        verbose_name_plural = _("foto peninjauan")

    def __str__(self) -> str:
        return f"{self.visit_id}: {self.caption or self.public_id}"
