"""Complaints (pengaduan) from the public, and what was done with them.

Anyone may complain, signed in or not, under their name or anonymously, about a file, an
officer, a unit (OPD) or the service in general. The categories are the Ombudsman's list of
maladministration. A complaint is routed when it arrives (``public.services.complaints.route_for``):
about money, favours or a conflict of interest it goes to the inspectorate only; about an
officer, to the officer's direct supervisor and the inspectorate; otherwise to the heads of
the unit concerned. Deadlines follow SP4N-LAPOR!: forwarded within 3 working days of
arrival, answered within 5 of forwarding, closed 10 after the answer unless the complainant
writes back (settings ``COMPLAINT_*_WORKING_DAYS``).

The complainant follows it with a random follow-up code (only its SHA-256 is stored) on a
password-less page. Who complained is known to the inspectorate only, and only when the
complainant chose to give their name: no page for the unit names them.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords
from permits.models import OPD, Application, PermitType
from trail.models import AppendOnlyModel


class ComplaintCategory(models.TextChoices):
    """The Ombudsman RI's forms of maladministration."""

    DELAY = "delay", _("Penundaan berlarut")
    NOT_SERVING = "not_serving", _("Tidak memberikan pelayanan")
    INCOMPETENCE = "incompetence", _("Tidak kompeten")
    ABUSE = "abuse", _("Penyalahgunaan wewenang")
    PROCEDURE = "procedure", _("Penyimpangan prosedur")
    MONEY = "money", _("Permintaan imbalan uang, barang atau jasa")
    IMPROPER = "improper", _("Tidak patut")
    PARTIALITY = "partiality", _("Berpihak")
    DISCRIMINATION = "discrimination", _("Diskriminasi")
    CONFLICT = "conflict", _("Konflik kepentingan")


# Money, favours and conflicts of interest go to the inspectorate only, never to the unit
# concerned: the unit may be where the money went.
INSPECTORATE_ONLY = frozenset({ComplaintCategory.MONEY, ComplaintCategory.CONFLICT})


class ComplaintSubject(models.TextChoices):
    FILE = "file", _("Berkas permohonan")
    OFFICER = "officer", _("Petugas")
    UNIT = "unit", _("Unit layanan (OPD)")
    SERVICE = "service", _("Pelayanan secara umum")


class Route(models.TextChoices):
    INSPECTORATE = "inspectorate", _("Inspektorat saja")
    SUPERVISOR = "supervisor", _("Atasan langsung petugas dan Inspektorat")
    UNIT = "unit", _("Pimpinan unit dan Inspektorat")


class ComplaintState(models.TextChoices):
    RECEIVED = "received", _("Diterima, menunggu diteruskan")
    FORWARDED = "forwarded", _("Diteruskan, sedang ditindaklanjuti")
    ANSWERED = "answered", _("Sudah dijawab")
    CLOSED = "closed", _("Selesai")


