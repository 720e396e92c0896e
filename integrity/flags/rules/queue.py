"""QUEUE: a file jumped the queue.

An officer's desk is a queue: files wait in a stage (submitted, technical review,
inspection, approval, signing) until the officer who holds them moves them on. Waits vary
for ordinary reasons (one file needs more reading, the officer is in a meeting, a single
approving supervisor signs a pile in whatever order it lies), so a file moved on before
one that came in a little earlier is no sign of anything. A queue jump is an overtake far
deeper than the desk's usual spread of waits, and large or repeated.

All times are working time (``worktime``), in hours.

- **Usual spread.** The nightly baseline ``baselines.stage_waits``: how long files waited
  in the stage before an officer moved them on, over the last ``window_days`` (60). The
  holder's own waits when they moved at least ``min_sample`` (20) files, otherwise the
  whole stage's (every officer of the desk), otherwise nothing is judged: with fewer than
  20 waits nobody knows what is usual. The spread is the median absolute deviation (MAD)
  of those waits, never below ``min_mad_hours`` (1.25).
- **Overtake.** When the holder moves file B on, an earlier file A of the same type, in
  the same stage and in the same officer's hands, still waiting there, was overtaken. A's
  *extra wait* is how much longer it had waited than B (from A's entry to B's). It counts
  only beyond ``spread_k`` (6) × MAD. A file under an integrity hold at any time during
  its wait is not waiting on the officer, nor is a file returned to the applicant (it left
  the stage; it waits again from its resubmission).
- **Flag.** A counted overtake is flagged when it is *large* (extra wait beyond
  ``large_k`` (9) × MAD), or *repeated* (the holder's ``repeat``-th (3) counted overtake in
  the stage within ``repeat_days`` (30) calendar days, this one included), or when the
  same applicant (NIK or NIB) or representative (NIK) benefits from ``favour`` (2) of
  those overtakes: that one is raised to HIGH. The officer who handed the file to the desk
  is in the detail (``handed_by``) for the auditor but raises nothing: with two or three
  counter officers handing in every file, one of them benefits twice by chance.

Why these defaults (set from office practice before anything was measured):

- 60 days and 20 waits: two months give a desk a few hundred waits, recent enough to
  follow a change of staff; 20 is FAST's minimum sample, under which the median and MAD
  are chance.
- MAD: the few misconduct waits barely move it. For waits spread evenly over a range
  (a supervisor's 2 to 4.5 working days) the MAD is a quarter of the range, so 6 × MAD
  is one and a half times the whole range: no honest reordering of such a pile reaches
  it. For normally spread waits 6 × MAD is about 4 standard deviations, which the
  difference of two files' waits exceeds in about 0.2% of pairs.
- 1.25 hours floor: 6 × 1.25 = 7.5 hours, a full service day: files that came in on the
  same day are taken in any order, even at a desk that usually answers within the hour.
- 9 × MAD: half as deep again as the counting fence (about 6 standard deviations): once
  is already unlikely to be chance.
- 3 in 30 days: a chance overtake happens; three by one officer at one desk in a month is
  a habit. 2 for one beneficiary: "again for the same person" is the pattern of a calo or
  a favour, and raises the stakes.

Expected false flags (update when re-measured): none in 3 months (fewer than 1 a month)
for an office of about 160 files a month with one approving supervisor, measured on 492
files of honest history replayed through the services by ``bench/queue_noise.py`` (seed
1), where every wait is drawn independently, i.e. each desk works its pile in random
order; the former fixed 7-hour tolerance raised 245 flags on the same history.

On the service-driven history (bench/history.py, 480 files over four months, about 120 a
month, seeds 1 and 2): 1 and 5 flags, 0 to 5 of them false (up to 1.25 a month: honest
10-day technical files with a supervisor's monitoring view), and recall 0.05 and 0: the
plants there jump files waiting 1 to 3 working days in technical review, inside that
desk's spread (issue 17 stays open).

Evidence: A's entry into the stage and the act that passed it over.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from integrity.flags.baselines import median_absolute_deviation, stage_waits
from integrity.flags.registry import Hit, Rule, register
from integrity.flags.rules.common import (
    FORWARD_ACTIONS,
    STAFF_ACTOR_ROLES,
    WAITING_STAGES,
    holders_at,
    stage_entry,
)
from integrity.models import Severity
from integrity.wording import hours_words
from permits.event_names import APPLICATION_REJECTED, APPLICATION_RETURNED, INTEGRITY_HELD
from permits.models import Application, ApplicationEvent
from portal.moments import moment_parse, moment_text

CANDIDATES = 20
EXITS = FORWARD_ACTIONS | {APPLICATION_RETURNED, APPLICATION_REJECTED}


@dataclass(frozen=True)
class Overtake:
    """One counted overtake: the act that moved ``application_id`` on while
    ``passed_over`` had waited ``extra_hours`` longer in the stage."""

    event_id: int
    application_id: int
    passed_over: int
    entry_id: int
    entry_at: datetime.datetime
    extra_hours: float
    beneficiaries: tuple[tuple[str, str], ...]
    handed_by: int | None


@register
class Queue(Rule):
    code = "QUEUE"
    title = _("Mendahului antrean")
    description = _(
        "Petugas meneruskan berkas sementara berkas sejenis yang masuk jauh lebih dulu ke "
        "tahap yang sama masih menunggu di tangannya: jauh di luar sebaran waktu tunggu "
        "biasa di meja itu (6 × simpangan median dalam 60 hari terakhir), dan sangat jauh "
        "(9 ×) atau berulang (3 kali dalam 30 hari). Tinggi bila pemohon atau kuasa yang "
        "sama berulang kali diuntungkan. Perkiraan bendera keliru: kurang dari 1 "
        "per bulan untuk kantor dengan sekitar 160 berkas per bulan (diukur pada riwayat jujur "
        "3 bulan)."
    )
    severity = Severity.MEDIUM
    params = {
        "window_days": 60,
        "min_sample": 20,
        "min_mad_hours": 1.25,
        "spread_k": 6,
        "large_k": 9,
        "repeat": 3,
        "repeat_days": 30,
        "favour": 2,
    }
    triggers = EXITS

    def on_event(self, event, params, context):
        stage = event.from_state
        if (
            stage not in WAITING_STAGES
            or event.to_state == stage
            or event.actor_role not in STAFF_ACTOR_ROLES
        ):
            return []
        spread, basis = self.spread(stage, event.actor_id, params, context)
        if spread is None:
            return []
        fence = params["spread_k"] * spread
        found = self.overtake(event, fence, params, context)
        if found is None:
            return []
        recent = self.recent(event, fence, params, context)
        favoured = Counter(who for overtake in recent for who in overtake.beneficiaries)
        favoured_now = sorted(
            f"{kind}:{who}"
            for kind, who in found.beneficiaries
            if favoured[(kind, who)] >= params["favour"]
        )
        reasons = []
        if found.extra_hours > params["large_k"] * spread:
            reasons.append("large")
        if len(recent) >= params["repeat"]:
            reasons.append("repeated")
        if favoured_now:
            reasons.append("favoured")
        if not reasons:
            return []
        return [
            Hit(
                key=f"QUEUE:{event.pk}",
                occurred_at=event.created_at,
                evidence=(found.entry_id, event.pk),
                application_id=found.application_id,
                officer_id=event.actor_id,
                severity=Severity.HIGH if favoured_now else None,
                detail={
                    "stage": stage,
                    "passed_over": found.passed_over,
                    "waiting_since": found.entry_at.isoformat(),
                    "extra_hours": round(found.extra_hours, 2),
                    "mad_hours": round(spread, 2),
                    "baseline": basis,
                    "reasons": reasons,
                    "overtakes": len(recent),
                    "favoured": favoured_now,
                    "handed_by": found.handed_by,
                },
            )
        ]

    # --- the usual spread ---------------------------------------------------------------

    def spread(self, stage, holder_id, params, context) -> tuple[float | None, str]:
        """The MAD of waits at this desk: the holder's own, or the stage's ("holder" or
        "stage"); None when neither has ``min_sample`` waits."""
        key = ("queue-waits", stage, params["window_days"])
        if key not in context.memo:
            context.memo[key] = stage_waits(stage, params["window_days"])
        waits = context.memo[key]
        own = waits["by"].get(str(holder_id), [])
        for sample, basis in ((own, "holder"), (waits["all"], "stage")):
            if len(sample) >= params["min_sample"]:
                mad = median_absolute_deviation(sample)
                return max(mad, params["min_mad_hours"]), basis
        return None, ""

    # --- overtakes ----------------------------------------------------------------------

    def overtake(self, event, fence: float, params, context) -> Overtake | None:
        """The earliest file this act passed over with an extra wait beyond ``fence``
        hours, or None. Read from the history as of the act."""
        memo_key = ("queue-overtake", event.pk, fence)
        if memo_key in context.memo:
            return context.memo[memo_key]
        found = self._overtake(event, fence, params, context)
        context.memo[memo_key] = found
        return found

    def _overtake(self, event, fence, params, context) -> Overtake | None:
        stage, app, moment = event.from_state, event.application, event.created_at
        entered = stage_entry(app.pk, stage, moment, inclusive=False)
        if entered is None:
            return None
        calendar = context.calendar
        cutoff = calendar.shift_working_time(entered.created_at, -datetime.timedelta(hours=fence))
        # From the file side: the type's files submitted in the window (an index range),
        # each probed on its own timeline (event_timeline) for when it entered the stage,
        # whether it left before this act and whether a hold stopped it meanwhile. Cost
        # follows the type's recent volume, not the size of history.
        entry = (
            ApplicationEvent.objects.filter(
                application_id=OuterRef("pk"), to_state=stage, created_at__lt=cutoff
            )
            .exclude(from_state=stage)
            .order_by("-created_at", "-id")
        )
        left = ApplicationEvent.objects.filter(
            application_id=OuterRef("pk"),
            from_state=stage,
            created_at__gt=OuterRef("entry_at"),
            created_at__lte=moment,
        ).exclude(to_state=stage)
        held = ApplicationEvent.objects.filter(
            application_id=OuterRef("pk"),
            action=INTEGRITY_HELD,
            created_at__gte=OuterRef("entry_at"),
            created_at__lte=moment,
        )
        waiting = list(
            Application.objects.filter(
                permit_type_id=app.permit_type_id,
                submitted_at__gte=moment - datetime.timedelta(days=params["window_days"]),
                submitted_at__lt=cutoff,
            )
            .exclude(pk=app.pk)
            .exclude(held_since__lte=moment)
            # A file finished by then waits no more (a fact, whenever this is evaluated).
            .filter(Q(finished_at__isnull=True) | Q(finished_at__gt=moment))
            .annotate(
                entry_id=Subquery(entry.values("pk")[:1]),
                entry_at=Subquery(entry.values("created_at")[:1]),
            )
            .filter(entry_id__isnull=False)
            .exclude(Exists(left))
            .exclude(Exists(held))
            .order_by("entry_at", "pk")
            .values_list("pk", "entry_id", "entry_at")[:CANDIDATES]
        )
        holders = holders_at([pk for pk, _entry, _at in waiting], moment)
        for pk, entry_id, entry_at in waiting:
            if holders.get(pk) != event.actor_id:
                continue
            extra = calendar.working_time_between(entry_at, entered.created_at)
            return Overtake(
                event_id=event.pk,
                application_id=app.pk,
                passed_over=pk,
                entry_id=entry_id,
                entry_at=entry_at,
                extra_hours=extra.total_seconds() / 3600,
                beneficiaries=self.beneficiaries(app),
                handed_by=entered.actor_id if entered.actor_role in STAFF_ACTOR_ROLES else None,
            )
        return None

    @staticmethod
    def beneficiaries(app) -> tuple[tuple[str, str], ...]:
        """Who gains when this file goes first: its applicant (NIK, NIB) and its
        representative."""
        who = [
            ("nik", app.applicant_nik),
            ("nib", app.applicant_nib),
            ("representative", app.representative_nik),
        ]
        return tuple((kind, value) for kind, value in who if value)

    def recent(self, event, fence, params, context) -> list[Overtake]:
        """The holder's counted overtakes in the stage within ``repeat_days`` up to this
        act, this one included (only looked up when this act is an overtake itself)."""
        since = event.created_at - datetime.timedelta(days=params["repeat_days"])
        acts = (
            ApplicationEvent.objects.select_related("application")
            .filter(
                actor_id=event.actor_id,
                created_at__gte=since,
                created_at__lte=event.created_at,
                from_state=event.from_state,
                action__in=sorted(EXITS),
            )
            .exclude(to_state=event.from_state)
            .order_by("created_at", "id")
        )
        found = [self.overtake(act, fence, params, context) for act in acts]
        return [overtake for overtake in found if overtake is not None]

    def explain(self, detail):
        since = moment_text(moment_parse(detail.get("waiting_since")))
        if detail.get("extra_hours") is None:
            return _("Mendahului berkas lain yang menunggu di tahap yang sama sejak %(since)s.") % {
                "since": since
            }
        return _(
            "Mendahului berkas lain yang menunggu di tahap yang sama sejak %(since)s, "
            "%(extra)s lebih lama; sebaran biasa %(mad)s."
        ) % {
            "since": since,
            "extra": hours_words(detail.get("extra_hours")),
            "mad": hours_words(detail.get("mad_hours")),
        }
