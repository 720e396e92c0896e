"""SURVEY: a satisfaction-survey answer reports an illegal fee or a gift asked for
(filled by the survey service).

Like COMPLAINT, no file event announces it: the survey service calls
``integrity.inspection.flags.engine.flag_raise(rule="SURVEY", key=<response id>, application=...,
detail={...})`` when an integrity question is answered "yes".
"""

from django.utils.translation import gettext_lazy as _

from integrity.inspection.flags.registry import Rule
from integrity.inspection.models import Severity


class Survey(Rule):
    code = "SURVEY"
    title = _("Survei melaporkan pungutan liar")
    description = _(
        "Responden survei kepuasan menjawab diminta atau memberi imbalan di luar ketentuan."
    )
    severity = Severity.HIGH
    params = {}

    def explain(self, detail):
        return detail.get("summary", "")
