"""FAST: a file finished far faster than its SOP allows or than its peers.

A file issued in under ``share`` of its SOP budget (default 25%), or in under
``peer_margin`` × the ``percentile``-th percentile (default 5th) of the working time of
the type's files issued in the last ``window_days`` (default 90; needs ``min_sample``
files). The margin keeps the ordinary fastest few of every type out of the queue (by
definition 5% of files sit under the 5th percentile); a file that beat even those by a
wide margin was fast-tracked. Evidence: the moment the clock started and the signature.

Expected false flags (bench/history.py, 480 files over four months, about 120 a month,
seeds 1 and 2): 3 to 4 a month, honest 3-day files finished the same day by a quick check
and the supervisor's and the head's daily rounds. Not yet the issue 17 target.

Only types whose SOP is counted in working days are judged: a type promised within hours
(same-day service) is meant to be finished at once, and finishing it within the hour is
the service working, not a favour.
"""

from django.utils.translation import gettext_lazy as _

from integrity.flags.baselines import percentile, type_durations
from integrity.flags.registry import Hit, Rule, register
from integrity.flags.rules.common import hours, last_event
from integrity.models import Severity
from integrity.wording import hours_words
from permits.event_names import APPLICATION_COMPLETED, APPLICATION_SIGNED
from permits.models import PermitType, SopUnit


@register
class Fast(Rule):
    code = "FAST"
    title = _("Selesai jauh lebih cepat dari SOP")
    description = _(
        "Berkas terbit dalam waktu kurang dari sebagian kecil SOP, atau jauh lebih cepat "
        "daripada berkas sejenis dalam 90 hari terakhir."
    )
    severity = Severity.MEDIUM
    params = {
        "share": 0.25,
        "percentile": 5,
        "peer_margin": 0.75,
        "window_days": 90,
        "min_sample": 20,
    }
    triggers = frozenset({APPLICATION_SIGNED})

    def on_event(self, event, params, context):
        app = event.application
        if app.clock_started_at is None or not app.sop_budget:
            return []
        if self._sop_unit(app.permit_type_id, context) == SopUnit.HOURS:
            return []
        used, budget = hours(app.work_used), hours(app.sop_budget)
        reasons, detail = [], {"used_hours": used, "budget_hours": budget}
        if used < params["share"] * budget:
            reasons.append("share")
        memo_key = ("fast", app.permit_type_id)
        if memo_key not in context.memo:
            context.memo[memo_key] = type_durations(app.permit_type_id, params["window_days"])
        sample = context.memo[memo_key]
        if len(sample) >= params["min_sample"]:
            fence = percentile(sample, params["percentile"])
            detail["peer_fence_hours"] = round(fence, 2)
            if used < params["peer_margin"] * fence:
                reasons.append("peers")
        if not reasons:
            return []
        start = last_event(app.pk, event.created_at, action=APPLICATION_COMPLETED)
        evidence = tuple(e.pk for e in (start, event) if e is not None)
        return [
            Hit(
                key=f"FAST:{app.pk}",
                occurred_at=event.created_at,
                evidence=evidence,
                application_id=app.pk,
                officer_id=app.verified_by_id,
                detail={**detail, "reasons": reasons},
            )
        ]

    @staticmethod
    def _sop_unit(permit_type_id: int, context) -> str:
        key = ("sop-unit", permit_type_id)
        if key not in context.memo:
            context.memo[key] = (
                PermitType.objects.filter(pk=permit_type_id)
                .values_list("sop_unit", flat=True)
                .first()
            )
        return context.memo[key]

    def explain(self, detail):
        return _("Selesai dalam %(used)s kerja dari SOP %(budget)s.") % {
            "used": hours_words(detail.get("used_hours")),
            "budget": hours_words(detail.get("budget_hours")),
        }
