"""Forms of the inspectorate's workspace."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import STAFF_ROLES, User
from accounts.selectors import responsible_staff
from integrity.conflicts.models import SanctionLevel
from integrity.inspection.flags.registry import RULES
from integrity.inspection.models import (
    FlagState,
    Severity,
)
from permits.models import OPD


def _rule_choices():
    from integrity.inspection.flags import rules  # noqa: F401

    return [("", _("Semua aturan"))] + [
        (code, f"{code} · {rule.title}") for code, rule in sorted(RULES.items())
    ]


class DateInput(forms.DateInput):
    input_type = "date"


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua status")), *list(FlagState.choices)],
    )
    rule = forms.ChoiceField(label=_("Aturan"), required=False, choices=_rule_choices)
    severity = forms.ChoiceField(
        label=_("Tingkat"),
        required=False,
        choices=[("", _("Semua tingkat")), *list(Severity.choices)],
    )
    opd = forms.ModelChoiceField(
        label=_("OPD"),
        required=False,
        queryset=OPD.objects.order_by("code"),
        empty_label=_("Semua OPD"),
    )
    officer = forms.ModelChoiceField(
        label=_("Petugas"),
        required=False,
        empty_label=_("Semua petugas"),
        queryset=User.objects.filter(role__in=sorted(STAFF_ROLES)).order_by("full_name"),
    )
    since = forms.DateField(label=_("Sejak"), required=False, widget=DateInput)
    until = forms.DateField(label=_("Sampai"), required=False, widget=DateInput)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("Tanggal awal harus sebelum tanggal akhir."))
        return data

    def filters(self) -> dict:
        if not self.is_bound:
            return {"state": FlagState.OPEN}
        if not self.is_valid():
            return {"state": FlagState.OPEN}
        return dict(self.cleaned_data.items())


class SampleForm(forms.Form):
    size = forms.IntegerField(label=_("Jumlah berkas"), min_value=1, max_value=200, initial=10)
    opd = forms.ModelChoiceField(
        label=_("OPD"),
        required=False,
        queryset=OPD.objects.order_by("code"),
        empty_label=_("Semua OPD"),
    )
    since = forms.DateField(label=_("Diajukan sejak"), required=False, widget=DateInput)
    until = forms.DateField(label=_("Sampai"), required=False, widget=DateInput)
    seed = forms.IntegerField(
        label=_("Benih acak (untuk mengulang penarikan yang sama)"),
        required=False,
        min_value=0,
        max_value=10**9,
    )


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan diabaikan"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Tuliskan alasan bendera ini diabaikan.")},
    )

    @classmethod
    def for_flag(cls, flag, data=None) -> DismissForm:
        """One flag's form among the page's rows: its own ids, and it knows its flag."""
        form = cls(data, auto_id=f"dismiss-{flag.public_id}-%s")
        form.flag_id = flag.public_id
        return form


class FindingForm(forms.Form):
    title = forms.CharField(label=_("Judul temuan"), max_length=200)
    condition = forms.CharField(
        label=_("Kondisi (apa yang ditemukan)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    criteria = forms.CharField(
        label=_("Kriteria (aturan yang dilanggar)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    recommendation = forms.CharField(
        label=_("Rekomendasi"), widget=forms.Textarea(attrs={"rows": 3})
    )
    sanction_level = forms.ChoiceField(
        label=_("Rekomendasi hukuman disiplin (PP 94/2021)"),
        required=False,
        choices=[("", _("Tanpa rekomendasi hukuman")), *list(SanctionLevel.choices)],
    )
    responsible = forms.ModelChoiceField(
        label=_("Penanggung jawab tindak lanjut"),
        queryset=responsible_staff(),
    )
    due_date = forms.DateField(label=_("Batas tindak lanjut"), widget=DateInput)


class ReportForm(forms.Form):
    note = forms.CharField(
        label=_("Tindak lanjut yang sudah dilakukan"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AssessForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("Penilaian"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("Memadai: temuan selesai")), ("no", _("Belum memadai: kembalikan"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Catatan penilaian"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MonthInput(forms.DateInput):
    input_type = "month"

    def format_value(self, value):
        return value.strftime("%Y-%m") if hasattr(value, "strftime") else value


FIRST_MONEV_YEAR = 2000


class MonevForm(forms.Form):
    month = forms.DateField(
        label=_("Bulan"),
        input_formats=["%Y-%m"],
        widget=MonthInput,
        error_messages={"invalid": _("Tulis bulan sebagai TTTT-BB, misalnya 2026-10.")},
    )

    def clean_month(self):
        from django.utils import timezone

        month = self.cleaned_data["month"].replace(day=1)
        if month > timezone.localdate().replace(day=1):
            raise forms.ValidationError(_("Bulan itu belum dimulai."))
        # Year 1 once reached the report's time arithmetic and overflowed (a 500).
        if month.year < FIRST_MONEV_YEAR:
            raise forms.ValidationError(
                _("Laporan monev tersedia mulai tahun %(year)s.") % {"year": FIRST_MONEV_YEAR}
            )
        return month
