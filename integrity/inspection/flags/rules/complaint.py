"""COMPLAINT: a complaint names an officer (filled by the complaints service).

No file event announces a complaint, so this rule has no triggers: the complaints service
calls ``integrity.inspection.flags.engine.flag_raise(rule="COMPLAINT", key=<complaint id>,
officer=..., application=..., detail={...})`` when a complaint against an officer is
registered. The flag then waits in the auditors' queue like any other.
"""

from django.utils.translation import gettext_lazy as _

from integrity.inspection.flags.registry import Rule
from integrity.inspection.models import Severity


class Complaint(Rule):
    code = "COMPLAINT"
    title = _("Pengaduan terhadap petugas")
    description = _("Pengaduan masyarakat yang menyebut seorang petugas.")
    severity = Severity.MEDIUM
    params = {}

    def explain(self, detail):
        return detail.get("summary", "")