class Complaint(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Null until the row has its id (the number is made from it); unique among the set ones.
    number = models.CharField(_("nomor pengaduan"), max_length=20, unique=True, null=True)  # noqa: DJ001
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    subject = models.CharField(_("tentang"), max_length=10, choices=ComplaintSubject.choices)
    category = models.CharField(_("kategori"), max_length=20, choices=ComplaintCategory.choices)
    description = models.TextField(_("uraian"))
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("berkas"),
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_about",
        verbose_name=_("petugas yang diadukan"),
    )
    # What the complainant said of the officer when they could not name one from a file.
    officer_description = models.CharField(_("ciri petugas"), max_length=200, blank=True)
    unit = models.ForeignKey(
        OPD,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("unit yang diadukan"),
    )
    # The service (permit type) complained about, when the complainant named one: preset
    # from its service standard page, or the file's type.
    permit_type = models.ForeignKey(
        PermitType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("jenis izin"),
    )
    # Who handles it: the route, and for an officer, the supervisor named at arrival.
    route = models.CharField(_("jalur penanganan"), max_length=15, choices=Route.choices)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_to_handle",
        verbose_name=_("penanggung jawab"),
    )
    handler_unit = models.ForeignKey(
        OPD, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The complainant: nobody (anonymous), an account, or a name and contact.
    anonymous = models.BooleanField(_("anonim"), default=False)
    complainant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_made",
    )
    contact_name = models.CharField(_("nama pelapor"), max_length=150, blank=True)
    contact_email = models.EmailField(_("surel pelapor"), blank=True)
    contact_phone = models.CharField(_("ponsel pelapor"), max_length=20, blank=True)

    state = models.CharField(
        _("status"), max_length=10, choices=ComplaintState.choices, default=ComplaintState.RECEIVED
    )
    received_at = models.DateTimeField(_("diterima"), default=timezone.now)
    forward_due = models.DateTimeField(_("batas diteruskan"))
    forwarded_at = models.DateTimeField(null=True, blank=True)
    answer_due = models.DateTimeField(_("batas dijawab"), null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    close_due = models.DateTimeField(_("batas selesai"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(_("hasil penanganan"), blank=True)
    # The state whose deadline passed and was escalated (each deadline escalates once).
    escalated_for = models.CharField(max_length=10, blank=True)
    # Who the overdue complaint was escalated to (the handler's supervisor, or the head of
    # the office); they see it from then on. None for the inspectorate's own complaints.
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_escalated",
    )

    history = HistoricalRecords(excluded_fields=["code_hash"])

    class Meta:
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["state", "received_at"], name="complaint_state"),
            models.Index(fields=["route", "handler_unit", "state"], name="complaint_route"),
            models.Index(fields=["handler", "state"], name="complaint_handler"),
        ]

    def __str__(self) -> str:
        return self.number or str(self.public_id)

    @property
    def category_label(self) -> str:
        return ComplaintCategory(self.category).label

    @property
    def state_label(self) -> str:
        return ComplaintState(self.state).label

    @property
    def is_open(self) -> bool:
        return self.state != ComplaintState.CLOSED

    @property
    def due(self):
        """The deadline that runs now, if any."""
        return {
            ComplaintState.RECEIVED: self.forward_due,
            ComplaintState.FORWARDED: self.answer_due,
            ComplaintState.ANSWERED: self.close_due,
        }.get(self.state)

    def is_overdue(self, now=None) -> bool:
        """The forwarding or answer deadline passed (``public.selectors.complaints.overdue_q`` says
        the same in SQL); an answer waiting on the complainant is never overdue."""
        due = self.due
        return (
            due is not None
            and self.state != ComplaintState.ANSWERED
            and (now or timezone.now()) > due
        )


def evidence_path(instance, filename: str) -> str:
    # Never the uploader's file name: it may name them.
    return f"complaints/{instance.complaint.public_id}/{uuid.uuid4().hex}.{instance.format}"


class ComplaintEvidence(AppendOnlyModel):
    """A document or photo given with a complaint (checked by content, as file documents)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=200)
    format = models.CharField(max_length=5)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]


class ComplaintEntry(AppendOnlyModel):
    """One step of a complaint: a message either way, an internal note, a change of state,
    an escalation. Append-only: the record of how a complaint was handled is never
    rewritten."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Pengaduan diterima")
        FROM_COMPLAINANT = "from_complainant", _("Pesan pelapor")
        REPLY = "reply", _("Jawaban petugas pengaduan")
        NOTE = "note", _("Catatan internal")
        FORWARDED = "forwarded", _("Diteruskan untuk ditindaklanjuti")
        ANSWERED = "answered", _("Dijawab")
        CLOSED = "closed", _("Ditutup")
        REOPENED = "reopened", _("Dibuka kembali")
        ESCALATED = "escalated", _("Melewati batas waktu, dieskalasi")

    # What the complainant sees of the record (internal notes and escalations stay inside).
    PUBLIC_KINDS = frozenset(
        {
            Kind.RECEIVED,
            Kind.FROM_COMPLAINANT,
            Kind.REPLY,
            Kind.FORWARDED,
            Kind.ANSWERED,
            Kind.CLOSED,
            Kind.REOPENED,
        }
    )

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    author_role = models.CharField(max_length=20, blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["complaint", "created_at"], name="complaint_entries")]

    @property
    def kind_label(self) -> str:
        return self.Kind(self.kind).label

    @property
    def is_public(self) -> bool:
        return self.kind in self.PUBLIC_KINDS
