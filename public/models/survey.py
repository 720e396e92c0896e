"""The public satisfaction survey (Survei Kepuasan Masyarakat, PermenPANRB 14/2017) with
integrity questions, and the bands of the integrity index.

When a file ends (issued or rejected) its applicant gets one single-use link through the
outbox. The answer scores the nine SKM elements from 1 to 4 and answers three integrity
questions. Answers are read by units only as aggregates (the IKM and the integrity index);
a "yes" to an integrity question raises a SURVEY flag that only the inspectorate sees.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords
from permits.models import OPD, Application, PermitType
from trail.models import AppendOnlyModel

# The nine SKM elements (PermenPANRB 14/2017), in the regulation's order, as
# (field, question, the four answers from 1 to 4).
ELEMENTS = (
    (
        "u1",
        _("Bagaimana kesesuaian persyaratan pelayanan dengan jenis pelayanannya?"),
        (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai")),
    ),
    (
        "u2",
        _("Bagaimana kemudahan prosedur pelayanan di unit ini?"),
        (_("Tidak mudah"), _("Kurang mudah"), _("Mudah"), _("Sangat mudah")),
    ),
    (
        "u3",
        _("Bagaimana kecepatan waktu dalam memberikan pelayanan?"),
        (_("Tidak cepat"), _("Kurang cepat"), _("Cepat"), _("Sangat cepat")),
    ),
    (
        "u4",
        _("Bagaimana kewajaran biaya/tarif dalam pelayanan?"),
        (_("Sangat mahal"), _("Cukup mahal"), _("Murah"), _("Gratis")),
    ),
    (
        "u5",
        _(
            "Bagaimana kesesuaian produk pelayanan antara yang tercantum dalam standar pelayanan "
            "dengan hasil yang diberikan?"
        ),
        (_("Tidak sesuai"), _("Kurang sesuai"), _("Sesuai"), _("Sangat sesuai")),
    ),
    (
        "u6",
        _("Bagaimana kompetensi/kemampuan petugas dalam pelayanan?"),
        (_("Tidak kompeten"), _("Kurang kompeten"), _("Kompeten"), _("Sangat kompeten")),
    ),
    (
        "u7",
        _("Bagaimana perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?"),
        (
            _("Tidak sopan dan ramah"),
            _("Kurang sopan dan ramah"),
            _("Sopan dan ramah"),
            _("Sangat sopan dan ramah"),
        ),
    ),
    (
        "u8",
        _("Bagaimana kualitas penanganan pengaduan, saran dan masukan?"),
        (
            _("Tidak ada"),
            _("Ada tetapi tidak berfungsi"),
            _("Berfungsi kurang maksimal"),
            _("Dikelola dengan baik"),
        ),
    ),
    (
        "u9",
        _("Bagaimana kualitas sarana dan prasarana?"),
        (_("Buruk"), _("Cukup"), _("Baik"), _("Sangat baik")),
    ),
)
ELEMENT_FIELDS = tuple(field for field, _question, _answers in ELEMENTS)

# The integrity questions: a "yes" to any of them reports a practice the office forbids.
INTEGRITY_QUESTIONS = (
    ("asked_money", _("Apakah Anda diminta membayar uang di luar retribusi resmi?")),
    ("offered_faster", _("Apakah Anda ditawari proses lebih cepat dengan imbalan?")),
    ("sent_to_intermediary", _("Apakah Anda diarahkan untuk memakai perantara (calo)?")),
)
INTEGRITY_FIELDS = tuple(field for field, _question in INTEGRITY_QUESTIONS)


class SurveyInvitation(models.Model):
    """One single-use survey link for one ended file; only the token's SHA-256 is kept."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="survey_invitation"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"survey {self.application_id}"


class SurveyResponse(AppendOnlyModel):
    """The answers about one file. Units never read a row, only aggregates."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="survey_response"
    )
    # Snapshots at answering time: the unit and type the answer is counted for.
    unit = models.ForeignKey(OPD, on_delete=models.PROTECT, related_name="+")
    permit_type = models.ForeignKey(PermitType, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(default=timezone.now)
    u1 = models.PositiveSmallIntegerField()
    u2 = models.PositiveSmallIntegerField()
    u3 = models.PositiveSmallIntegerField()
    u4 = models.PositiveSmallIntegerField()
    u5 = models.PositiveSmallIntegerField()
    u6 = models.PositiveSmallIntegerField()
    u7 = models.PositiveSmallIntegerField()
    u8 = models.PositiveSmallIntegerField()
    u9 = models.PositiveSmallIntegerField()
    asked_money = models.BooleanField()
    offered_faster = models.BooleanField()
    sent_to_intermediary = models.BooleanField()
    comment = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["unit", "answered_at"], name="survey_unit_time"),
            models.Index(fields=["permit_type", "answered_at"], name="survey_type_time"),
            models.Index(fields=["answered_at"], name="survey_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    **{f"{field}__gte": 1 for field in ELEMENT_FIELDS},
                    **{f"{field}__lte": 4 for field in ELEMENT_FIELDS},
                ),
                name="survey_scores_1_to_4",
            )
        ]

    @property
    def reports_integrity_breach(self) -> bool:
        return any(getattr(self, field) for field in INTEGRITY_FIELDS)


class IntegrityBand(models.Model):
    """A band of the integrity index (SPI-style): a score at or above ``lower`` and below
    the next band's lower bound falls in it. Data, edited in the admin."""

    code = models.SlugField(_("kode"), max_length=20, unique=True)
    label = models.CharField(_("nama"), max_length=50)
    lower = models.DecimalField(_("batas bawah"), max_digits=5, decimal_places=2, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["lower"]
        verbose_name = _("kategori indeks integritas")
        verbose_name_plural = _("kategori indeks integritas")

    def __str__(self) -> str:
        return f"{self.label} (≥ {self.lower})"
