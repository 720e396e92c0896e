"""People who use Terang and the role each plays.

A staff member belongs to a unit (the DPMPTSP or an OPD) and may have a direct supervisor
(atasan langsung); the integrity flow routes conflict-of-interest cases along that line.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords
from core.moments import moment_text


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Pemohon")
    COUNTER = "counter", _("Petugas loket")
    TECHNICAL = "technical", _("Petugas teknis")
    SUPERVISOR = "supervisor", _("Atasan langsung")
    HEAD = "head", _("Kepala dinas")
    CASHIER = "cashier", _("Bendahara penerimaan")
    AUDITOR = "auditor", _("Auditor Inspektorat")
    ADMIN = "admin", _("Administrator")
    # A partner system's own account (``api.Partner.account``): it files on applicants'
    # behalf through the API and never signs in.
    PARTNER = "partner", _("Sistem mitra")


class ContactChannel(models.TextChoices):
    AUTO = "", _("Otomatis (surel bila ada, selain itu SMS)")
    EMAIL = "email", _("Surel")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


STAFF_ROLES = frozenset(
    {Role.COUNTER, Role.TECHNICAL, Role.SUPERVISOR, Role.HEAD, Role.CASHIER, Role.ADMIN}
)
# Staff who can be held responsible for what they do on files: they declare conflicts of
# interest, answer for findings, receive sanctions. Not administrators (they run the system,
# not files). Read the people through ``accounts.selectors.responsible_staff``.
RESPONSIBLE_ROLES = STAFF_ROLES - {Role.ADMIN}
# Who oversees staff: they open conflict cases and read who did what in one.
OVERSIGHT_ROLES = frozenset({Role.SUPERVISOR, Role.HEAD, Role.AUDITOR})


class User(AbstractUser):
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.APPLICANT)
    unit = models.ForeignKey(
        "permits.OPD",
        verbose_name=_("unit kerja"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("atasan langsung"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subordinates",
    )
    position = models.CharField(_("jabatan"), max_length=150, blank=True)
    phone = models.CharField(_("nomor ponsel"), max_length=20, blank=True)
    # Applicants: who they are, as the office needs it on every file.
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    address = models.TextField(_("alamat"), blank=True)
    business_name = models.CharField(_("nama usaha"), max_length=200, blank=True)
    nib = models.CharField(_("NIB"), max_length=13, blank=True)
    email_verified_at = models.DateTimeField(_("surel terverifikasi"), null=True, blank=True)
    phone_verified_at = models.DateTimeField(_("ponsel terverifikasi"), null=True, blank=True)
    language = models.CharField(
        _("bahasa pesan"), max_length=5, choices=settings.LANGUAGES, default="id"
    )
    contact_channel = models.CharField(
        _("saluran pesan"), max_length=10, choices=ContactChannel.choices, blank=True
    )

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        indexes = [models.Index(fields=["role", "unit"])]
        constraints = [
            models.UniqueConstraint(
                fields=["nik"], condition=~models.Q(nik=""), name="one_account_per_nik"
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def is_officer(self) -> bool:
        """Staff who process files (everyone in the back office but the inspectorate)."""
        return self.role in STAFF_ROLES

    @property
    def role_label(self) -> str:
        """The role in words (cheaper than get_role_display on pages listing many)."""
        return Role(self.role).label

    @property
    def is_verified_contact(self) -> bool:
        """An applicant proved they receive messages at their e-mail or phone."""
        return bool(self.email_verified_at or self.phone_verified_at)

    @property
    def needs_second_factor(self) -> bool:
        """Everyone but applicants signs in with a TOTP code as well."""
        return self.role != Role.APPLICANT or self.is_staff or self.is_superuser

    @property
    def is_auditor(self) -> bool:
        return self.role == Role.AUDITOR


class ContactCode(models.Model):
    """A 6-digit code sent to an e-mail address or phone: to verify it, or to reset a
    password. Only a keyed hash is stored; a code expires, and dies after a few wrong tries."""

    class Purpose(models.TextChoices):
        VERIFY = "verify", _("verifikasi kontak")
        RESET = "reset", _("atur ulang kata sandi")
        CHANGE = "change", _("ganti surel atau nomor ponsel")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="contact_codes")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    channel = models.CharField(max_length=10)
    address = models.CharField(max_length=254)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "purpose", "created_at"], name="code_recent")]

    def __str__(self) -> str:
        return f"{self.purpose} {self.channel} {moment_text(self.created_at)}"
