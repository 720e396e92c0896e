"""The administrator sets the red-flag rules here (on or off, severity, parameters).

Flags, findings and cases are not in the admin: they are the inspectorate's, read and
worked in its own workspace, and an administrator (a colleague of the people flagged)
should not browse them.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from integrity.inspection.flags.registry import RULES
from integrity.inspection.selectors.workspace import rule_precision
from integrity.models import RuleSetting


class RuleSettingForm(forms.ModelForm):
    code = forms.ChoiceField(label=_("Aturan"), choices=())

    class Meta:
        model = RuleSetting
        fields = ["code", "enabled", "severity", "params"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [
            (code, f"{code} · {rule.title}") for code, rule in sorted(RULES.items())
        ]

    def clean_params(self):
        params = self.cleaned_data.get("params") or {}
        rule = RULES.get(self.cleaned_data.get("code") or self.data.get("code"))
        if not isinstance(params, dict):
            raise forms.ValidationError(_("Parameter harus berupa objek JSON."))
        if rule is None:
            return params
        unknown = sorted(set(params) - set(rule.params))
        if unknown:
            raise forms.ValidationError(
                _("Parameter tidak dikenal: %(names)s. Yang dikenal: %(known)s.")
                % {"names": ", ".join(unknown), "known": ", ".join(sorted(rule.params)) or "-"}
            )
        for name, value in params.items():
            default = rule.params[name]
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise forms.ValidationError(
                    _("Parameter %(name)s harus angka tidak negatif (bawaan: %(default)s).")
                    % {"name": name, "default": default}
                )
        return params


@admin.register(RuleSetting)
class RuleSettingAdmin(SimpleHistoryAdmin):
    form = RuleSettingForm
    list_display = ["code", "enabled", "severity", "params", "auditor_precision"]
    readonly_fields = ["rule_description", "rule_defaults", "auditor_precision"]

    def get_list_display(self, request):
        """The list reads every rule's precision once (one query), not once per row."""
        precision = rule_precision()

        @admin.display(description=_("Ketepatan menurut telaah auditor (90 hari)"))
        def auditor_precision(obj):
            found = precision.get(obj.code)
            return found.text if found else "-"

        return ["code", "enabled", "severity", "params", auditor_precision]

    @admin.display(description=_("Uraian aturan"))
    def rule_description(self, obj):
        rule = RULES.get(obj.code)
        return rule.description if rule else "-"

    @admin.display(description=_("Parameter bawaan"))
    def rule_defaults(self, obj):
        rule = RULES.get(obj.code)
        return rule.params if rule else "-"

    @admin.display(description=_("Ketepatan menurut telaah auditor (90 hari)"))
    def auditor_precision(self, obj):
        precision = rule_precision().get(obj.code)
        return precision.text if precision else "-"
