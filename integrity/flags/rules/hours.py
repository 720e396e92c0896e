"""HOURS: a staff member acted on a file outside service hours.

Any act of a staff member at a moment that is not working time in the office's calendar
(evenings, weekends, national holidays, cuti bersama, local days off), with a grace of
``grace_minutes`` (default 30) either side of the service hours. One flag per officer and
day; each act that day is evidence.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrity.flags.registry import Hit, Rule, register
from integrity.models import Severity
from portal.moments import moment_text


def _day_text(day: str | None) -> str:
    try:
        return moment_text(datetime.date.fromisoformat(day))
    except (TypeError, ValueError):
        return day or ""


@register
class Hours(Rule):
    code = "HOURS"
    title = _("Tindakan di luar jam layanan")
    description = _(
        "Petugas memproses berkas di luar jam layanan, pada akhir pekan, hari libur "
        "nasional, atau cuti bersama."
    )
    severity = Severity.LOW
    params = {"grace_minutes": 30}
    any_staff_event = True

    def on_event(self, event, params, context):
        calendar, moment = context.calendar, event.created_at
        grace = datetime.timedelta(minutes=params["grace_minutes"])
        if any(calendar.is_working_time(m) for m in (moment, moment - grace, moment + grace)):
            return []
        day = timezone.localdate(moment)
        if calendar.holiday_name(day):
            reason = "holiday"
        elif not calendar.is_working_day(day):
            reason = "day_off"
        else:
            reason = "after_hours"
        return [
            Hit(
                key=f"HOURS:{event.actor_id}:{day.isoformat()}",
                occurred_at=moment,
                evidence=(event.pk,),
                application_id=None,
                officer_id=event.actor_id,
                detail={"day": day.isoformat(), "reason": reason},
            )
        ]

    def explain(self, detail):
        reasons = {
            "holiday": _("hari libur nasional atau cuti bersama"),
            "day_off": _("hari tidak kerja"),
            "after_hours": _("di luar jam layanan"),
        }
        return _("Bertindak pada %(day)s, %(reason)s.") % {
            "day": _day_text(detail.get("day")),
            "reason": reasons.get(detail.get("reason"), ""),
        }
