"""FAST: a file finished far faster than its SOP or its peers, taken ahead of others.

Fast: issued in under ``share`` of its SOP budget (default 25%), or in under
``peer_margin`` × the ``percentile``-th percentile (default 5th) of the working time of
the type's files issued in the last ``window_days`` (default 90; needs ``min_sample``
files). The margin keeps the ordinary fastest few of every type out of the queue (by
definition 5% of files sit under the 5th percentile).

Taken ahead of others: a quick file is no sign of anything when the office was quiet, or
when the supervisor's and the head's daily rounds happened to take it with the rest of
their pile. A fast-tracked file is carried through while others wait: at a desk that
takes files in turn (approval, signing) it was moved on while a file that had come to the
same officer's desk before it (within ``lookback_days``, default 30) was still there
``sitting_minutes`` (default 30) later. Half an hour is a sitting: a round of approvals or
signatures takes files in any order within it. The counter's desk is not judged (a
walk-in applicant is served while online files wait, by design), nor technical review (a
review takes as long as its file needs: a simple file reviewed before a complex one that
came earlier is no favour), nor inspection: field trips are planned by place, not taken
in turn (as QUEUE and PRESSURE say), so a file visited before one that waited longer is
the route; an inspection written up without a visit is seen below (carried through). A
sitting is judged once it is over: right after the signature the rule looks at the
earlier desks, the nightly sweep at all of them.

Or carried through: when nobody waited, a fast-tracked file still goes through some desk
far faster than that desk ever works: its time there (as a share of its SOP budget, or
in working days at a desk that works in rounds: ``baselines.stage_budget``), under
``peer_margin`` × the desk's ``percentile``-th percentile of the last ``window_days``
(the holder's own with ``min_sample`` files, else the stage's: QUEUE's measure). An
inspection written up within the hour, a technical review of minutes. A simple file in a
quiet week goes through every desk at that desk's own pace, only with less waiting: that
is no flag. Only technical review and inspection are looked at: at the approval and
signing rounds a file that arrives just before a round is taken at once, honestly.

Only types whose SOP is counted in working days are judged: a type promised within hours
(same-day service) is meant to be finished at once, and finishing it within the hour is
the service working, not a favour.

Evidence: the moment the clock started, the acts that went ahead, and the signature.

Expected false flags (bench/history.py, 480 files over four months, about 120 a month):
an honest review far in its desk's low tail (under 0.75 × the 5th percentile: about one
review in a hundred, by that margin's design) of a file that then met nobody waiting at
approval or signing. Measured on seeds 11 and 12 (rejudged with the rule as it is) and 13
and 14 (unseen, as lived): 1, 1, 0 and 1 honest files in four months (up to 0.25 a
month), each such a three-day review; recall 0.90-1.00 (missed on seed 11: a file of a
type with neither technical review nor inspection, approved and signed at once with
nobody waiting). Before inspection stopped counting as a desk taken in turn, an honest
14-day file visited before an older one was flagged on seeds 11 and 12 as well (seeds 5
to 10: 0 to 3 honest files in four months).
"""

import datetime

from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrity.inspection.flags.baselines import desk_stay, percentile, type_durations
from integrity.inspection.flags.registry import Hit, Rule
from integrity.inspection.flags.rules.common import (
    FORWARD_ACTIONS,
    holders_at,
    hours,
    last_event,
    sop_unit,
    stage_entry,
)
from integrity.inspection.models import Severity
from integrity.inspection.wording import hours_words
from permits.event_names import APPLICATION_COMPLETED, APPLICATION_SIGNED
from permits.models import ApplicationEvent, SopUnit, Stage

# The desks where files are taken in turn, so that going first is a favour: approval and
# signing. Not the counter's (a walk-in applicant is served while online files wait, by
# design), nor technical review (a review takes as long as its file needs: a simple file
# reviewed before a complex one that came earlier is no favour), nor inspection (trips
# are planned by place, as QUEUE and PRESSURE say: a file visited before one that waited
# longer is the route; CARRYING_STAGES sees a report written without a visit). A sitting
# (a round of approvals or signatures, in any order) is judged once it is over: right
# after the signature the rule looks at the earlier desks, the nightly sweep at all.
PASSING_STAGES = (Stage.APPROVAL, Stage.SIGNING)
# The desks through which a file may be carried far faster than they ever work: technical
# review (the stay is the work) and inspection (a trip is planned days ahead; a report
# within the hour had no visit). Not the counter (a walk-in is begun at once, by design),
# nor the approval and signing rounds (a file that arrives just before a round is taken
# at once, honestly).
CARRYING_STAGES = (Stage.TECHNICAL_REVIEW, Stage.INSPECTION)
CANDIDATES = 20


