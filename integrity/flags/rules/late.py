"""LATE: the SOP was breached.

A file that finished (issued or rejected) after its SOP deadline, or a running file the
SLA reminders escalated as late. Severity rises to ``severe`` when the file used more than
``severe_over`` of its budget beyond it (default 50%). Evidence: the clock's start and the
finishing act or the escalation.
"""

from django.utils.translation import gettext_lazy as _

from integrity.flags.registry import Hit, Rule, register
from integrity.flags.rules.common import holder_at, hours, last_event
from integrity.models import Severity
from integrity.wording import hours_words


@register
class Late(Rule):
    code = "LATE"
    title = _("Melewati batas waktu SOP")
    description = _("Berkas selesai atau masih berjalan setelah batas waktu SOP-nya lewat.")
    severity = Severity.LOW
    params = {"severe_over": 0.5}
    triggers = frozenset({"application.signed", "application.rejected", "sla.escalated"})

    def on_event(self, event, params, context):
        app = event.application
        if app.clock_started_at is None or not app.sop_budget:
            return []
        if event.action == "sla.escalated":
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
        start = last_event(app.pk, event.created_at, action="application.completed")
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
        """Running files past their deadline the hourly escalation has not reached yet."""
        from permits.models import OPEN_STAGES, Application

        late = (
            Application.objects.filter(state__in=sorted(OPEN_STAGES), sop_deadline__lt=until)
            .exclude(flags__rule=self.code)
            .values_list("pk", "assigned_to_id", "sop_deadline")
        )
        for pk, holder, deadline in late.iterator(chunk_size=1000):
            start = last_event(pk, until, action="application.completed")
            yield Hit(
                key=f"LATE:{pk}",
                occurred_at=deadline,
                evidence=(start.pk,) if start is not None else (),
                application_id=pk,
                officer_id=holder,
                detail={"running": True},
            )

    def explain(self, detail):
        if detail.get("running"):
            return _("Masih berjalan setelah batas waktu SOP.")
        return _("Terlambat %(over)s kerja dari SOP %(budget)s.") % {
            "over": hours_words(detail.get("over_hours")),
            "budget": hours_words(detail.get("budget_hours")),
        }
