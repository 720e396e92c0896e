"""The administrator edits the integrity index's bands here (data, with their history).

Survey answers, invitations and complaints are not in the admin: answers are read only as
aggregates, and an administrator is a colleague of the people they are about."""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from public.models import IntegrityBand


class IntegrityBandForm(forms.ModelForm):
    class Meta:
        model = IntegrityBand
        fields = ["code", "label", "lower"]

    def clean_lower(self):
        lower = self.cleaned_data["lower"]
        if not Decimal(0) <= lower <= Decimal(100):
            raise forms.ValidationError(_("Batas bawah harus antara 0 dan 100."))
        return lower


@admin.register(IntegrityBand)
class IntegrityBandAdmin(SimpleHistoryAdmin):
    form = IntegrityBandForm
    list_display = ["label", "code", "lower"]
    ordering = ["lower"]
