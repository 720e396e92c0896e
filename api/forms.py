"""The API's input checked by the pages' own forms, so a partner gets the same messages as
a person for the same mistake (issue 21.5)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from permits.forms import WalkInForm
from permits.selectors.service import offered_types


class PartnerFileForm(WalkInForm):
    """A new file's applicant, as the counter registers a walk-in; the type by its code."""

    permit_type = forms.ModelChoiceField(
        queryset=offered_types(),
        to_field_name="code",
        error_messages={
            "invalid_choice": _("Jenis izin ini tidak ada di katalog atau sedang tidak dilayani.")
        },
    )
