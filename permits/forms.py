"""Back-office forms: they parse and validate input; services decide."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.identity import nib_validator, nik_validator, phone_normalise
from accounts.models import User
from permits.details.spec import label, labels
from permits.models import (
    AnswerChannel,
    Application,
    CheckStatus,
    Conclusion,
    DataStatus,
    FindingResult,
    PermitType,
    Stage,
    Verdict,
)
from permits.selectors.backoffice import WorklistFilters
from permits.selectors.catalogue import catalogue_choices
from permits.services.checks import verdict_stands, wanting_notice
from places.selectors import place_choices


class WorklistFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Cari nomor registrasi, nama pemohon atau kode bayar"),
        required=False,
        max_length=100,
    )
    stage = forms.ChoiceField(label=_("Tahap"), required=False)
    permit_type = forms.TypedChoiceField(
        label=_("Jenis izin"), required=False, coerce=int, empty_value=None
    )
    opd = forms.TypedChoiceField(label=_("OPD"), required=False, coerce=int, empty_value=None)
    sla = forms.ChoiceField(
        label=_("Waktu SOP"),
        required=False,
        choices=[("", _("Semua")), ("due_soon", _("Segera jatuh tempo")), ("late", _("Terlambat"))],
    )
    place = forms.ChoiceField(label=_("Lokasi"), required=False)
    kbli = forms.RegexField(
        label=_("KBLI"),
        regex=r"^\d{2,5}$",
        required=False,
        error_messages={"invalid": _("Tulis 2 sampai 5 angka KBLI.")},
    )
    scope = forms.ChoiceField(
        label=_("Berkas"),
        required=False,
        choices=[("mine", _("Yang saya tangani")), ("all", _("Semua yang dapat saya lihat"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", _("Semua tahap yang berjalan")), *Stage.choices]
        types, opds = catalogue_choices()
        self.fields["permit_type"].choices = [("", _("Semua jenis izin")), *types]
        self.fields["opd"].choices = [("", _("Semua OPD")), *opds]
        self.fields["place"].choices = [("", _("Semua lokasi")), *place_choices()]

    def controls(self) -> list[dict]:
        """The filter controls as plain data for the template.

        Django renders a select's widget option by option through templates, which cost
        more than the whole worklist query (see bench/README.md); the template writes the
        few controls by hand from this instead.
        """
        controls = []
        for bound in self:
            field = bound.field
            value = bound.value()
            value = "" if value is None else str(value)
            control = {"name": bound.name, "id": bound.id_for_label, "label": bound.label}
            control["value"] = value
            control["errors"] = list(bound.errors) if self.is_bound else []
            if isinstance(field, forms.ChoiceField):
                choices = [(str(key), label) for key, label in field.choices]
            else:
                choices = None
            if choices is not None:
                control["options"] = [(key, label, key == value) for key, label in choices]
            controls.append(control)
        return controls

    def filters(self) -> WorklistFilters:
        if not self.is_valid():
            return WorklistFilters()
        data = self.cleaned_data
        return WorklistFilters(
            stage=data["stage"],
            q=data["q"],
            sla=data["sla"],
            scope=data["scope"] or "mine",
            permit_type=data["permit_type"],
            opd=data["opd"],
            place=data["place"],
            kbli=data["kbli"],
        )


class TransitionForm(forms.Form):
    """Every action posts the stage the user saw, so a stale or double post does nothing."""

    expected_state = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(TransitionForm):
    reason = forms.CharField(
        label=_("Alasan penolakan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    legal_basis = forms.CharField(label=_("Dasar hukum"), max_length=1000)


class DataLineMixin:
    """The line for the file's details (``DataCheck``) in the checklist and the return form:
    a verdict, the fields to correct and a note. ``data_line`` sets it up when the file's
    type has fields of its own (``data_check`` given); ``statuses`` are its choices."""

    data_check = None

    def data_line(self, application, data_check, statuses, *, widget=None) -> None:
        self.data_check = data_check
        if data_check is None:
            return
        language = get_language() or "id"
        language_labels = [
            (field["key"], label(field, language)) for field in application.form_spec
        ]
        stands = data_check.stands(application.details)
        self.data_changed = labels(
            application.form_spec, data_check.corrected(application.details), language
        )
        self.fields["data_status"] = forms.ChoiceField(
            label=_("Data permohonan"),
            required=False,
            choices=statuses,
            widget=widget or forms.Select,
            initial=data_check.status if stands and data_check.status in dict(statuses) else None,
        )
        self.fields["data_fields"] = forms.MultipleChoiceField(
            label=_("Isian yang harus diperbaiki"),
            required=False,
            choices=language_labels,
            widget=forms.CheckboxSelectMultiple,
            initial=data_check.fields if stands else [],
        )
        self.fields["data_note"] = forms.CharField(
            label=_("Catatan data untuk pemohon"),
            required=False,
            max_length=1000,
            initial=data_check.note if stands else "",
        )

    def data_clean(self, cleaned: dict) -> tuple[str, str, list[str]] | None:
        """(status, note, fields) of the data line, with each gap named on its field."""
        if self.data_check is None:
            return None
        status = cleaned.get("data_status") or ""
        note = (cleaned.get("data_note") or "").strip()
        fields = cleaned.get("data_fields") or []
        if status == DataStatus.WRONG:
            if not fields:
                self.add_error("data_fields", _("Pilih isian yang harus diperbaiki pemohon."))
            if not note:
                self.add_error("data_note", _("Jelaskan kepada pemohon apa yang harus diperbaiki."))
        return status, note, fields


class ReturnForm(DataLineMixin, TransitionForm):
    """One status and note per requirement; at least one must be missing or invalid.

    It starts from the saved checklist: each requirement already found missing or invalid
    comes with its verdict and note.
    """

    def __init__(self, *args, checks=(), application=None, data_check=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.checks = list(checks)
        self.flagged = set()
        self.data_line(
            application,
            data_check,
            [("", _("Benar / tidak dipersoalkan")), (DataStatus.WRONG, _("Perlu diperbaiki"))],
        )
        for check in self.checks:
            self.fields[f"status_{check.pk}"] = forms.ChoiceField(
                label=check.requirement.name,
                required=False,
                choices=[
                    ("", _("Sesuai / tidak dipersoalkan")),
                    (CheckStatus.MISSING, _("Belum ada")),
                    (CheckStatus.INVALID, _("Tidak sah")),
                ],
            )
            self.fields[f"note_{check.pk}"] = forms.CharField(
                label=_("Catatan untuk pemohon"), required=False, max_length=1000
            )
            bad = check.status in {CheckStatus.MISSING, CheckStatus.INVALID}
            if bad and verdict_stands(check, getattr(check, "versions", None)):
                # The saved checklist already found it wanting: start from that verdict.
                self.initial.setdefault(f"status_{check.pk}", check.status)
                self.initial.setdefault(f"note_{check.pk}", check.note)
                self.flagged.add(check.pk)

    def requirement_rows(self, *, flagged: bool) -> list[tuple]:
        """(status field, note field) of the requirements the saved checklist found
        wanting (``flagged``), or of the others."""
        return [
            (self[f"status_{c.pk}"], self[f"note_{c.pk}"])
            for c in self.checks
            if (c.pk in self.flagged) == flagged
        ]

    def flagged_rows(self) -> list[tuple]:
        return self.requirement_rows(flagged=True)

    def other_rows(self) -> list[tuple]:
        return self.requirement_rows(flagged=False)

    def clean(self):
        cleaned = super().clean()
        findings = {}
        for check in self.checks:
            status = cleaned.get(f"status_{check.pk}")
            note = (cleaned.get(f"note_{check.pk}") or "").strip()
            if status and not note:
                self.add_error(
                    f"note_{check.pk}", _("Jelaskan kepada pemohon apa yang harus diperbaiki.")
                )
            if status:
                findings[check.pk] = (status, note)
        data = self.data_clean(cleaned)
        cleaned["data"] = (data[1], data[2]) if data and data[0] == DataStatus.WRONG else None
        if not findings and not cleaned["data"]:
            raise forms.ValidationError(
                _(
                    "Tandai setidaknya satu persyaratan yang belum ada atau tidak sah, "
                    "atau data yang harus diperbaiki."
                )
                if self.data_check
                else _("Tandai setidaknya satu persyaratan yang belum ada atau tidak sah.")
            )
        cleaned["findings"] = findings
        return cleaned


class ChecklistForm(DataLineMixin, forms.Form):
    """The verdict on every requirement of a file, in one form (the counter's checklist).

    No verdict is chosen in advance: a requirement starts empty unless its saved verdict
    still judges its latest document (``verdict_stands``). The service refuses a checklist
    with a requirement left unchosen.
    """

    prefix = "checklist"

    def __init__(self, *args, checks=(), application=None, data_check=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.checks = list(checks)
        self.data_line(
            application,
            data_check,
            [(DataStatus.OK, _("Benar")), (DataStatus.WRONG, _("Perlu diperbaiki"))],
            widget=forms.RadioSelect,
        )
        # Judged before, but a newer document came since: the verdict is asked again.
        self.renewed = set()
        for check in self.checks:
            versions = getattr(check, "versions", None)
            if versions is not None:
                versions = sorted(versions, key=lambda document: document.version)
            stands = verdict_stands(check, versions)
            # Content found wanting (or nothing new since): said before any "ok" is chosen.
            check.wanting_notice = ""
            if check.status != CheckStatus.PENDING and not (
                stands and check.status == CheckStatus.OK
            ):
                check.wanting_notice = wanting_notice(check, versions)
            if not stands and check.status != CheckStatus.PENDING:
                self.renewed.add(check.pk)
            self.fields[f"status_{check.pk}"] = forms.ChoiceField(
                label=check.requirement.name,
                required=False,
                choices=[(s, label) for s, label in CheckStatus.choices if s != "pending"],
                widget=forms.RadioSelect,
                initial=check.status if stands else None,
            )
            self.fields[f"note_{check.pk}"] = forms.CharField(
                label=_("Catatan"),
                required=False,
                max_length=1000,
                initial=check.note if stands else "",
            )

    def rows(self) -> list[tuple]:
        """(check, status field, note field) per requirement, for the template."""
        return [(c, self[f"status_{c.pk}"], self[f"note_{c.pk}"]) for c in self.checks]

    def verdicts(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            c.pk: (data.get(f"status_{c.pk}") or "", data.get(f"note_{c.pk}") or "")
            for c in self.checks
        }

    def clean(self):
        cleaned = super().clean()
        cleaned["data"] = self.data_clean(cleaned)
        return cleaned

    def data_verdict(self) -> tuple[str, str, list[str]] | None:
        return self.cleaned_data.get("data")

    def add_refusal(self, errors: dict) -> None:
        for pk, message in errors.items():
            self.add_error("data_status" if pk == "data" else f"status_{pk}", message)


class ReassignForm(forms.Form):
    officer = forms.ModelChoiceField(
        label=_("Petugas baru"),
        queryset=User.objects.none(),
        error_messages={
            "required": _("Pilih petugas yang akan menangani berkas ini."),
            "invalid_choice": _("Pilih petugas yang akan menangani berkas ini."),
        },
    )
    reason = forms.CharField(
        label=_("Alasan"),
        max_length=1000,
        error_messages={"required": _("Tuliskan alasan pemindahan.")},
    )

    def __init__(self, *args, candidates=None, **kwargs):
        kwargs.setdefault("auto_id", "reassign-%s")
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["officer"].queryset = candidates


class UploadForm(forms.Form):
    requirement = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("Berkas (PDF, JPEG atau PNG)"))


class WalkInForm(forms.Form):
    """A walk-in applicant registered at the counter (the same file as online)."""

    permit_type = forms.ModelChoiceField(
        label=_("Jenis izin"),
        queryset=PermitType.objects.filter(active=True).select_related("opd").order_by("name_id"),
    )
    applicant_name = forms.CharField(label=_("Nama pemohon"), max_length=150)
    applicant_nik = forms.CharField(label=_("NIK"), max_length=16, validators=[nik_validator])
    applicant_nib = forms.CharField(
        label=_("NIB (untuk badan usaha)"),
        max_length=13,
        required=False,
        validators=[nib_validator],
    )
    business_name = forms.CharField(label=_("Nama usaha"), max_length=200, required=False)
    applicant_phone = forms.CharField(label=_("Nomor ponsel"), max_length=20, required=False)
    applicant_email = forms.EmailField(label=_("Email"), required=False)
    applicant_address = forms.CharField(label=_("Alamat"), widget=forms.Textarea(attrs={"rows": 2}))
    representative_name = forms.CharField(
        label=_("Nama kuasa (bila diwakilkan)"), max_length=150, required=False
    )
    representative_nik = forms.CharField(
        label=_("NIK kuasa"), max_length=16, required=False, validators=[nik_validator]
    )

    def clean_applicant_nik(self):
        return self.cleaned_data["applicant_nik"].strip()


class DraftForm(forms.ModelForm):
    """The applicant's own data on their draft, saved as they go.

    Business name and NIB apply only to an application for a business: for a person the
    page hides them, and whatever is posted for them is ignored and cleared.
    """

    PERSON, BUSINESS = "person", "business"
    BUSINESS_FIELDS = ("business_name", "applicant_nib")

    applicant_kind = forms.ChoiceField(
        label=_("Mengajukan sebagai"),
        choices=[(PERSON, _("Perorangan")), (BUSINESS, _("Badan usaha"))],
        widget=forms.RadioSelect,
        required=False,
    )

    class Meta:
        model = Application
        fields = [
            "applicant_name",
            "applicant_address",
            "applicant_phone",
            "applicant_email",
            "business_name",
            "applicant_nib",
            "representative_name",
            "representative_nik",
        ]
        labels = {
            "applicant_name": _("Nama pemohon"),
            "applicant_address": _("Alamat"),
            "applicant_phone": _("Nomor ponsel"),
            "applicant_email": _("Surel"),
            "business_name": _("Nama usaha"),
            "applicant_nib": _("NIB"),
            "representative_name": _("Nama kuasa (bila diwakilkan)"),
            "representative_nik": _("NIK kuasa"),
        }
        widgets = {
            "applicant_address": forms.Textarea(attrs={"rows": 2}),
            "business_name": forms.TextInput(attrs={"data-show-if": "applicant_kind=business"}),
            "applicant_nib": forms.TextInput(attrs={"data-show-if": "applicant_kind=business"}),
        }

    field_order = ["applicant_name", "applicant_address", "applicant_phone", "applicant_email"]
    field_order += ["applicant_kind", *BUSINESS_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant_nib"].validators.append(nib_validator)
        self.fields["representative_nik"].validators.append(nik_validator)
        business = any(getattr(self.instance, name) for name in self.BUSINESS_FIELDS)
        self.initial.setdefault("applicant_kind", self.BUSINESS if business else self.PERSON)
        if self.is_bound and self.data.get("applicant_kind") == self.PERSON:
            self.data = self.data.copy()
            for name in self.BUSINESS_FIELDS:
                self.data[name] = ""

    def clean_applicant_phone(self):
        phone = self.cleaned_data["applicant_phone"].strip()
        return phone_normalise(phone) if phone else ""

    def clean(self):
        data = super().clean()
        if data.get("representative_name") and not data.get("representative_nik"):
            self.add_error("representative_nik", _("Isi NIK kuasa."))
        return data

    def updates(self) -> dict:
        """The application's fields the applicant changed (a person's business data cleared)."""
        fields = self._meta.fields
        return {name: self.cleaned_data[name] for name in self.changed_data if name in fields}


class WithdrawForm(forms.Form):
    expected_state = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Alasan pencabutan"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Tuliskan alasan Anda mencabut permohonan.")},
    )


class RecommendationForm(forms.Form):
    """An agency officer's recommendation on a file (the service says what each verdict
    needs: conditions, or reasons with their legal basis)."""

    verdict = forms.ChoiceField(
        label=_("Rekomendasi"), choices=Verdict.choices, widget=forms.RadioSelect
    )
    conditions = forms.CharField(
        label=_("Syarat yang dimuat dalam izin"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reasons = forms.CharField(
        label=_("Alasan"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    legal_basis = forms.CharField(label=_("Dasar hukum"), required=False, max_length=1000)


class SendBackForm(forms.Form):
    note = forms.CharField(
        label=_("Yang harus diperbaiki"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


# --- the field inspection's appointment (issue 22.2) -----------------------------------


class _AppointmentFields(forms.Form):
    """A date and a time in the office's time zone, as a phone's pickers give them."""

    when_required = True
    day = forms.DateField(
        label=_("Tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tulis tanggal seperti 14-12-2026.")},
    )
    hour = forms.TimeField(
        label=_("Jam"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M"),
        error_messages={"invalid": _("Tulis jam seperti 10.00.")},
    )

    def moment(self):
        """The aware moment chosen, or None."""
        day, hour = self.cleaned_data.get("day"), self.cleaned_data.get("hour")
        if day is None or hour is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, hour))

    def clean(self):
        cleaned = super().clean()
        wanted = self.when_required or cleaned.get("answer") == "move"
        if wanted and not self.errors:
            if cleaned.get("day") is None:
                self.add_error("day", _("Pilih tanggal peninjauan."))
            if cleaned.get("hour") is None:
                self.add_error("hour", _("Pilih jam peninjauan."))
        return cleaned


class SiteVisitProposeForm(_AppointmentFields):
    """The lead officer's proposed time and place for the visit."""

    address = forms.CharField(
        label=_("Alamat lokasi"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Terisi dari data permohonan; tambahkan patokan bila perlu."),
    )
    note = forms.CharField(
        label=_("Catatan untuk pemohon"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Misalnya dokumen asli yang perlu disiapkan di lokasi."),
    )


class SiteVisitAnswerForm(_AppointmentFields):
    """The applicant's answer to a proposed time: confirmed, or another time asked for."""

    when_required = False
    answer = forms.ChoiceField(
        label=_("Jawaban"),
        choices=[
            ("confirm", _("Saya bersedia pada jadwal ini")),
            ("move", _("Saya minta jadwal lain")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih jawaban Anda.")},
    )
    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SiteVisitAnswerOnBehalfForm(SiteVisitAnswerForm):
    """The lead records the applicant's answer given by telephone or at the office."""

    channel = forms.ChoiceField(
        label=_("Dijawab lewat"),
        choices=[
            (AnswerChannel.TELEPHONE, AnswerChannel.TELEPHONE.label),
            (AnswerChannel.IN_PERSON, AnswerChannel.IN_PERSON.label),
        ],
        error_messages={"required": _("Sebutkan bagaimana pemohon menjawab.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        answer = self.fields["answer"]  # the same answer, said of the applicant
        answer.label = _("Jawaban pemohon")
        answer.choices = [
            ("confirm", _("Pemohon bersedia pada jadwal ini")),
            ("move", _("Pemohon meminta jadwal lain")),
        ]
        answer.error_messages["required"] = _("Pilih jawaban pemohon.")


class SiteVisitReportForm(forms.Form):
    """The lead's report: a result (and a note) for each checklist item, a conclusion and
    an account of the visit."""

    conclusion = forms.ChoiceField(
        label=_("Kesimpulan"),
        choices=Conclusion.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih kesimpulan peninjauan.")},
    )
    summary = forms.CharField(
        label=_("Uraian hasil peninjauan"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Uraikan hasil peninjauan.")},
    )

    def __init__(self, *args, items: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for i, item in enumerate(items):
            self.fields[f"result_{i}"] = forms.ChoiceField(
                label=item,
                choices=FindingResult.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Pilih hasil butir ini.")},
            )
            self.fields[f"note_{i}"] = forms.CharField(
                label=_("Catatan"), required=False, max_length=1000
            )
        # The summary and the conclusion after the items, as the paper form has them.
        self.order_fields([*[n for n in self.fields if n.startswith(("result_", "note_"))]])

    def rows(self):
        """Each item with its two fields, for the template."""
        return [(item, self[f"result_{i}"], self[f"note_{i}"]) for i, item in enumerate(self.items)]

    def results(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [(data[f"result_{i}"], data.get(f"note_{i}", "")) for i in range(len(self.items))]


class ApplicantSignForm(forms.Form):
    """The applicant signs the report in their account (an objection may go with it)."""

    read = forms.BooleanField(
        label=_("Saya sudah membaca berita acara ini dan menandatanganinya."),
        error_messages={"required": _("Centang bahwa Anda sudah membaca berita acara.")},
    )
    objection = forms.CharField(
        label=_("Keberatan atau catatan (bila ada)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ApplicantSignOnSiteForm(ApplicantSignForm):
    """The lead records the applicant's side signing on site, in front of the team."""

    read = forms.BooleanField(
        label=_("Pihak pemohon sudah membaca berita acara dan menandatanganinya di hadapan tim."),
        error_messages={"required": _("Centang bahwa pihak pemohon sudah menandatangani.")},
    )
    signer = forms.CharField(
        label=_("Nama yang menandatangani (pemohon atau kuasanya)"),
        max_length=150,
        error_messages={"required": _("Tuliskan nama yang menandatangani di lokasi.")},
    )


class SiteVisitPhotoForm(forms.Form):
    """A photo of the site, taken with the phone's camera (its place and time come from the
    photo, else from the phone's browser: hidden fields the page's script fills)."""

    photo = forms.FileField(
        label=_("Foto"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png", "capture": "environment"}
        ),
        error_messages={"required": _("Ambil atau pilih foto.")},
    )
    caption = forms.CharField(label=_("Keterangan foto"), required=False, max_length=200)
