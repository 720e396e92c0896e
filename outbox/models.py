"""Every message Terang sends is first a row here (the outbox), then delivered.

The row is written in the same transaction as the change it reports, so a message exists
exactly when its cause does. Delivery happens after commit, in a Celery task; if the broker
or the mail/SMS gateway is down the row stays ``pending`` and the next sweep delivers it.
A message is never deleted: one that keeps failing becomes ``failed`` for an administrator
to look at and send again. Recipients also read their messages inside Terang.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Surel")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    IN_APP = "in_app", _("Hanya di Terang")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal, perlu ditinjau")


# Codes sent to prove one owns an address never show in the inbox: whoever holds the
# password must not be able to read the code meant for the phone or mailbox.
PRIVATE_KINDS = ("account.",)


class Message(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penerima"),
        on_delete=models.PROTECT,
        related_name="messages",
        null=True,
        blank=True,
    )
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("alamat"), max_length=254, blank=True)
    kind = models.CharField(_("jenis"), max_length=60, db_index=True)
    language = models.CharField(_("bahasa"), max_length=5, default="id")
    subject = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"))
    application = models.ForeignKey(
        "permits.Application",
        verbose_name=_("berkas"),
        on_delete=models.PROTECT,
        related_name="messages",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("coba lagi pada"), default=timezone.now)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)

    class Meta:
        verbose_name = _("pesan")
        verbose_name_plural = _("pesan")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["recipient", "read_at", "created_at"], name="outbox_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address or self.recipient}: {self.subject}"
