"""What a file holds: requirement checks, document versions, its event log, number sequences."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from core.history import HistoricalRecords
from core.moments import moment_text
from permits.models.application import Application
from permits.models.catalogue import Requirement
from permits.models.stages import Stage
from trail.models import AppendOnlyModel


class CheckStatus(models.TextChoices):
    PENDING = "pending", _("Belum diperiksa")
    OK = "ok", _("Sesuai")
    MISSING = "missing", _("Belum ada")
    INVALID = "invalid", _("Tidak sah")


class RequirementCheck(models.Model):
    """The verdict on one requirement of one file (one row per requirement of its type)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="checks")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=CheckStatus.choices, default=CheckStatus.PENDING
    )
    note = models.TextField(_("catatan"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["requirement__position"]
        verbose_name = _("pemeriksaan persyaratan")
        verbose_name_plural = _("pemeriksaan persyaratan")
        constraints = [
            models.UniqueConstraint(fields=["application", "requirement"], name="one_check_per_req")
        ]

    def __str__(self) -> str:
        return f"{self.requirement.code}: {self.get_status_display()}"


class DataStatus(models.TextChoices):
    PENDING = "pending", _("Belum diperiksa")
    OK = "ok", _("Benar")
    WRONG = "wrong", _("Perlu diperbaiki")


class DataCheck(models.Model):
    """The counter's verdict on what the file states about the thing permitted (its
    details), beside the requirements' checks: right, or wrong in the fields it names, which
    the applicant then corrects (and only those). ``found`` keeps the named fields' values
    as they were found wrong: a correction that leaves one as it was is no correction."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="data_check"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DataStatus.choices, default=DataStatus.PENDING
    )
    note = models.TextField(_("catatan"), blank=True)
    fields = models.JSONField(_("isian yang harus diperbaiki"), default=list, blank=True)
    found = models.JSONField(default=dict, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pemeriksaan data permohonan")
        verbose_name_plural = _("pemeriksaan data permohonan")

    def __str__(self) -> str:
        return self.get_status_display()

    def uncorrected(self, details: dict) -> list[str]:
        """The named fields whose value is still the one found wrong."""
        if self.status != DataStatus.WRONG:
            return []
        return [key for key in self.fields if details.get(key) == self.found.get(key)]

    def corrected(self, details: dict) -> list[str]:
        """The named fields changed since they were found wrong."""
        if self.status != DataStatus.WRONG:
            return []
        return [key for key in self.fields if details.get(key) != self.found.get(key)]

    def stands(self, details: dict) -> bool:
        """Whether the saved verdict still judges the details as they are: "right", or
        "wrong" with none of its fields changed since (a change asks for a new verdict, as a
        document replaced does)."""
        return self.status == DataStatus.OK or (
            self.status == DataStatus.WRONG and not self.corrected(details)
        )


def document_path(instance: Document, filename: str) -> str:
    # A random name: the stored path tells nothing and cannot be guessed.
    return f"documents/{instance.application.public_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    """One uploaded version of one requirement's document. Versions are never replaced."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="documents")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    file = models.FileField(upload_to=document_path, max_length=200)
    original_name = models.CharField(_("nama berkas asli"), max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["requirement__position", "-version"]
        verbose_name = _("dokumen")
        verbose_name_plural = _("dokumen")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "requirement", "version"], name="one_document_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requirement.code} v{self.version}"


class ApplicationEvent(AppendOnlyModel):
    """An append-only record of one act on a file: who, when, from, to, why, from where.

    Actions are dotted names (``application.returned``, ``check.updated``,
    ``document.uploaded``). Rows are never updated or deleted. Each row is a link of a hash
    chain (``trail.chain``): ``seq`` numbers the rows in commit order with no gap, ``hash``
    covers the row's content and ``prev_hash``, the hash of the row before.
    """

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_role = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    from_state = models.CharField(max_length=20, blank=True, choices=Stage.choices)
    to_state = models.CharField(max_length=20, blank=True, choices=Stage.choices)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    seq = models.PositiveBigIntegerField(unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["application", "created_at"], name="event_timeline"),
            # The red-flag rules and their nightly sweep (integrity.inspection.flags): events in
            # time order, one officer's acts.
            models.Index(fields=["created_at", "id"], name="event_time"),
            models.Index(fields=["actor", "created_at"], name="event_actor_time"),
        ]
        verbose_name = _("peristiwa berkas")
        verbose_name_plural = _("peristiwa berkas")

    def __str__(self) -> str:
        return f"{moment_text(self.created_at)} {self.action}"


class NumberSequence(models.Model):
    """A gapless counter (registration numbers per year; permit numbers per type and year).

    ``permits.numbering.next_value`` takes the row lock inside the caller's transaction:
    a rolled-back transaction gives its number back, two concurrent ones wait in turn.
    """

    key = models.CharField(max_length=80, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Segera jatuh tempo")
    LATE = "late", _("Terlambat, dieskalasi")
    CHECK_SOON = "check_soon", _("Pemeriksaan kelengkapan segera jatuh tempo")
    CHECK_LATE = "check_late", _("Pemeriksaan kelengkapan terlambat")


class SlaReminder(models.Model):
    """One reminder sent about one file for one deadline (so it is sent once): the SOP
    deadline, or for the ``check_*`` kinds the completeness check's deadline.

    A deadline moves when the clock pauses and resumes; a new deadline may earn a new
    reminder.
    """

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    deadline = models.DateTimeField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind", "deadline"], name="one_reminder_per_deadline"
            )
        ]
        verbose_name = _("pengingat SOP")
        verbose_name_plural = _("pengingat SOP")

    def __str__(self) -> str:
        return f"{self.kind} {self.application_id} {moment_text(self.deadline)}"


class FileView(AppendOnlyModel):
    """A staff member opened a file's page or one of its documents (append-only).

    The applicant sees the unit and role of each view; names are for auditors only.
    """

    class Kind(models.TextChoices):
        PAGE = "page", _("halaman berkas")
        DOCUMENT = "document", _("dokumen")
        AUDIT = "audit", _("ruang audit Inspektorat")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="views")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    viewer_role = models.CharField(max_length=20, choices=Role.choices)
    viewer_unit = models.ForeignKey(
        "permits.OPD", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PAGE)
    viewed_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-viewed_at", "-id"]
        indexes = [models.Index(fields=["application", "-viewed_at"], name="fileview_recent")]
        verbose_name = _("akses berkas oleh petugas")
        verbose_name_plural = _("akses berkas oleh petugas")

    def __str__(self) -> str:
        return f"{moment_text(self.viewed_at)} {self.viewer_role} {self.kind}"

    @property
    def role_label(self) -> str:
        return Role(self.viewer_role).label


class FileMessage(AppendOnlyModel):
    """A message inside a file between the applicant and the office (append-only).

    It belongs to the file's record: auditors read it, so nothing needs to happen off the
    record.
    """

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="file_messages"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_role = models.CharField(max_length=20, choices=Role.choices)
    body = models.TextField(_("pesan"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["application", "created_at"], name="file_message_thread")]
        verbose_name = _("pesan berkas")
        verbose_name_plural = _("pesan berkas")

    def __str__(self) -> str:
        return f"{moment_text(self.created_at)} {self.author_role}"

    @property
    def from_applicant(self) -> bool:
        return self.author_role == Role.APPLICANT
