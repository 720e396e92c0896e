"""HELD: someone tried to act on a file under an integrity hold.

The attempt is refused (``permits.services.context.HELD_MESSAGE``) and recorded as an
``integrity.held_attempt`` event; each attempt raises a flag. Evidence: the attempt and
the hold.
"""

from django.utils.translation import gettext_lazy as _

from integrity.inspection.flags.registry import Hit, Rule
from integrity.inspection.flags.rules.common import last_event
from integrity.inspection.models import Severity
from permits.event_names import INTEGRITY_HELD, INTEGRITY_HELD_ATTEMPT


class Held(Rule):
    code = "HELD"
    title = _("Tindakan pada berkas yang ditahan")
    description = _(
        "Ada upaya memproses berkas yang sedang ditahan karena kasus konflik kepentingan."
    )
    severity = Severity.HIGH
    params = {}
    triggers = frozenset({INTEGRITY_HELD_ATTEMPT})

    def on_event(self, event, params, context):
        hold = last_event(event.application_id, event.created_at, action=INTEGRITY_HELD)
        return [
            Hit(
                key=f"HELD:{event.pk}",
                occurred_at=event.created_at,
                evidence=tuple(e.pk for e in (hold, event) if e is not None),
                application_id=event.application_id,
                officer_id=event.actor_id,
                detail={"action": event.data.get("action", "")},
            )
        ]

    def explain(self, detail):
        return _("Mencoba menjalankan \u201c%(action)s\u201d saat berkas ditahan.") % {
            "action": detail.get("action")
        }
