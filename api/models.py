"""Partners of the API (issue 21.2) and the record of their every call.

A partner is another system, not a person: OSS, the government service bus (SPLP), a bank,
another office. An administrator registers it (``manage.py partner_register``), which gives
it OAuth2 client credentials (a django-oauth-toolkit ``Application`` with the
client-credentials grant) and the scopes it may ask for. A partner is deactivated, never
deleted: its calls stay attributable.
"""

from __future__ import annotations

import uuid

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

    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="calls", verbose_name=_("mitra")
    )
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    method = models.CharField(_("metode"), max_length=10)
    operation = models.CharField(_("operasi"), max_length=80)  # the OpenAPI route name
    scope = models.CharField(_("cakupan"), max_length=40, blank=True)
    # "application:123", a type's code…
    target = models.CharField(_("sasaran"), max_length=120, blank=True)
    status = models.PositiveSmallIntegerField(_("kode HTTP"))
    outcome = models.CharField(_("hasil"), max_length=10, choices=CallOutcome.choices)
    request_id = models.CharField(_("ID permintaan"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("panggilan API")
        verbose_name_plural = _("panggilan API")
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


# --- webhooks (issue 21.4) -----------------------------------------------------------------


class WebhookEvent(models.TextChoices):
    FILE_RECEIVED = "file.received", _("Berkas diterima kantor")
    FILE_RETURNED = "file.returned", _("Berkas dikembalikan ke pemohon")
    PAYMENT_REQUESTED = "payment.requested", _("Retribusi ditagihkan")
    PERMIT_ISSUED = "permit.issued", _("Izin terbit")
    PERMIT_REVOKED = "permit.revoked", _("Izin dicabut")
    FILE_REJECTED = "file.rejected", _("Berkas ditolak")


class WebhookSubscription(models.Model):
    """A partner's address for the events it chose. Deliveries are signed with the
    subscription's secret (Standard Webhooks), which the partner is shown once."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="webhooks", verbose_name=_("mitra")
    )
    url = models.URLField(_("alamat"), max_length=500)
    events = models.JSONField(_("peristiwa"), default=list)
    secret = models.CharField(max_length=64, editable=False)  # "whsec_" + base64, to sign
    active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    deactivated_at = models.DateTimeField(_("dinonaktifkan"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        verbose_name = _("langganan webhook")
        verbose_name_plural = _("langganan webhook")

    def __str__(self) -> str:
        return f"{self.partner} → {self.url}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu dikirim")
    DELIVERED = "delivered", _("Terkirim")
    DEAD = "dead", _("Gagal sehari penuh, menunggu dikirim ulang")


class WebhookDelivery(models.Model):
    """One event for one subscription: written in the transaction of the act it reports
    (an outbox), delivered after commit or by the sweep, retried with growing waits for
    about a day, then parked (``DEAD``) until an administrator replays it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(
        WebhookSubscription,
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("langganan"),
    )
    event = models.CharField(_("peristiwa"), max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField(_("isi"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("coba lagi pada"), default=timezone.now)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    delivered_at = models.DateTimeField(_("terkirim"), null=True, blank=True)
    # The last replay of a parked delivery: who asked, when.
    replayed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dikirim ulang oleh"),
    )
    replayed_at = models.DateTimeField(_("dikirim ulang pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("kiriman webhook")
        verbose_name_plural = _("kiriman webhook")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_due")]

    def __str__(self) -> str:
        return f"{self.get_event_display()} ({self.get_status_display()})"

    @property
    def message_id(self) -> str:
        """The ``webhook-id``: the same on every attempt, so a partner can drop repeats."""
        return f"msg_{self.public_id.hex}"


class WebhookAttempt(AppendOnlyModel):
    """One try at delivering: when, what the partner answered (or why nothing came back)."""

    delivery = models.ForeignKey(
        WebhookDelivery,
        on_delete=models.PROTECT,
        related_name="attempt_log",
        verbose_name=_("kiriman"),
    )
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("kode HTTP"), null=True, blank=True)
    error = models.CharField(_("galat"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(_("lama (ms)"), default=0)

    class Meta:
        verbose_name = _("percobaan kirim")
        verbose_name_plural = _("percobaan kirim")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{moment_text(self.at)}: {self.status_code or self.error}"
