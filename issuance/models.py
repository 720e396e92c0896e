"""What issuance adds to a file: the bill for its fee, the permit itself and the public register.

- ``Bill``: the retribusi a type with a fee asks for; paid at the cashier or by the bank's
  signed callback (every callback is kept in ``BankCallback``, refused ones too).
- ``Permit``: the issued permit, numbered inside the signing transaction, rendered to a signed
  PDF after commit, verifiable by its code, revocable by the head of office.
- ``RegisterDay``: one sealed day of the public register, whose digest covers the day's
  permits and the previous day's digest, so that a permit inserted or back-dated later shows.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords
from permits.models import Application, PermitType
from permits.models.application import TRACKING_ALPHABET, normalise_tracking_code
from permits.models.records import AppendOnlyModel

# --- the bill ------------------------------------------------------------------------------


def luhn_digit(digits: str) -> str:
    """The Luhn check digit of ``digits``: a mistyped billing code is caught at once."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 0:
            n *= 2
            n -= 9 if n > 9 else 0
        total += n
    return str((10 - total % 10) % 10)


def new_billing_code() -> str:
    """16 digits: the year, 13 random digits and a Luhn check digit."""
    body = f"{timezone.localtime().year % 100:02d}" + "".join(
        secrets.choice("0123456789") for _ in range(13)
    )
    return body + luhn_digit(body)


def billing_code_valid(code: str) -> bool:
    return len(code) == 16 and code.isdigit() and luhn_digit(code[:-1]) == code[-1]


class BillStatus(models.TextChoices):
    UNPAID = "unpaid", _("Belum dibayar")
    PAID = "paid", _("Lunas")
    EXPIRED = "expired", _("Kedaluwarsa")
    CANCELLED = "cancelled", _("Dibatalkan")


class PaymentChannel(models.TextChoices):
    CASHIER = "cashier", _("Kasir")
    BANK = "bank", _("Bank")


class Bill(models.Model):
    """The fee (retribusi) of one file: one bill, issued when the file awaits payment."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="bill", verbose_name=_("berkas")
    )
    billing_code = models.CharField(
        _("kode bayar"), max_length=16, unique=True, default=new_billing_code, editable=False
    )
    amount = models.PositiveBigIntegerField(_("jumlah (Rp)"))
    issued_at = models.DateTimeField(_("diterbitkan"))
    due_at = models.DateTimeField(_("jatuh tempo"))
    status = models.CharField(
        _("status"), max_length=10, choices=BillStatus.choices, default=BillStatus.UNPAID
    )
    paid_at = models.DateTimeField(_("dibayar pada"), null=True, blank=True)
    channel = models.CharField(_("dibayar melalui"), max_length=10, blank=True)
    reference = models.CharField(_("nomor bukti bayar"), max_length=64, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dikonfirmasi oleh"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tagihan retribusi")
        verbose_name_plural = _("tagihan retribusi")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "reference"],
                condition=~models.Q(reference=""),
                name="bill_payment_reference_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.billing_code

    @property
    def status_label(self) -> str:
        return BillStatus(self.status).label


class CallbackOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Diterima: pembayaran dicatat")
    ALREADY_PAID = "already_paid", _("Sudah lunas: tidak ada yang diubah")
    REFUSED = "refused", _("Ditolak")


class BankCallback(AppendOnlyModel):
    """Every call to the bank endpoint, accepted or not: the cashier's and auditor's record.

    ``signature`` is set only when the signature checked out; being unique, it refuses a
    replay of the very same signed request.
    """

    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    signature = models.CharField(max_length=64, unique=True, null=True, blank=True)
    timestamp = models.BigIntegerField(null=True, blank=True)
    body = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    outcome = models.CharField(max_length=15, choices=CallbackOutcome.choices)
    reason = models.CharField(max_length=200, blank=True)
    bill = models.ForeignKey(
        Bill, on_delete=models.PROTECT, null=True, blank=True, related_name="callbacks"
    )

    class Meta:
        verbose_name = _("panggilan bank")
        verbose_name_plural = _("panggilan bank")
        ordering = ["-received_at", "-id"]


# --- the permit ----------------------------------------------------------------------------


def new_permit_code() -> str:
    """The public verification code printed on the permit (not the file's tracking code)."""
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


normalise_permit_code = normalise_tracking_code


class PermitStatus(models.TextChoices):
    VALID = "valid", _("Berlaku")
    EXPIRED = "expired", _("Masa berlaku habis")
    REVOKED = "revoked", _("Dicabut")


class Permit(models.Model):
    """An issued permit. What it says is a snapshot taken when it was signed."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="permit", verbose_name=_("berkas")
    )
    permit_type = models.ForeignKey(
        PermitType, on_delete=models.PROTECT, related_name="permits", verbose_name=_("jenis izin")
    )
    number = models.CharField(_("nomor izin"), max_length=100, unique=True)
    code = models.CharField(
        _("kode verifikasi"), max_length=14, unique=True, default=new_permit_code, editable=False
    )
    holder_name = models.CharField(_("nama pemegang"), max_length=150)
    holder_nik = models.CharField(_("NIK pemegang"), max_length=16)
    holder_nib = models.CharField(_("NIB"), max_length=13, blank=True)
    business_name = models.CharField(_("nama usaha"), max_length=200, blank=True)
    holder_address = models.TextField(_("alamat"), blank=True)
    issued_at = models.DateTimeField(_("terbit"), db_index=True)
    valid_from = models.DateField(_("berlaku sejak"))
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ditandatangani oleh"),
    )
    signatory_name = models.CharField(_("nama penanda tangan"), max_length=150)
    signatory_title = models.CharField(_("jabatan penanda tangan"), max_length=200)

    pdf = models.FileField(max_length=200, blank=True, editable=False)
    pdf_sha256 = models.CharField(_("SHA-256 PDF"), max_length=64, blank=True, editable=False)
    pdf_rendered_at = models.DateTimeField(null=True, blank=True, editable=False)

    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dicabut oleh"),
    )
    revocation_reason = models.TextField(_("alasan pencabutan"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("izin")
        verbose_name_plural = _("izin")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.number

    def status_on(self, day: datetime.date) -> str:
        if self.revoked_at is not None:
            return PermitStatus.REVOKED
        if self.valid_until is not None and day > self.valid_until:
            return PermitStatus.EXPIRED
        return PermitStatus.VALID

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def status_label(self) -> str:
        return PermitStatus(self.status).label


# --- the public register -------------------------------------------------------------------

GENESIS = "0" * 64


def register_digest(day: datetime.date, entries: list, previous: str) -> str:
    """SHA-256 of the canonical JSON of a day: anyone can recompute it from the JSON page."""
    canonical = json.dumps(
        {"day": day.isoformat(), "entries": entries, "previous": previous},
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


class RegisterDay(AppendOnlyModel):
    """One sealed day of the register: the numbers issued that day, chained to the day before.

    ``entries`` lists ``[number, type code, issued at (ISO, local time)]`` in issue order.
    Days without permits are sealed too, so the chain has no holes to hide a day in.
    """

    day = models.DateField(_("tanggal"), unique=True)
    entries = models.JSONField(default=list)
    count = models.PositiveIntegerField(_("jumlah izin"))
    previous_digest = models.CharField(max_length=64)
    digest = models.CharField(_("sidik"), max_length=64, unique=True)
    sealed_at = models.DateTimeField(_("disegel pada"), default=timezone.now)

    class Meta:
        verbose_name = _("hari register izin")
        verbose_name_plural = _("register izin")
        ordering = ["-day"]

    def __str__(self) -> str:
        return self.day.isoformat()
