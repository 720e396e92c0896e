"""Conflicts of interest (PermenPANRB 17/2024, "konflik kepentingan"): the staff's register of
affiliations, its matches against incoming files, the per-file declaration, and the case that
holds a file while a conflict is reviewed and decided.

- ``AffiliationDeclaration`` and ``Affiliation``: one officer's register, one version per
  declaration; every version is kept (written once, never edited).
- ``ConflictMatch``: a file whose applicant matches an officer's register, or the officer
  themself; the officer is kept away from the file by assignment.
- ``FileDeclaration``: before acting on a file its officer declares no conflict or one
  (actual or potential, with its source); written once.
- ``ConflictCase``: a declared or raised conflict, a state machine of its own: awaiting the
  direct supervisor's initial review (telaah awal), then the head of office's decision, then
  closed. The file is held from opening to closing.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from permits.models import Application
from permits.models.records import AppendOnlyModel

# --- the affiliation register ------------------------------------------------------------


class AffiliationDeclaration(AppendOnlyModel):
    """One version of an officer's register; the newest is the one in force."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="affiliation_declarations",
        verbose_name=_("petugas"),
    )
    version = models.PositiveIntegerField(_("versi"))
    declared_at = models.DateTimeField(_("dinyatakan pada"), default=timezone.now)
    renew_by = models.DateField(_("perbarui paling lambat"))
    note = models.TextField(_("catatan"), blank=True)
    nothing_to_declare = models.BooleanField(_("tidak ada yang perlu dinyatakan"), default=False)

    class Meta:
        verbose_name = _("deklarasi afiliasi")
        verbose_name_plural = _("deklarasi afiliasi")
        ordering = ["officer", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "version"], name="affiliation_version")
        ]

    def __str__(self) -> str:
        return f"{self.officer} v{self.version}"

    @property
    def overdue(self) -> bool:
        return timezone.localdate() > self.renew_by


class AffiliationKind(models.TextChoices):
    RELATIVE = "relative", _("Keluarga")
    BUSINESS = "business", _("Usaha")
    ORGANISATION = "organisation", _("Organisasi")
    POST = "post", _("Jabatan di luar dinas")


class Relationship(models.TextChoices):
    SPOUSE = "spouse", _("Suami/istri")
    CHILD = "child", _("Anak")
    PARENT = "parent", _("Orang tua")
    SIBLING = "sibling", _("Saudara kandung")
    IN_LAW = "in_law", _("Mertua/ipar/menantu")
    OTHER = "other", _("Lainnya")


class AffiliationRole(models.TextChoices):
    OWNER = "owner", _("Pemilik/pemegang saham")
    EMPLOYEE = "employee", _("Bekerja di sana")
    ADVISOR = "advisor", _("Penasihat/konsultan")
    BOARD = "board", _("Pengurus/komisaris")
    MEMBER = "member", _("Anggota")


class Affiliation(AppendOnlyModel):
    """One relative, business, organisation or outside post of a declaration."""

    declaration = models.ForeignKey(
        AffiliationDeclaration, on_delete=models.PROTECT, related_name="items"
    )
    kind = models.CharField(_("jenis"), max_length=15, choices=AffiliationKind.choices)
    name = models.CharField(_("nama"), max_length=200)
    relationship = models.CharField(
        _("hubungan"), max_length=10, choices=Relationship.choices, blank=True
    )
    role = models.CharField(_("peran"), max_length=10, choices=AffiliationRole.choices, blank=True)
    nik = models.CharField(_("NIK (bila tahu)"), max_length=16, blank=True)
    nib = models.CharField(_("NIB (bila ada)"), max_length=13, blank=True)
    npwp = models.CharField(_("NPWP (bila ada)"), max_length=20, blank=True)
    address = models.CharField(_("alamat"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("afiliasi")
        verbose_name_plural = _("afiliasi")

    def __str__(self) -> str:
        return self.name


# --- matches and declarations ------------------------------------------------------------


class MatchReason(models.TextChoices):
    SELF = "self", _("Petugas adalah pemohon")
    NIK = "nik", _("NIK sama")
    NIB = "nib", _("NIB sama")
    NPWP = "npwp", _("NPWP sama")
    NAME_ADDRESS = "name_address", _("Nama dan alamat mirip")
    RESTRICTED = "restricted", _("Dibatasi keputusan kasus")
    DECIDED = "decided", _("Konflik diputuskan pada berkas ini")


class Restriction(AppendOnlyModel):
    """A decided restriction: the officer handles no file of this party (NIK or NIB)."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="restrictions"
    )
    nik = models.CharField(max_length=16, blank=True)
    nib = models.CharField(max_length=13, blank=True)
    case = models.ForeignKey("ConflictCase", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pembatasan petugas")
        verbose_name_plural = _("pembatasan petugas")


class ConflictMatch(models.Model):
    """The applicant of a file matches an officer's register (or is the officer)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="conflict_matches"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflict_matches"
    )
    affiliation = models.ForeignKey(
        Affiliation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("alasan"), max_length=15, choices=MatchReason.choices)
    score = models.FloatField(default=1.0)
    detail = models.CharField(max_length=200, blank=True)
    found_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kecocokan register")
        verbose_name_plural = _("kecocokan register")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "officer", "reason"], name="conflict_match_once"
            )
        ]
        indexes = [models.Index(fields=["officer", "application"], name="match_officer_app")]

    def __str__(self) -> str:
        return f"{self.application} ~ {self.officer} ({self.reason})"


