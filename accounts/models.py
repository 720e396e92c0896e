"""People who use Terang and the role each plays.

A staff member belongs to a unit (the DPMPTSP or an OPD) and may have a direct supervisor
(atasan langsung); the integrity flow routes conflict-of-interest cases along that line.
"""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Pemohon")
    COUNTER = "counter", _("Petugas loket")
    TECHNICAL = "technical", _("Petugas teknis")
    SUPERVISOR = "supervisor", _("Atasan langsung")
    HEAD = "head", _("Kepala dinas")
    CASHIER = "cashier", _("Bendahara penerimaan")
    AUDITOR = "auditor", _("Auditor Inspektorat")
    ADMIN = "admin", _("Administrator")


STAFF_ROLES = frozenset(
    {Role.COUNTER, Role.TECHNICAL, Role.SUPERVISOR, Role.HEAD, Role.CASHIER, Role.ADMIN}
)


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

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        indexes = [models.Index(fields=["role", "unit"])]

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
    def needs_second_factor(self) -> bool:
        """Everyone but applicants signs in with a TOTP code as well."""
        return self.role != Role.APPLICANT or self.is_staff or self.is_superuser

    @property
    def is_auditor(self) -> bool:
        return self.role == Role.AUDITOR
