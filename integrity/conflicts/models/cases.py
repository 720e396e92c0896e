"""The conflict case and the colleague's suspicion report.

- ``ConflictCase``: a declared or raised conflict, a state machine of its own: awaiting the
  direct supervisor's initial review (telaah awal), then the head of office's decision, then
  closed. The file is held from opening to closing.
- ``Suspicion``: a colleague's report that an officer has an undeclared conflict."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from core.history import HistoricalRecords
from integrity.conflicts.models.declarations import FileDeclaration
from permits.models import Application
from permits.models.records import AppendOnlyModel


class CaseState(models.TextChoices):
    REVIEW = "review", _("Menunggu telaah awal atasan")
    DECISION = "decision", _("Menunggu keputusan Kepala Dinas")
    CLOSED = "closed", _("Selesai")


class CaseOrigin(models.TextChoices):
    DECLARATION = "declaration", _("Pernyataan petugas")
    SUPERVISOR = "supervisor", _("Dibuka atasan")
    AUDITOR = "auditor", _("Dibuka Inspektorat")


class Measure(models.TextChoices):
    REASSIGN = "reassign", _("Alihkan berkas ke petugas lain")
    RESTRICT = "restrict", _("Batasi peran petugas: tidak menangani berkas pemohon ini")
    ESCALATE = "escalate", _("Teruskan ke Inspektorat")


class Decision(models.TextChoices):
    NO_CONFLICT = "no_conflict", _("Tidak ada konflik kepentingan")
    CONFLICT = "conflict", _("Ada konflik kepentingan")


class CaseRoute(models.TextChoices):
    """Who reviews and decides: the office (the direct supervisor, then the head), or the
    inspectorate when the head is the person the conflict names."""

    OFFICE = "office", _("Atasan dan Kepala Dinas")
    INSPECTORATE = "inspectorate", _("Inspektorat")


class ConflictCase(models.Model):
    """A conflict of interest on one file and one officer, from opening to decision."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="conflict_cases"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="conflict_cases",
        verbose_name=_("petugas yang bersangkutan"),
    )
    origin = models.CharField(_("asal"), max_length=12, choices=CaseOrigin.choices)
    declaration = models.ForeignKey(
        FileDeclaration, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    opening_note = models.TextField(_("uraian"), blank=True)
    # A superior the conflict is about (pressure from them): never reviews, decides or sees it.
    named = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("atasan yang disebut"),
    )
    route = models.CharField(
        _("ditangani oleh"), max_length=12, choices=CaseRoute.choices, default=CaseRoute.OFFICE
    )
    state = FSMField(default=CaseState.REVIEW, choices=CaseState.choices, protected=True)

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("penelaah"),
    )
    review_due = models.DateTimeField(_("batas telaah awal"))
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_conflict_real = models.BooleanField(_("konflik nyata"), null=True)
    review_impact = models.TextField(_("dampak"), blank=True)
    review_recommendation = models.CharField(
        _("rekomendasi"), max_length=12, choices=Measure.choices, blank=True
    )
    review_note = models.TextField(_("catatan telaah"), blank=True)

    decider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pemutus"),
    )
    decision_due = models.DateTimeField(_("batas keputusan"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(_("keputusan"), max_length=12, choices=Decision.choices, blank=True)
    measure = models.CharField(_("tindakan"), max_length=12, choices=Measure.choices, blank=True)
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)
    # When an overdue step was escalated (once per step): review to the head, decision to
    # the inspectorate.
    review_escalated_at = models.DateTimeField(null=True, blank=True)
    decision_escalated_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kasus konflik kepentingan")
        verbose_name_plural = _("kasus konflik kepentingan")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["state", "review_due"], name="case_state_due")]

    def __str__(self) -> str:
        return f"{self.application} · {self.officer} ({self.state})"

    @property
    def state_label(self) -> str:
        return CaseState(self.state).label

    @property
    def due(self) -> datetime.datetime | None:
        return {CaseState.REVIEW: self.review_due, CaseState.DECISION: self.decision_due}.get(
            self.state
        )

    @property
    def overdue(self) -> bool:
        return self.due is not None and timezone.now() > self.due

    @transition(field=state, source=CaseState.REVIEW, target=CaseState.DECISION)
    def review(self, *, by, at, real: bool, impact: str, recommendation: str, note: str, due):
        self.reviewer, self.reviewed_at = by, at
        self.review_conflict_real, self.review_impact = real, impact
        self.review_recommendation, self.review_note = recommendation, note
        self.decision_due = due

    @transition(field=state, source=CaseState.DECISION, target=CaseState.CLOSED)
    def decide(self, *, by, at, decision: str, measure: str, reason: str):
        self.decider, self.decided_at = by, at
        self.decision, self.measure, self.decision_reason = decision, measure, reason


# --- a suspicion reported by a colleague ------------------------------------------------


class SuspicionRoute(models.TextChoices):
    SUPERVISOR = "supervisor", _("Atasan petugas yang bersangkutan")
    INSPECTORATE = "inspectorate", _("Inspektorat")


class Suspicion(AppendOnlyModel):
    """A colleague's report of a suspected conflict on a file they do not hold: it holds
    nothing; the supervisor it goes to (or the inspectorate) may open a case with a hold.
    The officer it is about never sees it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="suspicions"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("petugas yang diduga"),
    )
    route = models.CharField(_("dilaporkan kepada"), max_length=12, choices=SuspicionRoute.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("penerima"),
    )
    description = models.TextField(_("uraian dugaan"))
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("laporan dugaan konflik kepentingan")
        verbose_name_plural = _("laporan dugaan konflik kepentingan")
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.application} · {self.reported_at:%Y-%m-%d}"
