"""QUEUE: a file jumped the queue.

An officer's desk is a queue: files wait in a stage (submitted, technical review,
approval, signing) until the officer who holds them moves them on. Files are
owed their turn by deadline (the counter and the reminders work earliest deadline first),
and waits vary for ordinary reasons: one file needs more reading, the officer is in a
meeting, a supervisor signs a pile in whatever order it lies. So a file moved on before
one that came in earlier is no sign by itself (the old rule flagged that, and flagged
ordinary variance). A queue jump has two sides, both as of the act:

- **Taken far sooner than the desk ever takes a file.** The file's time in the stage
  (working time from entering it to the act that moved it on), measured against what
  sets that desk's pace (``baselines.stage_budget``: the file's SOP budget in technical
  review, where the work grows with the file; the completeness check's at the counter; a
  working day at the approval and signing rounds), is under ``peer_margin`` (0.75) × the
  ``percentile``-th (5th) percentile of the shares of files this desk moved on over the
  last ``window_days`` (60; walk-ins aside): the holder's own when they moved at least
  ``min_sample`` (20) files, otherwise the whole stage's (every officer of the desk),
  otherwise nothing is judged. The percentile is read once the stays far under the
  logs' median are set aside (``baselines.desk_quickest``), so that the jumps themselves
  do not set it.
- **While a file owed its turn first still waited in the same hands.** A file in the same
  stage, held by the same officer, that entered it at least ``sitting_minutes`` (30)
  before this one, whose deadline (as it stood then) was no later than this one's, and
  that was still there ``sitting_minutes`` after the act. Files within one sitting (a
  round of approvals or signatures) are taken in any order; a file due sooner may go
  first (earliest deadline first is the office's rule). A file under an integrity hold
  during its wait is not waiting on the officer, nor is a file returned to the applicant
  (it left the stage; it waits again from its resubmission). A sitting is judged once it
  is over: by the nightly sweep, or by a later look.

Not judged: the inspection desk (trips are planned by place, not by turn), a file
returned or rejected (being quick to send a file back is no favour), a walk-in file at the
counter (the applicant stands at the desk and is served while online
files wait, by design), and types whose SOP is counted in hours (same-day service is
meant to be taken at once).

Severity medium; high when it is the holder's ``repeat``-th (3) jump in the stage within
``repeat_days`` (30) calendar days, this one included, or when the same applicant (NIK or
NIB) or representative (NIK) benefits from ``favour`` (2) of those jumps. The officer who
handed the file to the desk is in the detail (``handed_by``) for the auditor but raises
nothing: with two or three counter officers handing in every file, one of them benefits
twice by chance.

Why these defaults (set from office practice and FAST's, before anything was measured):

- 60 days and 20 files: two months give a desk a few hundred files, recent enough to
  follow a change of staff; 20 is FAST's minimum sample, under which a percentile is
  chance.
- 0.75 × the 5th percentile, as FAST: by definition one file in twenty is among the
  desk's quickest; a quarter below even those is out of the desk's ordinary range. A
  file that needs nothing may be done that quickly; one also taken over a file owed its
  turn is the pattern.
- Half an hour is a sitting, as FAST: a round of approvals takes its pile in any order.
- 3 in 30 days: a chance quick file happens; three by one officer at one desk in a month
  is a habit. 2 for one beneficiary: "again for the same person" is the pattern of a calo
  or a favour.

Expected false flags (bench/history.py, 480 files over four months, about 120 a month;
seeds 5 to 8, read while the rule was made): 1 or 2 in four months (up to 0.5 a month):
an honest three-day file whose review was unusually short (1.5-2 hours against a desk's
usual 2-3 at least) while an older file waited; on seeds 9 and 10 (unseen) 0 and 1.
Recall 0.67 to 0.92; 0.93-1.00 of its truth carries some rule's flag (on seed 10 every
miss was a FAST or PRESSURE plant, in QUEUE's truth because it jumped, flagged by its own
rule). A planted jump whose review took an ordinary time (a short SOP's plant of 2-3
hours) is no different, by its times, from an honest reordering; a desk young in the
window (under 20 files) is not judged. On ``bench/queue_noise.py`` (an honest office of about
160 files a month whose desks all work in random order): 5 in three months (1.7 a month),
all at the head's signing desk, whose honest stays are spread evenly over 2-15 hours: in
a young 60-day window its 5th percentile came out at 2.8-3.4 hours, and 0.75 of that is
above its shortest honest stays.

Evidence: the passed-over file's entry into the stage and the act that went ahead of it.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.moments import moment_parse, moment_text
from integrity.inspection.flags.baselines import desk_stay
from integrity.inspection.flags.registry import Hit, Rule
from integrity.inspection.flags.rules.common import (
    FORWARD_ACTIONS,
    STAFF_ACTOR_ROLES,
    WAITING_STAGES,
    deadlines_at,
    sop_unit,
    waiting_in_hands,
)
from integrity.inspection.models import Severity
from integrity.inspection.wording import hours_words
from permits.models import ApplicationEvent, Channel, SopUnit, Stage

CANDIDATES = 20
# The desks that take files in turn. Not inspection: trips are planned by place (the
# files of one area together), so a file visited before one that waited longer is the
# route, not a favour (FAST still sees a report written within the hour, without a visit).
QUEUE_STAGES = frozenset(WAITING_STAGES) - {Stage.INSPECTION}


@dataclass(frozen=True)
class Jump:
    """One jump: the act ``event_id`` moved ``application_id`` on after ``took_hours`` in
    the stage (the desk's ordinary quickest for its SOP: ``usual_hours``) while
    ``passed_over`` had waited there since ``entry_at``."""

    event_id: int
    application_id: int
    passed_over: int
    entry_id: int
    entry_at: datetime.datetime
    took_hours: float
    usual_hours: float
    basis: str
    beneficiaries: tuple[tuple[str, str], ...]
    handed_by: int | None


class Queue(Rule):
    code = "QUEUE"
    title = _("Mendahului antrean")
    description = _(
        "Petugas meneruskan berkas jauh lebih cepat daripada berkas tercepat yang biasa di "
        "mejanya (di bawah 0,75 × persentil ke-5 dalam 60 hari terakhir), sementara berkas "
        "yang masuk lebih dulu ke tahap yang sama dan bertenggat tidak lebih lambat masih "
        "menunggu di tangannya. Tinggi bila berulang (3 kali dalam 30 hari) atau bila "
        "pemohon atau kuasa yang sama diuntungkan lagi."
    )
    severity = Severity.MEDIUM
    params = {
        "window_days": 60,
        "min_sample": 20,
        "percentile": 5,
        "peer_margin": 0.75,
        "sitting_minutes": 30,
        "repeat": 3,
        "repeat_days": 30,
        "favour": 2,
    }
    triggers = FORWARD_ACTIONS

    def on_event(self, event, params, context):
        found = self.jump(event, params, context)
        if found is None:
            return []
        recent = self.recent(event, params, context)
        favoured = Counter(who for jump in recent for who in jump.beneficiaries)
        favoured_now = sorted(
            f"{kind}:{who}"
            for kind, who in found.beneficiaries
            if favoured[(kind, who)] >= params["favour"]
        )
        reasons = []
        if len(recent) >= params["repeat"]:
            reasons.append("repeated")
        if favoured_now:
            reasons.append("favoured")
        return [
            Hit(
                key=f"QUEUE:{event.pk}",
                occurred_at=event.created_at,
                evidence=(found.entry_id, event.pk),
                application_id=found.application_id,
                officer_id=event.actor_id,
                severity=Severity.HIGH if reasons else None,
                detail={
                    "stage": event.from_state,
                    "passed_over": found.passed_over,
                    "waiting_since": found.entry_at.isoformat(),
                    "took_hours": round(found.took_hours, 2),
                    "usual_hours": round(found.usual_hours, 2),
                    "baseline": found.basis,
                    "reasons": reasons,
                    "jumps": len(recent),
                    "favoured": favoured_now,
                    "handed_by": found.handed_by,
                },
            )
        ]

    # --- jumps --------------------------------------------------------------------------

    def jump(self, event, params, context) -> Jump | None:
        """What this act jumped, or None. Read from the history as of the act."""
        memo_key = ("queue-jump", event.pk)
        if memo_key not in context.memo:
            context.memo[memo_key] = self._jump(event, params, context)
        return context.memo[memo_key]

    def _judged(self, event, params, context) -> bool:
        stage, app = event.from_state, event.application
        if (
            stage not in QUEUE_STAGES
            or event.to_state == stage
            or event.action not in FORWARD_ACTIONS
            or event.actor_role not in STAFF_ACTOR_ROLES
            or event.actor_id is None
        ):
            return False
        if stage == Stage.SUBMITTED and app.channel == Channel.COUNTER:
            return False  # a walk-in: served at the desk while online files wait
        return sop_unit(app.permit_type_id, context.memo) == SopUnit.DAYS

    def _jump(self, event, params, context) -> Jump | None:
        sitting = datetime.timedelta(minutes=params["sitting_minutes"])
        moment = event.created_at
        # A sitting is judged once it is over.
        if not self._judged(event, params, context) or timezone.now() < moment + sitting:
            return None
        stage, app, calendar = event.from_state, event.application, context.calendar
        stay = desk_stay(
            app,
            stage,
            event.actor_id,
            moment,
            window_days=params["window_days"],
            pct=params["percentile"],
            min_sample=params["min_sample"],
            memo=context.memo,
            calendar=calendar,
        )
        if stay is None or not stay.quick(params["peer_margin"]):
            return None
        entered = stay.entry
        waiting = waiting_in_hands(
            event.actor_id,
            stage,
            entered_before=calendar.shift_working_time(entered.created_at, -sitting),
            moment=moment,
            until=moment + sitting,
            window_days=params["window_days"],
            limit=CANDIDATES,
        )
        if not waiting:
            return None
        due = deadlines_at([pk for pk, _entry, _at in waiting] + [app.pk], moment)
        mine = due.get(app.pk)
        for pk, entry_id, entry_at in waiting:
            theirs = due.get(pk)
            if mine is None or theirs is None or theirs > mine:
                continue  # not owed its turn first: due later (or no deadline to compare)
            return Jump(
                event_id=event.pk,
                application_id=app.pk,
                passed_over=pk,
                entry_id=entry_id,
                entry_at=entry_at,
                took_hours=stay.took_hours,
                usual_hours=stay.usual_hours,
                basis=stay.basis,
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

    def recent(self, event, params, context) -> list[Jump]:
        """The holder's jumps in the stage within ``repeat_days`` up to this act, this one
        included (only looked up when this act is a jump itself)."""
        since = event.created_at - datetime.timedelta(days=params["repeat_days"])
        acts = (
            ApplicationEvent.objects.select_related("application__permit_type")
            .filter(
                actor_id=event.actor_id,
                created_at__gte=since,
                created_at__lte=event.created_at,
                from_state=event.from_state,
                action__in=sorted(FORWARD_ACTIONS),
            )
            .exclude(to_state=event.from_state)
            .order_by("created_at", "id")
        )
        found = [self.jump(act, params, context) for act in acts]
        return [jump for jump in found if jump is not None]

    def explain(self, detail):
        since = moment_text(moment_parse(detail.get("waiting_since")))
        if detail.get("took_hours") is None:  # a flag raised by the earlier rule
            return _("Mendahului berkas lain yang menunggu di tahap yang sama sejak %(since)s.") % {
                "since": since
            }
        return _(
            "Diteruskan %(took)s sesudah masuk ke tahap ini; di meja ini berkas seperti itu "
            "biasanya paling cepat %(usual)s. Berkas yang menunggu sejak "
            "%(since)s, dengan tenggat lebih dulu, masih di tangan petugas yang sama."
        ) % {
            "since": since,
            "took": hours_words(detail.get("took_hours")),
            "usual": hours_words(detail.get("usual_hours")),
        }