class Fast(Rule):
    code = "FAST"
    title = _("Selesai jauh lebih cepat dari SOP")
    description = _(
        "Berkas terbit dalam waktu kurang dari sebagian kecil SOP, atau jauh lebih cepat "
        "daripada berkas sejenis dalam 90 hari terakhir, dan didahulukan di meja persetujuan "
        "atau penandatanganan sementara berkas yang masuk lebih dulu menunggu, atau melewati "
        "satu meja jauh lebih cepat daripada biasanya."
    )
    severity = Severity.MEDIUM
    params = {
        "share": 0.25,
        "percentile": 5,
        "peer_margin": 0.75,
        "window_days": 90,
        "min_sample": 20,
        "sitting_minutes": 30,
        "lookback_days": 30,
    }
    triggers = frozenset({APPLICATION_SIGNED})

    def on_event(self, event, params, context):
        app = event.application
        if app.clock_started_at is None or not app.sop_budget:
            return []
        if sop_unit(app.permit_type_id, context.memo) == SopUnit.HOURS:
            return []
        reasons, detail = self.speed(app, params, context)
        if not reasons:
            return []
        passed = self._passed_over(app, event, params, context)
        carried = [] if passed else self._carried(app, event, params, context)
        if not passed and not carried:
            return []  # fast, but at every desk's own pace and ahead of nobody: a quiet week
        detail["passed_over"] = len(passed)
        detail["carried"] = [exit_.from_state for exit_ in carried]
        start = last_event(app.pk, event.created_at, action=APPLICATION_COMPLETED)
        evidence = tuple(e.pk for e in (start, *passed, *carried, event) if e is not None)
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

    def speed(self, app, params, context) -> tuple[list[str], dict]:
        """Why the file counts as fast ("share", "peers"; none: it does not), and the
        figures: the working hours used and budgeted, the peers' fence."""
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
        return reasons, detail

    def _passed_over(self, app, event, params, context) -> list:
        """The acts by which this file left a desk that takes files in turn (approval,
        signing) while a file that had come to the same officer's desk before
        it was still there ``sitting_minutes`` later: one per desk where it went ahead."""
        sitting = datetime.timedelta(minutes=params["sitting_minutes"])
        exits = (
            ApplicationEvent.objects.filter(
                application_id=app.pk,
                from_state__in=PASSING_STAGES,
                created_at__lte=event.created_at,
            )
            .exclude(to_state=F("from_state"))
            .order_by("created_at", "id")
        )
        passed = []
        now = timezone.now()
        for exit_ in exits:
            stage, moment = exit_.from_state, exit_.created_at
            if now < moment + sitting:
                continue  # the sitting is not over: who else it took is not known yet
            entry = stage_entry(app.pk, stage, moment)
            if entry is None:
                continue
            left_by_then = ApplicationEvent.objects.filter(
                application_id=OuterRef("application_id"),
                from_state=stage,
                created_at__gt=OuterRef("created_at"),
                created_at__lte=moment + sitting,
            ).exclude(to_state=stage)
            waiting = list(
                ApplicationEvent.objects.filter(
                    to_state=stage,
                    created_at__lt=entry.created_at,
                    created_at__gte=entry.created_at
                    - datetime.timedelta(days=params["lookback_days"]),
                )
                .exclude(from_state=stage)
                .exclude(application_id=app.pk)
                .exclude(Exists(left_by_then))
                .order_by("-created_at", "-id")
                .values_list("application_id", flat=True)[:CANDIDATES]
            )
            holders = holders_at(waiting, moment)
            if any(holders.get(pk) == exit_.actor_id for pk in waiting):
                passed.append(exit_)
        return passed

    def _carried(self, app, event, params, context) -> list:
        """The acts by which this file left a desk far sooner than that desk ever moves a
        file on: its time there, as a share of its SOP budget, under ``peer_margin`` × the
        desk's ``percentile``-th percentile (``baselines.desk_quickest``, as QUEUE judges).
        Only technical review and inspection are looked at (``CARRYING_STAGES``)."""
        exits = (
            ApplicationEvent.objects.filter(
                application_id=app.pk,
                from_state__in=CARRYING_STAGES,
                action__in=sorted(FORWARD_ACTIONS),
                created_at__lte=event.created_at,
            )
            .exclude(to_state=F("from_state"))
            .order_by("created_at", "id")
        )
        carried = []
        for exit_ in exits:
            stay = desk_stay(
                app,
                exit_.from_state,
                exit_.actor_id,
                exit_.created_at,
                window_days=params["window_days"],
                pct=params["percentile"],
                min_sample=params["min_sample"],
                memo=context.memo,
                calendar=context.calendar,
            )
            if stay is not None and stay.quick(params["peer_margin"]):
                carried.append(exit_)
        return carried

    def explain(self, detail):
        return _("Selesai dalam %(used)s kerja dari SOP %(budget)s.") % {
            "used": hours_words(detail.get("used_hours")),
            "budget": hours_words(detail.get("budget_hours")),
        }