class ConflictNature(models.TextChoices):
    ACTUAL = "actual", _("Aktual (sudah terjadi)")
    POTENTIAL = "potential", _("Potensial (mungkin terjadi)")


class ConflictSource(models.TextChoices):
    FAMILY = "family", _("Hubungan keluarga atau afiliasi")
    BUSINESS = "business", _("Kepentingan usaha atau keuangan")
    PRESSURE = "pressure", _("Tekanan dari atasan atau pihak luar")
    GRATIFICATION = "gratification", _("Tawaran gratifikasi")
    DUAL_POST = "dual_post", _("Rangkap jabatan")
    OTHER = "other", _("Lainnya")


class PressureFrom(models.TextChoices):
    """Who presses, when the source of a conflict is pressure: the person named must never
    review, decide or see the case (``integrity.services.cases.case_route``)."""

    SUPERVISOR = "supervisor", _("Atasan langsung saya")
    HEAD = "head", _("Kepala Dinas")
    OTHER = "other", _("Pihak lain (di luar garis atasan)")


class FileDeclaration(AppendOnlyModel):
    """An officer's declaration on one file: no conflict, or a conflict with its source."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="declarations"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="file_declarations"
    )
    declared_at = models.DateTimeField(default=timezone.now)
    stage = models.CharField(max_length=20)
    has_conflict = models.BooleanField(_("ada konflik kepentingan"))
    nature = models.CharField(_("sifat"), max_length=10, choices=ConflictNature.choices, blank=True)
    source = models.CharField(
        _("sumber"), max_length=15, choices=ConflictSource.choices, blank=True
    )
    pressure_from = models.CharField(
        _("tekanan dari"), max_length=12, choices=PressureFrom.choices, blank=True
    )
    related_party = models.CharField(_("pihak terkait"), max_length=200, blank=True)
    description = models.TextField(_("uraian"), blank=True)

    class Meta:
        verbose_name = _("pernyataan konflik kepentingan")
        verbose_name_plural = _("pernyataan konflik kepentingan")
        ordering = ["-declared_at", "-id"]
        indexes = [models.Index(fields=["application", "officer"], name="declaration_app_officer")]
        constraints = [
            # One "no conflict" per officer per file: a double click records it once.
            models.UniqueConstraint(
                fields=["application", "officer"],
                condition=models.Q(has_conflict=False),
                name="declaration_one_clear",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.officer}"


# --- the case ----------------------------------------------------------------------------


class CaseState(models.TextChoices):
    REVIEW = "review", _("Menunggu telaah awal atasan")
    DECISION = "decision", _("Menunggu keputusan Kepala Dinas")
    CLOSED = "closed", _("Selesai")


class CaseOrigin(models.TextChoices):
    DECLARATION = "declaration", _("Pernyataan petugas")
    SUPERVISOR = "supervisor", _("Dibuka atasan")
    AUDITOR = "auditor", _("Dibuka Inspektorat")


class Measure(models.TextChoices):
    REASSIGN = "reassign", _("Alihkan berkas ke petugas lain")
    RESTRICT = "restrict", _("Batasi peran petugas: tidak menangani berkas pemohon ini")
    ESCALATE = "escalate", _("Teruskan ke Inspektorat")


class Decision(models.TextChoices):
    NO_CONFLICT = "no_conflict", _("Tidak ada konflik kepentingan")
    CONFLICT = "conflict", _("Ada konflik kepentingan")


class CaseRoute(models.TextChoices):
    """Who reviews and decides: the office (the direct supervisor, then the head), or the
    inspectorate when the head is the person the conflict names."""

    OFFICE = "office", _("Atasan dan Kepala Dinas")
    INSPECTORATE = "inspectorate", _("Inspektorat")


class ConflictCase(models.Model):
    """A conflict of interest on one file and one officer, from opening to decision."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="conflict_cases"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="conflict_cases",
        verbose_name=_("petugas yang bersangkutan"),
    )
    origin = models.CharField(_("asal"), max_length=12, choices=CaseOrigin.choices)
    declaration = models.ForeignKey(
        FileDeclaration, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    opening_note = models.TextField(_("uraian"), blank=True)
    # A superior the conflict is about (pressure from them): never reviews, decides or sees it.
    named = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("atasan yang disebut"),
    )
    route = models.CharField(
        _("ditangani oleh"), max_length=12, choices=CaseRoute.choices, default=CaseRoute.OFFICE
    )
    state = FSMField(default=CaseState.REVIEW, choices=CaseState.choices, protected=True)

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("penelaah"),
    )
    review_due = models.DateTimeField(_("batas telaah awal"))
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_conflict_real = models.BooleanField(_("konflik nyata"), null=True)
    review_impact = models.TextField(_("dampak"), blank=True)
    review_recommendation = models.CharField(
        _("rekomendasi"), max_length=12, choices=Measure.choices, blank=True
    )
    review_note = models.TextField(_("catatan telaah"), blank=True)

    decider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pemutus"),
    )
    decision_due = models.DateTimeField(_("batas keputusan"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(_("keputusan"), max_length=12, choices=Decision.choices, blank=True)
    measure = models.CharField(_("tindakan"), max_length=12, choices=Measure.choices, blank=True)
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)
    # When an overdue step was escalated (once per step): review to the head, decision to
    # the inspectorate.
    review_escalated_at = models.DateTimeField(null=True, blank=True)
    decision_escalated_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kasus konflik kepentingan")
        verbose_name_plural = _("kasus konflik kepentingan")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["state", "review_due"], name="case_state_due")]

    def __str__(self) -> str:
        return f"{self.application} · {self.officer} ({self.state})"

    @property
    def state_label(self) -> str:
        return CaseState(self.state).label

    @property
    def due(self) -> datetime.datetime | None:
        return {CaseState.REVIEW: self.review_due, CaseState.DECISION: self.decision_due}.get(
            self.state
        )

    @property
    def overdue(self) -> bool:
        return self.due is not None and timezone.now() > self.due

    @transition(field=state, source=CaseState.REVIEW, target=CaseState.DECISION)
    def review(self, *, by, at, real: bool, impact: str, recommendation: str, note: str, due):
        self.reviewer, self.reviewed_at = by, at
        self.review_conflict_real, self.review_impact = real, impact
        self.review_recommendation, self.review_note = recommendation, note
        self.decision_due = due

    @transition(field=state, source=CaseState.DECISION, target=CaseState.CLOSED)
    def decide(self, *, by, at, decision: str, measure: str, reason: str):
        self.decider, self.decided_at = by, at
        self.decision, self.measure, self.decision_reason = decision, measure, reason


