from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from integrity.conflicts.models import (
    AffiliationKind,
    AffiliationRole,
    ConflictNature,
    ConflictSource,
    Decision,
    Measure,
    PressureFrom,
    Relationship,
    SanctionKind,
    SanctionLevel,
    SuspicionRoute,
)


class ConflictDeclarationForm(forms.Form):
    """A conflict on a file, actual or potential, with its source and the party involved."""

    nature = forms.ChoiceField(label=_("Sifat"), choices=ConflictNature.choices)
    source = forms.ChoiceField(label=_("Sumber"), choices=ConflictSource.choices)
    pressure_from = forms.ChoiceField(
        label=_("Bila tekanan: dari siapa"),
        choices=[("", "—"), *PressureFrom.choices],
        required=False,
        help_text=_(
            "Tekanan dari atasan langsung ditelaah satu tingkat di atasnya; dari Kepala Dinas, "
            "oleh Inspektorat. Orang yang Anda sebut tidak melihat kasus ini."
        ),
    )
    related_party = forms.CharField(label=_("Pihak terkait"), max_length=200)
    description = forms.CharField(
        label=_("Uraian"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args, **kwargs):
        # Its own ids: the file page holds other forms with fields of the same names.
        kwargs.setdefault("auto_id", "conflict-%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("source") == ConflictSource.PRESSURE and not data.get("pressure_from"):
            self.add_error("pressure_from", _("Sebutkan dari siapa tekanan itu datang."))
        if data.get("source") != ConflictSource.PRESSURE:
            data["pressure_from"] = ""
        return data


class SuspicionForm(forms.Form):
    """A colleague's report of a suspected conflict on a file they do not hold."""

    officer = forms.TypedChoiceField(
        label=_("Petugas yang diduga berkonflik"), coerce=int, required=False, empty_value=None
    )
    route = forms.ChoiceField(
        label=_("Laporkan kepada"),
        choices=SuspicionRoute.choices,
        initial=SuspicionRoute.SUPERVISOR,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("Uraian dugaan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args, officers=(), **kwargs):
        kwargs.setdefault("auto_id", "suspicion-%s")  # the file page has other such fields
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [
            ("", _("— tidak tertentu —")),
            *[(o.pk, o.display_name) for o in officers],
        ]


class OpenCaseForm(forms.Form):
    officer = forms.TypedChoiceField(label=_("Petugas yang diduga berkonflik"), coerce=int)
    note = forms.CharField(
        label=_("Dugaan konflik kepentingan"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def __init__(self, *args, officers=(), **kwargs):
        kwargs.setdefault("auto_id", "case-%s")  # the file page has other "note" fields
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [(o.pk, o.display_name) for o in officers]


class ReviewForm(forms.Form):
    real = forms.TypedChoiceField(
        label=_("Apakah konflik kepentingan itu nyata?"),
        choices=[("1", _("Ya, nyata")), ("0", _("Tidak"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    impact = forms.CharField(
        label=_("Dampaknya pada pelayanan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )
    recommendation = forms.ChoiceField(
        label=_("Tindakan yang disarankan"), choices=[("", "—"), *Measure.choices], required=False
    )
    note = forms.CharField(
        label=_("Hasil telaah awal"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"), choices=Decision.choices, widget=forms.RadioSelect
    )
    measure = forms.ChoiceField(
        label=_("Tindakan (bila ada konflik)"),
        choices=[("", "—"), *Measure.choices],
        required=False,
    )
    reason = forms.CharField(
        label=_("Alasan keputusan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class AffiliationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=AffiliationKind.choices)
    name = forms.CharField(
        label=_("Nama orang, usaha atau organisasi"), max_length=200, required=False
    )
    relationship = forms.ChoiceField(
        label=_("Hubungan keluarga"), choices=[("", "—"), *Relationship.choices], required=False
    )
    role = forms.ChoiceField(
        label=_("Peran Anda"), choices=[("", "—"), *AffiliationRole.choices], required=False
    )
    nik = forms.RegexField(
        label=_("NIK (bila tahu)"),
        regex=r"^\d{16}$",
        required=False,
        error_messages={"invalid": _("NIK terdiri dari 16 angka.")},
    )
    nib = forms.RegexField(
        label=_("NIB (bila ada)"),
        regex=r"^\d{13}$",
        required=False,
        error_messages={"invalid": _("NIB terdiri dari 13 angka.")},
    )
    npwp = forms.CharField(label=_("NPWP (bila ada)"), max_length=20, required=False)
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if (
            data.get("name")
            and data.get("kind") == AffiliationKind.RELATIVE
            and not data.get("relationship")
        ):
            self.add_error("relationship", _("Pilih hubungan keluarga."))
        return data


AffiliationFormSet = forms.formset_factory(AffiliationForm, extra=3, max_num=100)


class RegisterNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan (misalnya jabatan rangkap yang sedang berjalan)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class GratificationForm(forms.Form):
    what = forms.CharField(label=_("Apa yang diberikan atau ditawarkan"), max_length=300)
    estimated_value = forms.IntegerField(label=_("Perkiraan nilai (Rp)"), min_value=0)
    giver = forms.CharField(label=_("Dari siapa"), max_length=200)
    accepted = forms.TypedChoiceField(
        label=_("Anda menerima atau menolaknya?"),
        choices=[("0", _("Saya tolak")), ("1", _("Saya terima (wajib dilaporkan ke KPK)"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    received_on = forms.DateField(
        label=_("Tanggal diterima atau ditawarkan"), widget=forms.DateInput(attrs={"type": "date"})
    )
    registration_number = forms.CharField(
        label=_("Nomor registrasi berkas terkait (bila ada)"), max_length=20, required=False
    )
    note = forms.CharField(
        label=_("Keterangan"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class KpkReportForm(forms.Form):
    reported_on = forms.DateField(
        label=_("Tanggal lapor ke KPK"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reference = forms.CharField(label=_("Nomor laporan KPK"), max_length=100)

    @classmethod
    def for_report(cls, report, data=None) -> KpkReportForm:
        """One report's form among the table's rows: its own ids, and it knows its report."""
        form = cls(data, auto_id=f"kpk-{report.public_id}-%s")
        form.report_id = report.public_id
        return form


class SanctionForm(forms.Form):
    officer = forms.TypedChoiceField(label=_("Petugas"), coerce=int)
    level = forms.ChoiceField(label=_("Tingkat"), choices=SanctionLevel.choices)
    kind = forms.ChoiceField(label=_("Jenis hukuman"), choices=SanctionKind.choices)
    legal_basis = forms.CharField(
        label=_("Dasar hukum"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    decided_by = forms.CharField(label=_("Pejabat yang memutus"), max_length=200)
    decided_on = forms.DateField(
        label=_("Tanggal keputusan"), widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(
        label=_("Pelanggaran"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, officers=(), **kwargs):
        kwargs.setdefault("auto_id", "case-%s")  # the file page has other "note" fields
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [(o.pk, o.display_name) for o in officers]
