"""Partners of the API (issue 21.2) and the record of their every call.

A partner is another system, not a person: OSS, the government service bus (SPLP), a bank,
another office. An administrator registers it (``manage.py partner_register``), which gives
it OAuth2 client credentials (a django-oauth-toolkit ``Application`` with the
client-credentials grant) and the scopes it may ask for. A partner is deactivated, never
deleted: its calls stay attributable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords
from core.moments import moment_text
from trail.models import AppendOnlyModel


class PartnerKind(models.TextChoices):
    OSS = "oss", _("OSS (Online Single Submission)")
    BUS = "bus", _("Sistem Penghubung Layanan Pemerintah (SPLP)")
    BANK = "bank", _("Bank")
    OFFICE = "office", _("Instansi lain")


class Partner(models.Model):
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=PartnerKind.choices)
    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.PROTECT,
        related_name="partner",
        verbose_name=_("klien OAuth2"),
    )
    # The account it acts through in the services (``Role.PARTNER``): files it creates are
    # its, and every act on them names it. It never signs in (no usable password).
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="partner",
        verbose_name=_("akun"),
        null=True,
        editable=False,
    )
    scopes = models.JSONField(_("cakupan yang diberikan"), default=list)
    # The service bus may read every file; any other partner only the files it created.
    reads_all_files = models.BooleanField(_("boleh membaca semua berkas"), default=False)
    calls_per_minute = models.PositiveIntegerField(_("batas panggilan per menit"), default=120)
    active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mitra API")
        verbose_name_plural = _("mitra API")

    def __str__(self) -> str:
        return self.name

    @property
    def client_id(self) -> str:
        return self.application.client_id


class PartnerFile(models.Model):
    """A file a partner created on an applicant's behalf: the files it may read
    (``applications:read``) unless it reads every file (the service bus)."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="files")
    application = models.OneToOneField(
        "permits.Application", on_delete=models.PROTECT, related_name="partner_link"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.partner_id} → {self.application_id}"


class CallOutcome(models.TextChoices):
    OK = "ok", _("Berhasil")
    INVALID = "invalid", _("Masukan tidak sah")
    REFUSED = "refused", _("Ditolak")
    NOT_FOUND = "not_found", _("Tidak ditemukan")
    LIMITED = "limited", _("Melewati batas panggilan")
    FAILED = "failed", _("Gagal")


class ApiCall(AppendOnlyModel):
    """One call of a partner: who, with which scope, on what, and how it ended. Sealed into
    the audit chain (``trail.seals``) like a staff act on a file."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="calls")
    at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=10)
    operation = models.CharField(max_length=80)  # the OpenAPI operation's route name
    scope = models.CharField(max_length=40, blank=True)
    target = models.CharField(max_length=120, blank=True)  # "application:123", a type's code…
    status = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=10, choices=CallOutcome.choices)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["partner", "at"], name="apicall_partner_at")]

    def __str__(self) -> str:
        when = moment_text(self.at)
        return f"{self.partner_id} {self.method} {self.operation} {self.status} @ {when}"


class IdempotentRequest(models.Model):
    """A partner's ``Idempotency-Key`` and the answer its first request got (issue 21.3): a
    retried request gets the same answer and never makes a second file. Kept with the act it
    answered (one transaction), so a key is never known without its file or the reverse."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=255)
    operation = models.CharField(max_length=80)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of the request's JSON body
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    location = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "key"], name="idempotency_partner_key")
        ]

    def __str__(self) -> str:
        return f"{self.partner_id}:{self.key}"
