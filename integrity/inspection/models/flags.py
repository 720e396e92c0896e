"""Red flags: what the rules in ``integrity.inspection.flags`` found in the event history.

- ``RuleSetting``: an administrator's switch, severity and parameters for one rule (the
  rule's code holds the defaults; a setting overrides them).
- ``Flag``: one finding of one rule, raised once per piece of evidence (``key`` is unique:
  the same evidence never raises two flags) and linked to the events that make it. An
  auditor dismisses it with a reason or turns it into a finding (temuan).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords
from core.moments import moment_text
from permits.models import Application, ApplicationEvent
from permits.models.records import AppendOnlyModel


class Severity(models.TextChoices):
    LOW = "low", _("Rendah")
    MEDIUM = "medium", _("Sedang")
    HIGH = "high", _("Tinggi")


SEVERITY_RANK = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3}


class RuleSetting(models.Model):
    """An administrator's settings for one red-flag rule (defaults live in the rule)."""

    code = models.CharField(_("kode aturan"), max_length=20, unique=True)
    enabled = models.BooleanField(_("aktif"), default=True)
    severity = models.CharField(
        _("tingkat"),
        max_length=10,
        choices=Severity.choices,
        blank=True,
        help_text=_("Kosongkan untuk memakai tingkat bawaan aturan."),
    )
    params = models.JSONField(
        _("parameter"),
        default=dict,
        blank=True,
        help_text=_("Hanya parameter yang diubah; sisanya memakai nilai bawaan aturan."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pengaturan aturan bendera merah")
        verbose_name_plural = _("pengaturan aturan bendera merah")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class FlagState(models.TextChoices):
    OPEN = "open", _("Belum ditelaah")
    DISMISSED = "dismissed", _("Diabaikan")
    FINDING = "finding", _("Menjadi temuan")


class Flag(models.Model):
    """One red flag on a file and/or an officer, with the events that raised it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    rule = models.CharField(_("aturan"), max_length=20)
    key = models.CharField(max_length=200, unique=True)
    severity = models.CharField(_("tingkat"), max_length=10, choices=Severity.choices)
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="flags",
        verbose_name=_("berkas"),
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="flags",
        verbose_name=_("petugas"),
    )
    detail = models.JSONField(default=dict, blank=True)
    evidence = models.ManyToManyField(
        ApplicationEvent, through="FlagEvidence", related_name="flags"
    )
    raised_at = models.DateTimeField(_("dimunculkan"), default=timezone.now)
    # When the evidence happened (the latest evidence event): what the period filter uses.
    occurred_at = models.DateTimeField(_("terjadi"), default=timezone.now)
    state = models.CharField(
        _("status"), max_length=10, choices=FlagState.choices, default=FlagState.OPEN
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    dismiss_reason = models.TextField(_("alasan diabaikan"), blank=True)
    finding = models.ForeignKey(
        "integrity.Finding",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="flags",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bendera merah")
        verbose_name_plural = _("bendera merah")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["state", "-occurred_at"], name="flag_queue"),
            models.Index(fields=["rule", "-occurred_at"], name="flag_rule"),
            models.Index(fields=["officer", "-occurred_at"], name="flag_officer"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.key}"

    @property
    def severity_label(self) -> str:
        return Severity(self.severity).label


class FlagVerdict(AppendOnlyModel):
    """An auditor's verdict on one flag, kept as a label the rules are judged by: a flag
    turned into a finding was right (``confirmed``), a dismissed one a false alarm. Written
    once, by ``flag_dismiss`` and ``finding_open``; the rule's code is copied so a label
    outlives a renamed or removed rule."""

    flag = models.OneToOneField(Flag, on_delete=models.PROTECT, related_name="verdict")
    rule = models.CharField(_("aturan"), max_length=20)
    confirmed = models.BooleanField(_("benar"))
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    judged_at = models.DateTimeField(_("ditelaah"), default=timezone.now)

    class Meta:
        verbose_name = _("telaah bendera merah")
        verbose_name_plural = _("telaah bendera merah")
        indexes = [models.Index(fields=["rule", "judged_at"], name="verdict_rule_at")]

    def __str__(self) -> str:
        return f"{self.rule} {'+' if self.confirmed else '-'}"


class FlagEvidence(models.Model):
    flag = models.ForeignKey(Flag, on_delete=models.CASCADE)
    event = models.ForeignKey(ApplicationEvent, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["flag", "event"], name="one_evidence_per_flag")
        ]

    def __str__(self) -> str:
        return f"{self.flag_id}:{self.event_id}"


class FlagBaseline(models.Model):
    """A cached baseline (see ``integrity.inspection.flags.baselines``), recomputed daily."""

    key = models.CharField(max_length=100, unique=True)
    value = models.JSONField()
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key


class FlagSweep(models.Model):
    """One run of the nightly sweep: which events it covered and what it raised."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    covered_from = models.DateTimeField(null=True, blank=True)
    covered_until = models.DateTimeField()
    events = models.PositiveIntegerField(default=0)
    raised = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("penyisiran bendera merah")
        verbose_name_plural = _("penyisiran bendera merah")

    def __str__(self) -> str:
        return f"{moment_text(self.started_at)}"
