"""Technical team recommendations (tim teknis, issue 22.1).

A permit type names the agencies (OPD) whose recommendation it needs (``TypeRecommender``,
data the administrator edits beside the type). When a file of that type reaches technical
review, each agency gets its own task (``Recommendation``) at once, in parallel, due after
its share of the SOP time. An officer of the agency drafts the answer; a supervisor of the
same agency signs it off, and only then does it count. The file leaves technical review
only when every agency has answered (``Application.finish_review``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords
from permits.models.application import Application
from permits.models.catalogue import OPD, PermitType, SopUnit


class TypeRecommender(models.Model):
    """A permit type needs this agency's recommendation, within ``working_days``."""

    permit_type = models.ForeignKey(
        PermitType,
        on_delete=models.CASCADE,
        related_name="recommenders",
        verbose_name=_("jenis izin"),
    )
    opd = models.ForeignKey(
        OPD, on_delete=models.PROTECT, related_name="+", verbose_name=_("OPD pemberi rekomendasi")
    )
    working_days = models.PositiveSmallIntegerField(
        _("waktu rekomendasi (hari kerja)"),
        help_text=_("Bagian waktu SOP untuk rekomendasi ini, dihitung sejak kajian teknis."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("OPD pemberi rekomendasi")
        verbose_name_plural = _("OPD pemberi rekomendasi")
        constraints = [
            models.UniqueConstraint(fields=["permit_type", "opd"], name="type_recommender_once")
        ]

    def __str__(self) -> str:
        return f"{self.permit_type_id}: {self.opd}"

    def clean(self) -> None:
        if self.working_days is None:
            return
        if self.working_days < 1:
            raise ValidationError({"working_days": _("Sekurang-kurangnya 1 hari kerja.")})
        if self.permit_type_id is None:
            return
        permit_type = self.permit_type
        if permit_type.opd_id == self.opd_id:
            raise ValidationError({"opd": _("OPD penanggung jawab jenis izin ini sendiri.")})
        problem = recommendation_time_problem(permit_type, self.working_days)
        if problem:
            raise ValidationError({"working_days": problem})


# What the SOP must still hold once every agency has answered: the approval and the
# signature take at least a working day between them.
DAYS_AFTER_RECOMMENDATIONS = 1


def recommendation_time_problem(permit_type: PermitType, working_days: int) -> str:
    """Why an agency's share of ``working_days`` does not fit the type's SOP beside its
    other stages, or "" when it fits. The agencies answer in parallel, so each share is
    weighed alone: the completeness check before it, the approval and signature after."""
    if permit_type.sop_unit != SopUnit.DAYS:
        return _(
            "Jenis izin dengan SOP dalam jam kerja tidak dapat menunggu rekomendasi "
            "yang dihitung dalam hari kerja."
        )
    if working_days > permit_type.sop_duration:
        return _("Tidak boleh melebihi waktu SOP jenis izin ini (%(days)d hari kerja).") % {
            "days": permit_type.sop_duration
        }
    needed = permit_type.check_duration + working_days + DAYS_AFTER_RECOMMENDATIONS
    if needed > permit_type.sop_duration:
        return _(
            "Pemeriksaan kelengkapan (%(check)d) ditambah rekomendasi (%(days)d) harus "
            "menyisakan %(after)d hari kerja untuk persetujuan dan penandatanganan dalam "
            "waktu SOP (%(sop)d hari kerja). Paling lama %(most)d hari kerja."
        ) % {
            "check": permit_type.check_duration,
            "days": working_days,
            "after": DAYS_AFTER_RECOMMENDATIONS,
            "sop": permit_type.sop_duration,
            "most": max(
                permit_type.sop_duration - permit_type.check_duration - DAYS_AFTER_RECOMMENDATIONS,
                0,
            ),
        }
    return ""


class Verdict(models.TextChoices):
    RECOMMEND = "recommend", _("Merekomendasikan")
    WITH_CONDITIONS = "conditions", _("Merekomendasikan dengan syarat")
    NOT_RECOMMENDED = "not_recommended", _("Tidak merekomendasikan")


class Recommendation(models.Model):
    """One agency's recommendation on one file: requested, drafted by an officer of the
    agency, signed off by a supervisor of the agency."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("berkas"),
    )
    opd = models.ForeignKey(OPD, on_delete=models.PROTECT, related_name="+", verbose_name=_("OPD"))
    requested_at = models.DateTimeField(_("diminta"), default=timezone.now)
    due_at = models.DateTimeField(_("batas waktu"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendation_tasks",
        verbose_name=_("petugas"),
    )
    verdict = models.CharField(_("rekomendasi"), max_length=20, choices=Verdict.choices, blank=True)
    conditions = models.TextField(_("syarat"), blank=True)
    reasons = models.TextField(_("alasan"), blank=True)
    legal_basis = models.TextField(_("dasar hukum"), blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("disusun oleh"),
    )
    drafted_at = models.DateTimeField(_("disusun"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("disahkan oleh"),
    )
    signed_at = models.DateTimeField(_("disahkan"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("dilaporkan terlambat"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rekomendasi teknis")
        verbose_name_plural = _("rekomendasi teknis")
        constraints = [
            models.UniqueConstraint(fields=["application", "opd"], name="recommendation_once")
        ]
        indexes = [
            # Late ones still unanswered, for the escalation sweep.
            models.Index(fields=["signed_at", "due_at"], name="recommendation_due"),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.opd}"

    @property
    def answered(self) -> bool:
        return self.signed_at is not None

    @property
    def late(self) -> bool:
        """Still unanswered past its due time."""
        return not self.answered and self.due_at < timezone.now()

    @property
    def dissents(self) -> bool:
        return self.answered and self.verdict == Verdict.NOT_RECOMMENDED
