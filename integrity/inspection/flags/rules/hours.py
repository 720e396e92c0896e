"""HOURS: a staff member acted on a file outside working hours, with no deadline to explain it.

Staff work longer than the counter serves: the office day is ``STAFF_HOURS`` (jam kerja,
default 07:30-16:00, never shorter than the day's service hours) on a working day of the
office's calendar. An act outside it, beyond a grace of ``grace_minutes`` (default 30)
either side (the pile finished a little after four, a meeting at seven), is flagged
unless the file was due within ``due_hours`` (default 7.5, one working day of service
hours) of working time after the act, or was already late: staying late, or coming in on
a day off, to finish a file before its deadline is what the office asks of its staff
(lembur). The deadline is the one the file had at that moment (its field history): the
SOP deadline once its clock runs, the completeness check's before. One flag per officer
and day; each act that day is evidence.

Why these defaults (office practice, before anything was measured): thirty minutes is the
slack of an ordinary day's edges; one working day is what "due" means to an officer (the
reminders call a file due soon within its last working day too).

Expected false flags (bench/history.py, 480 files over four months, about 120 a month,
seeds 1 and 2): none; the overtime on files due, the supervisor's late rounds and the
declarations before them raise nothing.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.moments import moment_text
from integrity.inspection.flags.registry import Hit, Rule
from integrity.inspection.flags.rules.common import deadlines_at
from integrity.inspection.models import Severity


def _day_text(day: str | None) -> str:
    try:
        return moment_text(datetime.date.fromisoformat(day))
    except (TypeError, ValueError):
        return day or ""


def staff_day(calendar, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime] | None:
    """The office day's start and end on ``day`` (aware), or None on a day off."""
    service = calendar.service_hours(day)
    if service is None:
        return None
    starts, ends = (
        datetime.datetime.combine(day, datetime.time.fromisoformat(t), tzinfo=calendar.timezone)
        for t in settings.STAFF_HOURS.split("-")
    )
    return min(starts, service[0]), max(ends, service[1])


def deadline_at(application_id: int | None, moment: datetime.datetime):
    """The deadline the file had at ``moment``: its SOP deadline while the clock ran, else
    the completeness check's (from the file's field history; None when it had neither)."""
    if application_id is None:
        return None
    return deadlines_at([application_id], moment).get(application_id)


class Hours(Rule):
    code = "HOURS"
    title = _("Tindakan di luar jam kerja")
    description = _(
        "Petugas memproses berkas di luar jam kerja, pada akhir pekan, hari libur "
        "nasional, atau cuti bersama, padahal berkas itu tidak sedang dikejar tenggat."
    )
    severity = Severity.LOW
    params = {"grace_minutes": 30, "due_hours": 7.5}
    any_staff_event = True

    def on_event(self, event, params, context):
        calendar, moment = context.calendar, event.created_at
        grace = datetime.timedelta(minutes=params["grace_minutes"])
        day = timezone.localdate(moment)
        office_day = staff_day(calendar, day)
        if office_day is not None and office_day[0] - grace <= moment < office_day[1] + grace:
            return []
        deadline = deadline_at(getattr(event, "application_id", None), moment)
        if deadline is not None:
            left = calendar.working_time_between(moment, deadline) if deadline > moment else None
            if left is None or left <= datetime.timedelta(hours=params["due_hours"]):
                return []  # overtime on a file due (or late): lembur
        if calendar.holiday_name(day):
            reason = "holiday"
        elif office_day is None:
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
            "after_hours": _("di luar jam kerja"),
        }
        return _("Bertindak pada %(day)s, %(reason)s.") % {
            "day": _day_text(detail.get("day")),
            "reason": reasons.get(detail.get("reason"), ""),
        }