# --- a suspicion reported by a colleague ------------------------------------------------


class SuspicionRoute(models.TextChoices):
    SUPERVISOR = "supervisor", _("Atasan petugas yang bersangkutan")
    INSPECTORATE = "inspectorate", _("Inspektorat")


class Suspicion(AppendOnlyModel):
    """A colleague's report of a suspected conflict on a file they do not hold: it holds
    nothing; the supervisor it goes to (or the inspectorate) may open a case with a hold.
    The officer it is about never sees it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="suspicions"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("petugas yang diduga"),
    )
    route = models.CharField(_("dilaporkan kepada"), max_length=12, choices=SuspicionRoute.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("penerima"),
    )
    description = models.TextField(_("uraian dugaan"))
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("laporan dugaan konflik kepentingan")
        verbose_name_plural = _("laporan dugaan konflik kepentingan")
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.application} · {self.reported_at:%Y-%m-%d}"


# --- gratification and sanctions ---------------------------------------------------------


class GratificationReport(models.Model):
    """An officer reports a gift or an offer connected to their work (UU 20/2001 pasal 12C:
    report to the KPK within 30 working days of receiving it)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="gratification_reports",
        verbose_name=_("pelapor"),
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gratification_reports",
        verbose_name=_("berkas terkait"),
    )
    reported_at = models.DateTimeField(_("dilaporkan pada"), default=timezone.now)
    received_on = models.DateField(_("tanggal diterima/ditawarkan"))
    what = models.CharField(_("apa yang diberikan atau ditawarkan"), max_length=300)
    estimated_value = models.PositiveBigIntegerField(_("perkiraan nilai (Rp)"))
    giver = models.CharField(_("dari siapa"), max_length=200)
    accepted = models.BooleanField(_("diterima"))
    kpk_due = models.DateField(_("batas lapor ke KPK"))
    kpk_reported_on = models.DateField(_("dilaporkan ke KPK"), null=True, blank=True)
    kpk_reference = models.CharField(_("nomor laporan KPK"), max_length=100, blank=True)
    note = models.TextField(_("catatan"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("laporan gratifikasi")
        verbose_name_plural = _("laporan gratifikasi")
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.officer} · {self.what}"

    @property
    def kpk_overdue(self) -> bool:
        return self.kpk_reported_on is None and timezone.localdate() > self.kpk_due


class SanctionLevel(models.TextChoices):
    LIGHT = "light", _("Ringan")
    MEDIUM = "medium", _("Sedang")
    HEAVY = "heavy", _("Berat")


class SanctionKind(models.TextChoices):
    """PP 94/2021 on civil-servant discipline, article 8."""

    VERBAL_REPRIMAND = "verbal_reprimand", _("Teguran lisan")
    WRITTEN_REPRIMAND = "written_reprimand", _("Teguran tertulis")
    DISSATISFACTION = "dissatisfaction", _("Pernyataan tidak puas secara tertulis")
    ALLOWANCE_CUT_6 = "allowance_cut_6", _("Pemotongan tunjangan kinerja 25 persen selama 6 bulan")
    ALLOWANCE_CUT_9 = "allowance_cut_9", _("Pemotongan tunjangan kinerja 25 persen selama 9 bulan")
    ALLOWANCE_CUT_12 = (
        "allowance_cut_12",
        _("Pemotongan tunjangan kinerja 25 persen selama 12 bulan"),
    )
    DEMOTION_12 = "demotion_12", _("Penurunan jabatan setingkat lebih rendah selama 12 bulan")
    RELEASE_12 = "release_12", _("Pembebasan dari jabatan menjadi pelaksana selama 12 bulan")
    DISMISSAL = "dismissal", _("Pemberhentian dengan hormat tidak atas permintaan sendiri")


SANCTION_LEVELS = {
    SanctionLevel.LIGHT: {
        SanctionKind.VERBAL_REPRIMAND,
        SanctionKind.WRITTEN_REPRIMAND,
        SanctionKind.DISSATISFACTION,
    },
    SanctionLevel.MEDIUM: {
        SanctionKind.ALLOWANCE_CUT_6,
        SanctionKind.ALLOWANCE_CUT_9,
        SanctionKind.ALLOWANCE_CUT_12,
    },
    SanctionLevel.HEAVY: {
        SanctionKind.DEMOTION_12,
        SanctionKind.RELEASE_12,
        SanctionKind.DISMISSAL,
    },
}


class AppealStatus(models.TextChoices):
    NONE = "none", _("Tidak diajukan")
    FILED = "filed", _("Diajukan")
    UPHELD = "upheld", _("Ditolak; hukuman tetap")
    OVERTURNED = "overturned", _("Dikabulkan; hukuman dibatalkan")


class Sanction(models.Model):
    """A disciplinary decision on an officer (PP 94/2021), with its legal basis."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sanctions",
        verbose_name=_("petugas"),
    )
    case = models.ForeignKey(
        ConflictCase, on_delete=models.PROTECT, null=True, blank=True, related_name="sanctions"
    )
    level = models.CharField(_("tingkat"), max_length=10, choices=SanctionLevel.choices)
    kind = models.CharField(_("jenis hukuman"), max_length=20, choices=SanctionKind.choices)
    legal_basis = models.TextField(_("dasar hukum"))
    decided_by = models.CharField(_("pejabat yang memutus"), max_length=200)
    decided_on = models.DateField(_("tanggal keputusan"))
    description = models.TextField(_("pelanggaran"), blank=True)
    appeal_status = models.CharField(
        _("upaya administratif"),
        max_length=12,
        choices=AppealStatus.choices,
        default=AppealStatus.NONE,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hukuman disiplin")
        verbose_name_plural = _("register hukuman disiplin")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.officer} · {self.get_kind_display()}"
