"""LATE: the SOP, or the completeness check before it, was breached.

A file that finished (issued or rejected) after its SOP deadline, or a running file the
SLA reminders escalated as late. Severity rises to ``severe`` when the file used more than
``severe_over`` of its budget beyond it (default 50%). Evidence: the clock's start and the
finishing act or the escalation.

The completeness check has its own deadline (``PermitType.check_duration`` working days
from the file's submission or resubmission, kept in that event's ``check_due``): a check
that ended (declared complete, returned or rejected from the counter's queue) after that
moment, or one still open past it (the reminders' ``sla.check_overdue``, or the nightly
sweep), is late too, once per submission or resubmission. The deadline itself counts as on
time ("by 14.00"), as for the SOP. Evidence: the submission and the act that ended the
check, if any; the officer: who held the file then.

Expected false flags (bench/history.py, 480 files over four months, about 120 a month,
seeds 1 and 2): none; every file that passed its deadline is found (precision and recall
1.00).
"""

import datetime

from django.db.models import Exists, OuterRef
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from integrity.inspection.flags.registry import Hit, Rule
from integrity.inspection.flags.rules.common import holder_at, hours, last_event
from integrity.inspection.models import Severity
from integrity.inspection.wording import hours_words
from permits.event_names import (
    APPLICATION_COMPLETED,
    APPLICATION_REJECTED,
    APPLICATION_RETURNED,
    APPLICATION_SIGNED,
    SLA_CHECK_OVERDUE,
    SLA_ESCALATED,
)
from permits.models.stages import QUEUE_ACTIONS, Stage

# The acts that end a completeness check, from the stages the check covers.
CHECK_ENDS = frozenset({APPLICATION_COMPLETED, APPLICATION_RETURNED, APPLICATION_REJECTED})
CHECK_STAGES = frozenset({Stage.SUBMITTED, Stage.VERIFICATION})


class Late(Rule):
    code = "LATE"
    title = _("Melewati batas waktu SOP")
    description = _("Berkas selesai atau masih berjalan setelah batas waktu SOP-nya lewat.")
    severity = Severity.LOW
    params = {"severe_over": 0.5}
    triggers = frozenset({APPLICATION_SIGNED, SLA_ESCALATED, SLA_CHECK_OVERDUE, *CHECK_ENDS})

    def on_event(self, event, params, context):
        hits = []
        if event.action in CHECK_ENDS or event.action == SLA_CHECK_OVERDUE:
            hits += self._late_check(event, context)
        if event.action in {APPLICATION_SIGNED, APPLICATION_REJECTED, SLA_ESCALATED}:
            hits += self._late_sop(event, params)
        return hits

    def _late_check(self, event, context) -> list[Hit]:
        """The check that ``event`` ended (or found overdue) was done after its deadline."""
        running = event.action == SLA_CHECK_OVERDUE
        if not running and event.from_state not in CHECK_STAGES:
            return []
        app_id = event.application_id
        start = last_event(app_id, event.created_at, action__in=QUEUE_ACTIONS)
        if start is None or "check_due" not in (start.data or {}):
            return []
        due = datetime.datetime.fromisoformat(start.data["check_due"])
        if event.created_at <= due:
            return []
        over = context.calendar.working_time_between(due, event.created_at)
        detail = {"check": True, "due": start.data["check_due"]}
        detail |= {"running": True} if running else {"over_hours": hours(over)}
        return [
            Hit(
                key=f"LATE:check:{start.pk}",
                occurred_at=event.created_at,
                evidence=(start.pk,) if running else (start.pk, event.pk),
                application_id=app_id,
                officer_id=holder_at(app_id, event.created_at) if running else event.actor_id,
                detail=detail,
            )
        ]

    def _late_sop(self, event, params) -> list[Hit]:
        app = event.application
        if app.clock_started_at is None or not app.sop_budget:
            return []
        if event.action == SLA_ESCALATED:
            holder = holder_at(app.pk, event.created_at)
            detail = {"running": True}
        elif app.finished_late:
            holder = event.actor_id
            over = app.work_used - app.sop_budget
            detail = {"over_hours": hours(over), "budget_hours": hours(app.sop_budget)}
        else:
            return []
        severity = None
        if (
            "over_hours" in detail
            and detail["over_hours"] > params["severe_over"] * detail["budget_hours"]
        ):
            severity = Severity.MEDIUM
        start = last_event(app.pk, event.created_at, action=APPLICATION_COMPLETED)
        return [
            Hit(
                key=f"LATE:{app.pk}",
                occurred_at=event.created_at,
                evidence=tuple(e.pk for e in (start, event) if e is not None),
                application_id=app.pk,
                officer_id=holder,
                detail=detail,
                severity=severity,
            )
        ]

    def sweep_extra(self, params, context, *, until):
        """Running files past their deadline the hourly escalation has not reached yet, and
        files still waiting for a check past its deadline."""
        yield from self._sweep_sop(until)
        yield from self._sweep_checks(until)

    def _sweep_checks(self, until):
        from permits.models import Application

        waiting = Application.objects.filter(check_due_at__lt=until).values_list(
            "pk", "assigned_to_id", "check_due_at"
        )
        for pk, holder, due in waiting.iterator(chunk_size=1000):
            start = last_event(pk, until, action__in=QUEUE_ACTIONS)
            if start is None:
                continue
            yield Hit(
                key=f"LATE:check:{start.pk}",
                occurred_at=due,
                evidence=(start.pk,),
                application_id=pk,
                officer_id=holder,
                detail={"check": True, "due": localtime(due).isoformat(), "running": True},
            )

    def _sweep_sop(self, until):
        from integrity.inspection.models import (
            Flag,
        )
        from permits.models import OPEN_STAGES, Application

        late = (
            Application.objects.filter(state__in=sorted(OPEN_STAGES), sop_deadline__lt=until)
            # Not yet flagged for its SOP (a late check's flag is another matter).
            .exclude(
                Exists(
                    Flag.objects.filter(
                        application=OuterRef("pk"), rule=self.code, detail__check__isnull=True
                    )
                )
            )
            .values_list("pk", "assigned_to_id", "sop_deadline")
        )
        for pk, holder, deadline in late.iterator(chunk_size=1000):
            start = last_event(pk, until, action=APPLICATION_COMPLETED)
            yield Hit(
                key=f"LATE:{pk}",
                occurred_at=deadline,
                evidence=(start.pk,) if start is not None else (),
                application_id=pk,
                officer_id=holder,
                detail={"running": True},
            )

    def explain(self, detail):
        if detail.get("check"):
            if detail.get("running"):
                return _("Masih menunggu pemeriksaan kelengkapan setelah batas waktunya.")
            return _("Pemeriksaan kelengkapan selesai %(over)s kerja setelah batasnya.") % {
                "over": hours_words(detail.get("over_hours"))
            }
        if detail.get("running"):
            return _("Masih berjalan setelah batas waktu SOP.")
        return _("Terlambat %(over)s kerja dari SOP %(budget)s.") % {
            "over": hours_words(detail.get("over_hours")),
            "budget": hours_words(detail.get("budget_hours")),
        }
