"""The applicant's file (berkas) and its state machine.

Transitions are django-fsm-2 methods; each one checks who fires it (``authorize``) before
the state changes, so the rule holds whoever calls the model, not only the views. Services
(``permits.services``) call them inside ``transaction.atomic()`` with the row locked, then
record the event and assign the next officer.
"""

from __future__ import annotations

import copy
import secrets
import uuid

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from accounts.models import Role
from core.history import HistoricalRecords
from permits import sla
from permits.details.values import details_clean, details_facts
from permits.models.catalogue import OPD, PermitType
from permits.models.stages import (
    APPLICANT_STAGES,
    FINAL_STAGES,
    OPEN_STAGES,
    PROCESSING_ORDER,
    RULES,
    Stage,
    stage_used,
)
from places.selectors import gazetteer
from worktime.calendar import get_calendar

# No 0/O, 1/I/L: a code read aloud at the counter or typed on a phone is not misread.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 12  # 12 × log2(31) ≈ 59.4 bits of randomness


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, TRACKING_LENGTH, 4))


def normalise_tracking_code(text: str) -> str:
    raw = "".join(ch for ch in text.upper() if ch.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


class Channel(models.TextChoices):
    ONLINE = "online", _("Daring")
    COUNTER = "counter", _("Loket")
    PARTNER = "partner", _("Sistem mitra")


class Application(ConcurrentTransitionMixin, models.Model):
    """One applicant's file for one permit type."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    registration_number = models.CharField(
        _("nomor registrasi"), max_length=20, unique=True, null=True, blank=True
    )
    tracking_code = models.CharField(
        _("kode lacak"), max_length=14, unique=True, default=new_tracking_code, editable=False
    )
    permit_type = models.ForeignKey(
        PermitType,
        verbose_name=_("jenis izin"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    channel = models.CharField(_("jalur"), max_length=10, choices=Channel.choices)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun pemohon"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    # The applicant as stated on this file (a snapshot: later profile edits do not rewrite it).
    applicant_name = models.CharField(_("nama pemohon"), max_length=150)
    applicant_nik = models.CharField(_("NIK"), max_length=16)
    applicant_nib = models.CharField(_("NIB"), max_length=13, blank=True)
    business_name = models.CharField(_("nama usaha"), max_length=200, blank=True)
    applicant_phone = models.CharField(_("nomor ponsel"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("email"), blank=True)
    applicant_address = models.TextField(_("alamat"), blank=True)
    representative_name = models.CharField(_("nama kuasa"), max_length=150, blank=True)
    representative_nik = models.CharField(_("NIK kuasa"), max_length=16, blank=True)
    # What the file states about the thing it asks a permit for, checked against the form
    # version it was made with (permits.details) on every write.
    form_version = models.ForeignKey(
        "permits.FormVersion",
        verbose_name=_("versi formulir"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    details = models.JSONField(_("data permohonan"), default=dict, blank=True)
    # Read off the details as they are saved (``details_facts``), for filters and counts: the
    # place the permit is about (its first address field) and the business line (KBLI).
    site_kecamatan = models.CharField(_("kecamatan lokasi"), max_length=8, blank=True)
    site_desa = models.CharField(_("desa/kelurahan lokasi"), max_length=13, blank=True)
    kbli = models.CharField(_("KBLI"), max_length=5, blank=True)

    state = FSMField(_("tahap"), default=Stage.DRAFT, choices=Stage.choices, protected=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("petugas"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_applications",
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diverifikasi oleh"),
    )
    returned_from = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    applicant_deadline = models.DateTimeField(
        _("batas waktu pemohon"),
        null=True,
        blank=True,
        help_text=_("Berkas yang dikembalikan kedaluwarsa bila tidak dilengkapi sebelum ini."),
    )
    rejection_reason = models.TextField(_("alasan penolakan"), blank=True)
    rejection_legal_basis = models.TextField(_("dasar hukum penolakan"), blank=True)

    # The SOP clock (permits.sla).
    clock_started_at = models.DateTimeField(_("berkas lengkap pada"), null=True, blank=True)
    clock_running_since = models.DateTimeField(null=True, blank=True)
    sop_budget = models.DurationField(null=True, blank=True)
    work_used = models.DurationField(default=sla.ZERO)
    sop_deadline = models.DateTimeField(_("batas waktu SOP"), null=True, blank=True)
    finished_late = models.BooleanField(null=True, blank=True)
    # The completeness check (permits.sla): set while the file waits in the counter's queue.
    waiting_since = models.DateTimeField(_("menunggu pemeriksaan sejak"), null=True, blank=True)
    check_due_at = models.DateTimeField(
        _("batas waktu pemeriksaan kelengkapan"), null=True, blank=True
    )

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    stage_entered_at = models.DateTimeField(default=timezone.now)
    # An integrity hold (a conflict-of-interest case is open): no transition fires until it
    # is released; the SOP clock keeps running (the delay is the office's).
    held_since = models.DateTimeField(_("ditahan sejak"), null=True, blank=True)
    # The receipt PDF, rendered by a Celery task after submission (permits.receipt).
    receipt_pdf = models.FileField(max_length=200, blank=True, editable=False)
    receipt_sha256 = models.CharField(max_length=64, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("berkas")
        verbose_name_plural = _("berkas")
        indexes = [
            models.Index(fields=["assigned_to", "state", "sop_deadline"], name="app_worklist"),
            # Worklists of open files in deadline order, read in index order up to one page
            # (PostgreSQL also gets trigram indexes on the names: migration 0005).
            models.Index(
                fields=["assigned_to", "sop_deadline", "waiting_since", "submitted_at", "id"],
                condition=models.Q(state__in=sorted(OPEN_STAGES)),
                name="app_open_mine",
            ),
            models.Index(
                fields=["sop_deadline", "waiting_since", "submitted_at", "id"],
                condition=models.Q(state__in=sorted(OPEN_STAGES)),
                name="app_open_all",
            ),
            models.Index(fields=["state", "sop_deadline"], name="app_state_deadline"),
            models.Index(fields=["permit_type", "state"], name="app_type_state"),
            models.Index(fields=["state", "applicant_deadline"], name="app_returned_due"),
            # Reminders and the LATE sweep: checks due soon or overdue.
            models.Index(fields=["check_due_at"], name="app_check_due"),
            models.Index(fields=["applicant_nik"], name="app_nik"),
            # Red flags: a type's recently issued files (FAST), a representative's files (PAIR).
            models.Index(fields=["permit_type", "state", "finished_at"], name="app_type_finished"),
            models.Index(fields=["representative_nik"], name="app_representative_nik"),
            # The worklist's filters by place and business line (issue 19.6).
            models.Index(fields=["site_kecamatan", "site_desa"], name="app_site"),
            models.Index(fields=["kbli"], name="app_kbli"),
            # QUEUE: the type's files submitted in a window.
            models.Index(fields=["permit_type", "submitted_at"], name="app_type_submitted"),
            # Transparency and monev: a period's files received and finished, and the backlog
            # at a moment (unfinished, or finished since: a btree serves IS NULL too), read
            # as ranges whatever the length of the history.
            models.Index(fields=["submitted_at"], name="app_submitted"),
            models.Index(fields=["finished_at"], name="app_finished"),
        ]

    def __str__(self) -> str:
        return self.registration_number or str(_("Draf"))

    # --- the details (permits.details) ---------------------------------------------------

    def save(self, *args, **kwargs):
        """Saves the file; its details, when they changed, are checked first against the
        form version it was made with (a value that no longer cleans to itself is refused)."""
        update_fields = kwargs.get("update_fields")
        if (update_fields is None or "details" in update_fields) and self.details != getattr(
            self, "_details_stored", {}
        ):
            self.details_validate()
            facts = details_facts(self.form_spec, self.details)
            for name, value in facts.items():
                setattr(self, name, value)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *facts}
        super().save(*args, **kwargs)
        self._details_stored = copy.deepcopy(self.details)

    @classmethod
    def from_db(cls, db, field_names, values):
        app = super().from_db(db, field_names, values)
        app._details_stored = copy.deepcopy(app.__dict__.get("details"))
        return app

    @property
    def form_spec(self) -> list[dict]:
        """The fields this file states its details against (its form version's)."""
        return self.form_version.spec if self.form_version_id else []

    def data_check_status(self) -> str:
        """The counter's verdict on the file's details ("" when its type asks none)."""
        data_check = apps.get_model("permits", "DataCheck")
        verdicts = data_check.objects.filter(application=self).values_list("status", flat=True)
        return verdicts.first() or ""

    def details_validate(self) -> None:
        if not isinstance(self.details, dict):
            raise ValidationError({"details": _("Data permohonan harus berupa objek.")})
        cleaned = details_clean(
            self.form_spec, self.details, places=gazetteer(with_inactive=True), complete=False
        )
        if cleaned.errors or cleaned.values != self.details:
            problems = list(cleaned.errors.values()) or [
                _("Data permohonan tidak sesuai formulirnya.")
            ]
            raise ValidationError({"details": problems})

    @property
    def stage_label(self) -> str:
        """The stage in words (``get_state_display`` costs a hundred times more per row)."""
        return Stage(self.state).label

    # --- who may act -------------------------------------------------------------------

    def is_applicant(self, user) -> bool:
        return user is not None and self.applicant_id is not None and user.pk == self.applicant_id

    def speaks_for_applicant(self, user) -> bool:
        """Whether ``user`` acts as the applicant on this file: the applicant, a counter
        officer on a walk-in file, the partner system (``Role.PARTNER``) on a file it filed."""
        if user is None:
            return False
        if self.is_applicant(user):
            return True
        if user.role == Role.COUNTER:
            return self.channel == Channel.COUNTER
        if user.role == Role.PARTNER:
            return self.channel == Channel.PARTNER and self.created_by_id == user.pk
        return False

    def may_fire(self, name: str, user) -> bool:
        """Whether ``user`` (None: the system) may fire transition ``name`` now."""
        rule = RULES[name]
        if self.held_since is not None:
            return False
        if user is None:
            return rule.system
        if not user.is_active:
            return False
        if self.is_applicant(user):
            return rule.applicant
        if rule.on_behalf:
            return self.speaks_for_applicant(user)
        if user.role not in rule.roles:
            return False
        if rule.assignee and self.assigned_to_id != user.pk:
            return False
        # Separation of duties: whoever declared the file complete does not approve it.
        return not (name == "approve" and self.verified_by_id == user.pk)

    def authorize(self, name: str, user) -> None:
        if not self.may_fire(name, user):
            raise PermissionDenied(
                _("Anda tidak berwenang melakukan tindakan ini pada berkas ini.")
            )

    # --- stages the permit type uses ---------------------------------------------------

    def uses_stage(self, stage: str) -> bool:
        return stage_used(self.permit_type, stage)

    def next_processing_stage(self, after: str | None = None) -> str:
        """The first stage after ``after`` (or after verification) this type uses."""
        order = list(PROCESSING_ORDER)
        start = order.index(after) + 1 if after in order else 0
        return next(stage for stage in order[start:] if self.uses_stage(stage))

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STAGES

    @property
    def clock(self) -> sla.ClockStatus:
        return sla.clock_status(self, timezone.now(), get_calendar())

    @property
    def check_clock(self) -> sla.CheckStatus:
        return sla.check_status(self, timezone.now(), get_calendar())

    def _entered(self, at) -> None:
        self.stage_entered_at = at

    # --- transitions -------------------------------------------------------------------
    # Each takes the acting user (``by``; None for the system) and the moment (``at``).

    @transition(
        field=state,
        source=Stage.DRAFT,
        target=Stage.SUBMITTED,
        permission=lambda app, user: app.may_fire("submit", user),
    )
    def submit(self, *, by, at) -> None:
        self.authorize("submit", by)
        self.submitted_at = at
        sla.check_begin(self, at, get_calendar())
        self._entered(at)

    @transition(
        field=state,
        source=Stage.SUBMITTED,
        target=Stage.VERIFICATION,
        permission=lambda app, user: app.may_fire("begin_verification", user),
    )
    def begin_verification(self, *, by, at) -> None:
        self.authorize("begin_verification", by)
        self._entered(at)

    @transition(
        field=state,
        source=[Stage.VERIFICATION, Stage.TECHNICAL_REVIEW, Stage.INSPECTION],
        target=Stage.RETURNED,
        permission=lambda app, user: app.may_fire("return_to_applicant", user),
    )
    def return_to_applicant(self, *, by, at, applicant_deadline) -> None:
        self.authorize("return_to_applicant", by)
        wanting = self.checks.filter(status__in=["missing", "invalid"]).exists()
        if not wanting and not (self.form_spec and self.data_check_status() == "wrong"):
            raise ValidationError(
                _("Tandai setidaknya satu persyaratan yang kurang atau tidak sah, dengan catatan.")
            )
        self.returned_from = self.state
        self.applicant_deadline = applicant_deadline
        sla.check_end(self)
        sla.clock_pause(self, at, get_calendar())
        self._entered(at)

    @transition(
        field=state,
        source=Stage.RETURNED,
        target=Stage.VERIFICATION,
        permission=lambda app, user: app.may_fire("resubmit", user),
    )
    def resubmit(self, *, by, at) -> None:
        self.authorize("resubmit", by)
        self.applicant_deadline = None
        sla.check_begin(self, at, get_calendar())
        self._entered(at)

    @transition(
        field=state,
        source=Stage.VERIFICATION,
        target=RETURN_VALUE(*PROCESSING_ORDER),
        permission=lambda app, user: app.may_fire("declare_complete", user),
    )
    def declare_complete(self, *, by, at) -> str:
        self.authorize("declare_complete", by)
        pending = self.checks.filter(requirement__mandatory=True).exclude(status="ok")
        if pending.exists():
            raise ValidationError(
                _("Semua persyaratan wajib harus dinyatakan sesuai sebelum berkas lengkap.")
            )
        if self.form_spec and self.data_check_status() != "ok":
            raise ValidationError(
                _("Data permohonan harus dinyatakan benar sebelum berkas lengkap.")
            )
        self.verified_by = by
        sla.check_end(self)
        sla.clock_start(self, at, get_calendar())
        self._entered(at)
        return self.next_processing_stage()

    @transition(
        field=state,
        source=Stage.TECHNICAL_REVIEW,
        target=RETURN_VALUE(Stage.INSPECTION, Stage.AWAITING_PAYMENT, Stage.APPROVAL),
        permission=lambda app, user: app.may_fire("finish_review", user),
    )
    def finish_review(self, *, by, at) -> str:
        self.authorize("finish_review", by)
        waiting = [
            str(opd)
            for opd in OPD.objects.filter(
                pk__in=self.recommendations.filter(signed_at__isnull=True).values("opd_id")
            )
        ]
        if waiting:
            raise ValidationError(
                _("Kajian teknis belum dapat diselesaikan: menunggu rekomendasi %(opds)s.")
                % {"opds": ", ".join(waiting)}
            )
        return self._advance(Stage.TECHNICAL_REVIEW, at)

    @transition(
        field=state,
        source=Stage.INSPECTION,
        target=RETURN_VALUE(Stage.AWAITING_PAYMENT, Stage.APPROVAL),
        permission=lambda app, user: app.may_fire("finish_inspection", user),
    )
    def finish_inspection(self, *, by, at) -> str:
        self.authorize("finish_inspection", by)
        from permits.models.site_visits import OPEN_VISIT_STATUSES, SiteVisit

        # A visit scheduled is a visit reported: its berita acara signed by all first.
        if SiteVisit.objects.filter(application=self, status__in=OPEN_VISIT_STATUSES).exists():
            raise ValidationError(
                _(
                    "Peninjauan lapangan belum dapat diselesaikan: berita acaranya belum "
                    "ditandatangani tim dan pemohon."
                )
            )
        return self._advance(Stage.INSPECTION, at)

    def _advance(self, current: str, at) -> str:
        following = self.next_processing_stage(after=current)
        if following == Stage.AWAITING_PAYMENT:
            calendar = get_calendar()
            sla.clock_pause(self, at, calendar)
            # The bill falls due then (issuance.Bill.due_at copies it); unpaid, the file expires.
            self.applicant_deadline = calendar.add_working_days(at, settings.BILL_DUE_WORKING_DAYS)
        self._entered(at)
        return following

    @transition(
        field=state,
        source=Stage.AWAITING_PAYMENT,
        target=Stage.APPROVAL,
        permission=lambda app, user: app.may_fire("confirm_payment", user),
    )
    def confirm_payment(self, *, by, at) -> None:
        self.authorize("confirm_payment", by)
        self.applicant_deadline = None
        sla.clock_resume(self, at, get_calendar())
        self._entered(at)

    @transition(
        field=state,
        source=Stage.APPROVAL,
        target=Stage.SIGNING,
        permission=lambda app, user: app.may_fire("approve", user),
    )
    def approve(self, *, by, at) -> None:
        self.authorize("approve", by)
        self._entered(at)

    @transition(
        field=state,
        source=Stage.SIGNING,
        target=Stage.ISSUED,
        permission=lambda app, user: app.may_fire("sign", user),
    )
    def sign(self, *, by, at) -> None:
        self.authorize("sign", by)
        self._finish(at)

    @transition(
        field=state,
        source=[
            Stage.VERIFICATION,
            Stage.TECHNICAL_REVIEW,
            Stage.INSPECTION,
            Stage.APPROVAL,
            Stage.SIGNING,
        ],
        target=Stage.REJECTED,
        permission=lambda app, user: app.may_fire("reject", user),
    )
    def reject(self, *, by, at, reason: str, legal_basis: str) -> None:
        self.authorize("reject", by)
        if not reason.strip() or not legal_basis.strip():
            raise ValidationError(_("Penolakan wajib disertai alasan dan dasar hukumnya."))
        self.rejection_reason = reason.strip()
        self.rejection_legal_basis = legal_basis.strip()
        self._finish(at)

    @transition(
        field=state,
        source=[s for s in Stage if s not in FINAL_STAGES and s != Stage.SIGNING],
        target=Stage.WITHDRAWN,
        permission=lambda app, user: app.may_fire("withdraw", user),
    )
    def withdraw(self, *, by, at) -> None:
        self.authorize("withdraw", by)
        self._finish(at)

    @transition(
        field=state,
        source=list(APPLICANT_STAGES),
        target=Stage.EXPIRED,
        permission=lambda app, user: app.may_fire("expire", user),
    )
    def expire(self, *, by, at) -> None:
        self.authorize("expire", by)
        self._finish(at)

    def _finish(self, at) -> None:
        sla.check_end(self)
        sla.clock_stop(self, at, get_calendar())
        self.finished_at = at
        self.applicant_deadline = None
        self._entered(at)
