"""PRESSURE: a file pushed through right after a superior or an outsider touched it.

The seeds' "tekanan dari atasan atau pihak luar": a supervisor or the head of office (or
an outsider) opens a file or writes in it, and within the hour its officer pushes it
through ahead of files that waited longer. Four facts, all as of the act:

1. contact: a staff view of the file (``FileView``: its page or a document) or a message
   in it (``message.posted``) within ``within_minutes`` (default 60) of working time
   before the act (the office's clock: a look at 15.45 and the push at 07.45 the next
   morning are half an hour apart), by
   - a superior: a supervisor or the head of office who outranks the officer acting (the
     head over a supervisor; a supervisor over counter, technical and cashier staff), or
   - an outsider: staff of a unit that is neither the permit type's nor that of anyone
     who held the file (so a counter colleague, the file's own technical unit, auditors
     and the applicant do not count);
   never the officer acting;
2. the act: a stage finished (declared complete, reviewed, approved, signed, or
   verification begun) or a verdict turned from missing or invalid to "ok". Not an
   inspection: field trips are planned by place, not taken in turn (as QUEUE; FAST sees
   a report written without a visit);
3. the queue: at least ``min_waiting`` (default 1) other files in the same stage, in the
   same officer's hands, entered that stage before this one and were still waiting (the
   counter's queue is one: submitted and in verification). Files under an integrity
   hold are not waiting on the officer. Files that entered the stage within
   ``window_days`` (default 60) are compared. Not a file already late when the superior
   came (its deadline as it stood then): chasing a late file is a supervisor's job. Not
   a walk-in at the counter: the applicant stands at the desk and is served while online
   files wait, by design (its place in the queue is first: as QUEUE and FAST);
4. ahead of its place: a stage finished sooner than files usually wait there: under the
   median wait of files of its type in that stage over ``window_days``, else under the
   median share of their promise the holder's (else the whole stage's) files spent there
   (20 waits at least, else this fact is not asked). A review that took its ordinary
   time, finished by chance within the hour after a supervisor's routine look, is not
   pushed.

One flag per contact (key: the view or the message); each act inside the hour after it
adds its evidence. Severity medium. Evidence: the message (a view is named in the detail:
views are not file events), the earliest passed-over file's entry into the stage, and
the act.

Expected false flags: a superior chasing a file that is late or urgent for a good reason
(a public-safety permit, a court order), or looking at it to reassign it, when the
officer then does it first; a supervisor's routine look just before an unusually short
honest review. Measured (bench/history.py, 480 files over four months, about 120 a month;
seeds 11 and 12 rejudged with the rule as it is, 13 and 14 unseen, as lived): 1, 1, 2
and 1 honest files in four months (up to 0.5 a month), each a supervisor's or the
head's routine look shortly before an honest review quicker than its type's median
(three of the five among the desk's quickest fifth, two at about its 5th percentile: no
lower percentile than the median would spare them without losing plants, one of which,
on seed 12, was pushed at the 36th percentile of its type's waits); recall 0.90-1.00
(missed on seed 14: a file whose older neighbour was finished between look and push).
Seeds 5 to 10: 0 to 2 honest files, recall 0.80-1.00 (also missed: plants on one-day
types pushed at their ordinary pace). Before walk-ins at the counter were left out, a
walk-in served after the head's look was flagged on seed 12 too.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.moments import moment_parse
from integrity.inspection.flags.baselines import desk_waits, median, stage_budget
from integrity.inspection.flags.registry import Hit, Rule
from integrity.inspection.flags.rules.common import (
    ASSIGNMENT_ACTIONS,
    BAD_CHECKS,
    FORWARD_ACTIONS,
    STAFF_ACTOR_ROLES,
    WAITING_STAGES,
    deadlines_at,
    stage_entry,
    waiting_in_hands,
)
from integrity.inspection.models import Severity
from integrity.inspection.wording import moment_words
from permits.event_names import APPLICATION_INSPECTED, CHECK_UPDATED, MESSAGE_POSTED
from permits.models import ApplicationEvent, Channel, CheckStatus, FileView, Stage

# Who outranks whom: a contact counts as a superior's when its role ranks above the actor's.
RANK = {Role.SUPERVISOR: 1, Role.HEAD: 2}
# Staff whose contact never counts (they read files for a living, or own the file).
NEVER_CONTACT = frozenset({Role.AUDITOR, Role.APPLICANT})
# The stages that form one queue (the counter's: waiting to start, and being checked).
COUNTER = frozenset({Stage.SUBMITTED, Stage.VERIFICATION})
QUEUES = (COUNTER,)
CANDIDATES = 50
MIN_SAMPLE = 20  # waits needed to know a desk's median (as QUEUE and FAST)


def _queue(stage: str) -> frozenset:
    return next((group for group in QUEUES if stage in group), frozenset({stage}))


def _pushed(event) -> bool:
    """A stage finished, or a verdict turned from missing/invalid to ok."""
    if event.action in FORWARD_ACTIONS:
        return True
    data = event.data if isinstance(event.data, dict) else {}
    return data.get("from") in BAD_CHECKS and data.get("to") == CheckStatus.OK


class Pressure(Rule):
    code = "PRESSURE"
    title = _("Didorong sesudah disentuh atasan atau pihak luar")
    description = _(
        "Dalam satu jam sesudah atasan (atasan langsung, kepala dinas) atau pihak di luar "
        "unit membuka atau menulis pesan pada berkas, petugas menyelesaikan tahapnya atau "
        "mengubah hasil pemeriksaan menjadi sesuai, lebih cepat dari waktu tunggu biasa "
        "berkas sejenis, mendahului berkas lain di tangannya yang menunggu lebih lama di "
        "tahap yang sama."
    )
    severity = Severity.MEDIUM
    params = {"within_minutes": 60, "min_waiting": 1, "window_days": 60}
    triggers = frozenset({CHECK_UPDATED} | FORWARD_ACTIONS - {APPLICATION_INSPECTED})

    def on_event(self, event, params, context):
        if event.actor_role not in STAFF_ACTOR_ROLES or not _pushed(event):
            return []
        if event.action == APPLICATION_INSPECTED:
            return []  # field trips are planned by place, not taken in turn (as QUEUE)
        if event.from_state in COUNTER and event.application.channel == Channel.COUNTER:
            return []  # a walk-in: served at the desk while online files wait, by design
        contact = self._contact(event, params, context.calendar)
        if contact is None or self._late(event.application_id, contact[4]):
            return []
        passed = self._passed_over(event, params)
        if len(passed) < params["min_waiting"]:
            return []
        if not self._ahead_of_its_place(event, params, context):
            return []
        kind, pk, who, role, at, message_event = contact
        evidence = [passed[0][1], event.pk]
        if message_event is not None:
            evidence.insert(0, message_event)
        return [
            Hit(
                key=f"PRESSURE:{kind}:{pk}",
                occurred_at=event.created_at,
                evidence=tuple(evidence),
                application_id=event.application_id,
                officer_id=event.actor_id,
                detail={
                    "contact": kind,
                    "by": who,
                    "by_role": role,
                    "contact_at": at.isoformat(),
                    "stage": event.from_state,
                    "waiting": len(passed),
                    "passed_over": passed[0][0],
                    "within_minutes": params["within_minutes"],
                },
            )
        ]

    def _contact(self, event, params, calendar):
        """The earliest qualifying view or message in the window before the act (so the
        acts after one episode of looks share its flag): (kind, pk, person pk, role,
        moment, message event pk or None), or None. The window is working time: a look at
        15:45 and the push at 07:45 the next morning are half an hour apart at the office."""
        since = calendar.shift_working_time(
            event.created_at, -datetime.timedelta(minutes=params["within_minutes"])
        )
        app = event.application
        actor_rank = RANK.get(event.actor_role, 0)
        insiders = []  # computed once, when a contact below the officer's rank needs it

        def inside(unit) -> bool:
            if not insiders:
                # The type's unit and those of everyone who held the file, the officer too.
                held = {event.actor_id} | {
                    data.get("to")
                    for data in ApplicationEvent.objects.filter(
                        application_id=app.pk,
                        action__in=ASSIGNMENT_ACTIONS,
                        created_at__lte=event.created_at,
                    ).values_list("data", flat=True)
                }
                people = User.objects.filter(pk__in=[pk for pk in held if pk])
                insiders.append({app.permit_type.opd_id, *people.values_list("unit_id", flat=True)})
            return unit in insiders[0]

        def counts(person, role, unit) -> bool:
            if person == event.actor_id or role in NEVER_CONTACT:
                return False
            return RANK.get(role, 0) > actor_rank or not inside(unit)

        found = []
        views = (
            FileView.objects.filter(
                application_id=app.pk, viewed_at__gte=since, viewed_at__lte=event.created_at
            )
            .exclude(kind=FileView.Kind.AUDIT)
            .order_by("viewed_at", "id")
            .values_list("pk", "viewer_id", "viewer_role", "viewer_unit_id", "viewed_at")
        )
        for pk, person, role, unit, at in views:
            if counts(person, role, unit):
                found.append(("view", pk, person, role, at, None))
                break
        messages = (
            ApplicationEvent.objects.filter(
                application_id=app.pk,
                action=MESSAGE_POSTED,
                created_at__gte=since,
                created_at__lte=event.created_at,
            )
            .exclude(actor_id=None)
            .order_by("created_at", "id")
            .values_list("pk", "actor_id", "actor_role", "actor__unit_id", "created_at")
        )
        for pk, person, role, unit, at in messages:
            if counts(person, role, unit):
                found.append(("message", pk, person, role, at, pk))
                break
        return min(found, key=lambda contact: contact[4]) if found else None

    @staticmethod
    def _late(application_id: int, moment) -> bool:
        """Past its deadline (as it stood) when the superior came: chasing a late file is
        a supervisor's job, and its officer doing it at once is the answer she wants."""
        due = deadlines_at([application_id], moment).get(application_id)
        return due is not None and due <= moment

    def _ahead_of_its_place(self, event, params, context) -> bool:
        """A stage finished in less time than files usually wait there: the median wait of
        files of its type in that stage over ``window_days`` (20 waits at least), else the
        median share of their promise that the holder's files (else the stage's) spent
        there, applied to this file's (``baselines.stage_budget``: QUEUE's measure, so
        that a desk that mostly sees same-day types does not make a three-day file's
        ordinary pace look slow). A verdict turned, or a desk with too few waits to know,
        is judged by the queue alone."""
        stage, app = event.from_state, event.application
        if event.action not in FORWARD_ACTIONS or stage not in WAITING_STAGES:
            return True
        entered = stage_entry(event.application_id, stage, event.created_at)
        if entered is None:
            return True
        calendar = context.calendar
        waited = calendar.working_time_between(entered.created_at, event.created_at)
        waits = desk_waits(stage, params["window_days"], context.memo)
        kind = waits.get("type", {}).get(str(app.permit_type_id), [])
        if len(kind) >= MIN_SAMPLE:
            return waited.total_seconds() / 3600 < median(kind)
        shares = waits["share"]
        own = shares["by"].get(str(event.actor_id), [])
        sample = next((s for s in (own, shares["all"]) if len(s) >= MIN_SAMPLE), None)
        budget = stage_budget(stage, app.sop_budget, app.waiting_since, app.check_due_at, calendar)
        if sample is None or not budget:
            return True
        return waited / budget < median(sample)

    def _passed_over(self, event, params) -> list[tuple[int, int]]:
        """Files of the same queue in the actor's hands that entered it before this one and
        still waited at the act, oldest first: (file pk, its entry event pk). Not those
        waiting only when the superior came: at a desk that works in rounds they go in the
        same round, and a file finished before the pushed one was not passed."""
        group, moment = _queue(event.from_state), event.created_at
        entered = stage_entry(event.application_id, group, moment)
        if entered is None or event.actor_id is None:
            return []
        waiting = waiting_in_hands(
            event.actor_id,
            group,
            entered_before=entered.created_at,
            moment=moment,
            window_days=params["window_days"],
            limit=CANDIDATES,
        )
        return [(pk, entry_id) for pk, entry_id, _at in waiting if pk != event.application_id]

    def explain(self, detail):
        role = detail.get("by_role")
        who = Role(role).label if role in Role.values else role
        if detail.get("contact") == "message":
            text = _("%(who)s menulis pesan pada berkas %(at)s;") % {
                "who": who,
                "at": moment_words(moment_parse(detail.get("contact_at"))),
            }
        else:
            text = _("%(who)s membuka berkas %(at)s;") % {
                "who": who,
                "at": moment_words(moment_parse(detail.get("contact_at"))),
            }
        return (
            text
            + " "
            + _(
                "dalam %(minutes)s menit berkas didorong mendahului %(n)s berkas yang menunggu "
                "lebih lama."
            )
            % {"minutes": detail.get("within_minutes", 60), "n": detail.get("waiting")}
        )
