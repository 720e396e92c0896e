"""Forms of the satisfaction survey (public, by a single-use link) and of the index
overview's period (back office)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from public.models.survey import ELEMENTS, INTEGRITY_QUESTIONS

YES, NO = "ya", "tidak"


class SurveyForm(forms.Form):
    """The nine SKM elements (1-4 each), the three integrity questions (yes or no) and an
    optional comment. Every question is required; a missing or foreign value is named
    per question so the respondent sees which one to fix, and every other answer stays."""

    comment = forms.CharField(
        label=_("Saran atau komentar (tidak wajib)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        error_messages={"max_length": _("Saran paling banyak %(limit_value)d karakter.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, (name, question, answers) in enumerate(ELEMENTS, start=1):
            self.fields[name] = forms.TypedChoiceField(
                label=question,
                choices=[(str(score), answer) for score, answer in enumerate(answers, start=1)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Pilih satu jawaban untuk pertanyaan %(n)s.") % {"n": number},
                    "invalid_choice": _("Jawaban pertanyaan %(n)s tidak dikenal; pilih salah satu.")
                    % {"n": number},
                },
            )
        for number, (name, question) in enumerate(INTEGRITY_QUESTIONS, start=len(ELEMENTS) + 1):
            self.fields[name] = forms.TypedChoiceField(
                label=question,
                choices=[(YES, _("Ya")), (NO, _("Tidak"))],
                coerce=lambda value: value == YES,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Jawab ya atau tidak untuk pertanyaan %(n)s.") % {"n": number},
                    "invalid_choice": _("Jawab ya atau tidak untuk pertanyaan %(n)s.")
                    % {"n": number},
                },
            )
        # The comment comes last on the page.
        self.order_fields(
            [name for name, *_rest in ELEMENTS] + [n for n, _q in INTEGRITY_QUESTIONS]
        )

    def element_fields(self):
        return [self[name] for name, _question, _answers in ELEMENTS]

    def integrity_fields(self):
        return [self[name] for name, _question in INTEGRITY_QUESTIONS]

    def answers(self) -> dict:
        """Keyword arguments for ``public.services.survey.survey_answer``."""
        data = self.cleaned_data
        return {
            "scores": {name: data[name] for name, _q, _a in ELEMENTS},
            "integrity": {name: data[name] for name, _q in INTEGRITY_QUESTIONS},
            "comment": data.get("comment", ""),
        }


# --- the index overview's period ------------------------------------------------------------

PERIOD_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2}))?$")
FIRST_YEAR = 2000


@dataclass(frozen=True)
class Period:
    key: str  # "2026" or "2026-03"
    start: datetime.datetime
    end: datetime.datetime

    @property
    def is_month(self) -> bool:
        return len(self.key) == 7


def period_of(year: int, month: int | None = None) -> Period:
    """A calendar year or month in the office's time zone, half-open [start, end)."""
    tz = timezone.get_default_timezone()
    if month is None:
        first, following = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
        key = f"{year:04d}"
    else:
        first = datetime.date(year, month, 1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        key = f"{year:04d}-{month:02d}"
    return Period(
        key,
        datetime.datetime.combine(first, datetime.time(), tzinfo=tz),
        datetime.datetime.combine(following, datetime.time(), tzinfo=tz),
    )


class PeriodForm(forms.Form):
    periode = forms.CharField(
        label=_("Periode (TTTT atau TTTT-BB)"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"placeholder": "2026-03", "inputmode": "numeric"}),
    )

    def clean_periode(self) -> Period:
        text = (self.cleaned_data.get("periode") or "").strip()
        if not text:
            return period_of(timezone.localdate().year)
        match = PERIOD_PATTERN.match(text)
        month = int(match[2]) if match and match[2] else None
        if not match or int(match[1]) < FIRST_YEAR or (month is not None and not 1 <= month <= 12):
            raise forms.ValidationError(
                _(
                    "Tulis periode sebagai tahun (TTTT, misalnya 2026) atau bulan "
                    "(TTTT-BB, misalnya 2026-03)."
                )
            )
        # A later year has not begun: refused before its end is computed (9999-12 would
        # overflow the date range).
        if int(match[1]) > timezone.localdate().year:
            raise forms.ValidationError(_("Periode itu belum dimulai."))
        period = period_of(int(match[1]), month)
        if period.start > timezone.now():
            raise forms.ValidationError(_("Periode itu belum dimulai."))
        return period

    def period(self) -> Period:
        """The chosen period; the current year when none (or an invalid one) is given."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["periode"]
        return period_of(timezone.localdate().year)
