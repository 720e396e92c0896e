"""FLIP: a requirement found missing or invalid was later passed without a new document.

"Incomplete, then suddenly complete": a check turned from missing/invalid to ok while no
newer version of that requirement's document was uploaded in between (the officer had to
write a note to do it: ``permits.services.checks``). Worse when the file then moved on the
same working day (declared complete, reviewed, approved, signed): a file that should have
waited for the applicant, as the SOP says, was pushed through. Severity medium, high with
the same-day move. Evidence: the bad verdict, the flip, and the same-day move.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrity.flags.registry import Hit, Rule, register
from integrity.flags.rules.common import BAD_CHECKS, FORWARD_ACTIONS
from integrity.models import Severity
from permits.models import ApplicationEvent, CheckStatus, Document


def _is_flip(event) -> bool:
    data = event.data if isinstance(event.data, dict) else {}
    return (
        event.action == "check.updated"
        and data.get("from") in BAD_CHECKS
        and data.get("to") == CheckStatus.OK
    )


@register
class Flip(Rule):
    code = "FLIP"
    title = _("Persyaratan tiba-tiba dinyatakan lengkap")
    description = _(
        "Persyaratan yang kurang atau tidak sah dinyatakan sesuai tanpa dokumen baru, "
        "terlebih bila berkas lalu diteruskan pada hari kerja yang sama."
    )
    severity = Severity.MEDIUM
    params = {}
    triggers = frozenset({"check.updated"} | FORWARD_ACTIONS)

    def on_event(self, event, params, context):
        if event.action == "check.updated":
            hit = self._flip(event) if _is_flip(event) else None
            return [hit] if hit else []
        # A move onwards: the flips of this file on the same working day become serious.
        day = timezone.localdate(event.created_at)
        if not context.calendar.is_working_day(day):
            return []
        same_day = ApplicationEvent.objects.filter(
            application_id=event.application_id,
            action="check.updated",
            created_at__lte=event.created_at,
            created_at__date=day,
        ).order_by("created_at", "id")
        hits = []
        for flip in same_day:
            if _is_flip(flip):
                hit = self._flip(flip, moved=event)
                if hit is not None:
                    hits.append(hit)
        return hits

    def _flip(self, event, moved=None) -> Hit | None:
        requirement = event.data.get("requirement")
        bad = (
            ApplicationEvent.objects.filter(
                application_id=event.application_id,
                action="check.updated",
                data__requirement=requirement,
                data__to__in=sorted(BAD_CHECKS),
                created_at__lte=event.created_at,
            )
            .exclude(pk=event.pk)
            .order_by("-created_at", "-id")
            .first()
        )
        since = bad.created_at if bad is not None else None
        newer = Document.objects.filter(
            application_id=event.application_id,
            requirement__code=requirement,
            uploaded_at__lte=event.created_at,
        )
        if since is not None:
            newer = newer.filter(uploaded_at__gt=since)
        if since is not None and newer.exists():
            return None
        evidence = tuple(e.pk for e in (bad, event, moved) if e is not None)
        return Hit(
            key=f"FLIP:{event.pk}",
            occurred_at=(moved or event).created_at,
            evidence=evidence,
            application_id=event.application_id,
            officer_id=event.actor_id,
            detail={"requirement": requirement, "same_day_move": moved is not None},
            severity=Severity.HIGH if moved is not None else None,
        )

    def explain(self, detail):
        text = _("Persyaratan %(req)s dinyatakan sesuai tanpa dokumen baru.") % {
            "req": detail.get("requirement")
        }
        if detail.get("same_day_move"):
            text += " " + _("Berkas diteruskan pada hari kerja yang sama.")
        return text
