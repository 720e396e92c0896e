"""QUEUE: a file jumped the queue.

When an officer moves a file on from a waiting stage (submitted, technical review,
inspection, approval, signing), an earlier file of the same type that entered the same
stage more than ``tolerance_hours`` working hours before it (default 7, one service day),
was held by the same officer and was still waiting in that stage, was passed over.
Earlier files under an integrity hold are not waiting on the officer and do not count.
Only files that entered the stage within ``window_days`` (default 60) are compared, so the
lookup stays within recent history. Evidence: the earlier file's entry into the stage and
the act that passed it over.
"""

import datetime

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from integrity.flags.registry import Hit, Rule, register
from integrity.flags.rules.common import (
    FORWARD_ACTIONS,
    STAFF_ACTOR_ROLES,
    WAITING_STAGES,
    holders_at,
)
from integrity.models import Severity
from permits.models import Application, ApplicationEvent
from portal.moments import moment_parse, moment_text

CANDIDATES = 20


@register
class Queue(Rule):
    code = "QUEUE"
    title = _("Mendahului antrean")
    description = _(
        "Petugas meneruskan berkas sementara berkas sejenis yang masuk lebih dulu ke tahap "
        "yang sama masih menunggu di tangannya."
    )
    severity = Severity.MEDIUM
    params = {"tolerance_hours": 7, "window_days": 60}
    triggers = FORWARD_ACTIONS | {"application.returned", "application.rejected"}

    def on_event(self, event, params, context):
        stage = event.from_state
        if (
            stage not in WAITING_STAGES
            or event.to_state == stage
            or event.actor_role not in STAFF_ACTOR_ROLES
        ):
            return []
        app, moment = event.application, event.created_at
        entered = (
            ApplicationEvent.objects.filter(
                application_id=app.pk, to_state=stage, created_at__lt=moment
            )
            .exclude(from_state=stage)
            .order_by("-created_at", "-id")
            .first()
        )
        if entered is None:
            return []
        tolerance = datetime.timedelta(hours=params["tolerance_hours"])
        cutoff = context.calendar.shift_working_time(entered.created_at, -tolerance)
        # From the file side: the type's files submitted in the window (an index range),
        # each probed on its own timeline (event_timeline) for when it entered the stage
        # and whether it left before this act. Cost follows the type's recent volume, not
        # the size of history.
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
            .order_by("entry_at", "pk")
            .values_list("pk", "entry_id", "entry_at")[:CANDIDATES]
        )
        holders = holders_at([pk for pk, _entry, _at in waiting], moment)
        for pk, entry_id, entry_at in waiting:
            if holders.get(pk) == event.actor_id:
                return [
                    Hit(
                        key=f"QUEUE:{event.pk}",
                        occurred_at=moment,
                        evidence=(entry_id, event.pk),
                        application_id=app.pk,
                        officer_id=event.actor_id,
                        detail={
                            "stage": stage,
                            "passed_over": pk,
                            "waiting_since": entry_at.isoformat(),
                        },
                    )
                ]
        return []

    def explain(self, detail):
        return _("Mendahului berkas lain yang menunggu di tahap yang sama sejak %(since)s.") % {
            "since": moment_text(moment_parse(detail.get("waiting_since")))
        }
