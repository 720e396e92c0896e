"""The field inspection of a file (peninjauan lapangan, issue 22.2): an appointment agreed
with the applicant, visited by a team of at least two officers.

The file's holder in the inspection stage leads the visit: they propose a date and time;
the applicant confirms it or asks for another (in their account, or by telephone to the
office, recorded by the lead); the lead then proposes again or takes the applicant's time.
The team is drawn when the first appointment is proposed (``permits.services.site_visits``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords
from permits.models.application import Application


class VisitStatus(models.TextChoices):
    PROPOSED = "proposed", _("Menunggu konfirmasi pemohon")
    MOVE_ASKED = "move_asked", _("Pemohon meminta jadwal lain")
    CONFIRMED = "confirmed", _("Jadwal disepakati")
    CANCELLED = "cancelled", _("Dibatalkan")


# The statuses of a visit still to happen: a file has at most one.
OPEN_VISIT_STATUSES = (VisitStatus.PROPOSED, VisitStatus.MOVE_ASKED, VisitStatus.CONFIRMED)


class AnswerChannel(models.TextChoices):
    ACCOUNT = "account", _("akun pemohon")
    TELEPHONE = "telephone", _("telepon")
    IN_PERSON = "in_person", _("datang langsung")


class SiteVisit(models.Model):
    """One visit to the site of a file: when, where, who goes, and what the applicant said."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="site_visits",
        verbose_name=_("berkas"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=VisitStatus.choices, default=VisitStatus.PROPOSED
    )
    appointment_at = models.DateTimeField(_("jadwal peninjauan"))
    address = models.TextField(_("alamat lokasi"))
    site_lat = models.FloatField(_("lintang lokasi"), null=True, blank=True)
    site_lon = models.FloatField(_("bujur lokasi"), null=True, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="site_visits_led",
        verbose_name=_("ketua tim"),
    )
    proposed_at = models.DateTimeField(_("diusulkan"))
    proposals = models.PositiveSmallIntegerField(_("jumlah usulan jadwal"), default=1)
    note = models.TextField(_("catatan untuk pemohon"), blank=True)
    answered_at = models.DateTimeField(_("dijawab"), null=True, blank=True)
    answer_channel = models.CharField(
        _("dijawab lewat"), max_length=20, choices=AnswerChannel.choices, blank=True
    )
    wished_at = models.DateTimeField(_("jadwal yang diminta pemohon"), null=True, blank=True)
    answer_note = models.TextField(_("catatan pemohon"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("peninjauan lapangan")
        verbose_name_plural = _("peninjauan lapangan")
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(status__in=OPEN_VISIT_STATUSES),
                name="site_visit_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_VISIT_STATUSES


class SiteVisitMember(models.Model):
    """An officer on a visit's team (the lead is one of them)."""

    visit = models.ForeignKey(
        SiteVisit, on_delete=models.CASCADE, related_name="members", verbose_name=_("peninjauan")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="site_visit_seats",
        verbose_name=_("petugas"),
    )
    position = models.PositiveSmallIntegerField(_("urutan"), default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("anggota tim peninjauan")
        verbose_name_plural = _("anggota tim peninjauan")
        constraints = [
            models.UniqueConstraint(fields=["visit", "officer"], name="site_visit_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.visit_id}: {self.officer}"
