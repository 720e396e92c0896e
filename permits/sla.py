"""The SOP clock of a file: when the office promised the permit, and how much time is used.

Rules (DESIGN.md, "The SOP clock"):

* the clock starts when verification declares the file complete;
* it pauses while the file waits on the applicant (returned, awaiting payment) and resumes
  where it stopped: a return never resets it;
* it runs during every internal delay, integrity holds included: those are the office's;
* only working time counts (``worktime.calendar``);
* a running file is late once the wall clock passes its deadline, so that lists filtering on
  the stored ``sop_deadline`` and pages showing ``clock_status`` always agree.

The budget is fixed when the clock starts (a later SOP edit does not move files in
progress). The stored columns ``sop_deadline`` and ``clock_running_since`` let lists sort and
filter by deadline in the database; ``clock_status`` computes the rest the same way for
every page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from worktime.calendar import WorkCalendar

ZERO = datetime.timedelta(0)


class ClockState(models.TextChoices):
    NOT_STARTED = "not_started", _("Belum berjalan")
    ON_TIME = "on_time", _("Tepat waktu")
    DUE_SOON = "due_soon", _("Segera jatuh tempo")
    LATE = "late", _("Terlambat")
    PAUSED = "paused", _("Dijeda")
    DONE_ON_TIME = "done_on_time", _("Selesai tepat waktu")
    DONE_LATE = "done_late", _("Selesai terlambat")


# The clock is running (late included): the states with a deadline.
RUNNING = frozenset({ClockState.ON_TIME, ClockState.DUE_SOON, ClockState.LATE})


@dataclass(frozen=True)
class ClockStatus:
    state: ClockState
    deadline: datetime.datetime | None
    budget: datetime.timedelta | None
    used: datetime.timedelta
    remaining: datetime.timedelta | None

    @property
    def is_late(self) -> bool:
        return self.state in {ClockState.LATE, ClockState.DONE_LATE}


def held_clock_note(status: ClockStatus) -> str:
    """What an integrity hold does to the clock, for the office: held before the file was
    declared complete, the clock has not started; after, it runs on (the delay is the
    office's); while the file waits on the applicant, it stays paused."""
    if status.state == ClockState.NOT_STARTED:
        return str(_("Waktu SOP belum berjalan: berkas belum dinyatakan lengkap."))
    if status.state in RUNNING:
        return str(
            _("Waktu SOP tetap berjalan; keterlambatan karenanya menjadi tanggung jawab kantor.")
        )
    if status.state == ClockState.PAUSED:
        return str(_("Waktu SOP berhenti selama berkas menunggu pemohon."))
    return ""


def clock_start(app, at: datetime.datetime, calendar: WorkCalendar) -> None:
    """Start the clock, or resume it if it had started before (a file re-verified)."""
    if app.clock_started_at is not None:
        clock_resume(app, at, calendar)
        return
    promised = app.permit_type.sop_deadline(at, calendar)
    app.clock_started_at = at
    app.sop_budget = calendar.working_time_between(at, promised)
    app.work_used = ZERO
    app.clock_running_since = at
    app.sop_deadline = calendar.add_working_time(at, app.sop_budget)


def clock_pause(app, at: datetime.datetime, calendar: WorkCalendar) -> None:
    if app.clock_running_since is None:
        return
    app.work_used += calendar.working_time_between(app.clock_running_since, at)
    app.clock_running_since = None
    app.sop_deadline = None


def clock_resume(app, at: datetime.datetime, calendar: WorkCalendar) -> None:
    if app.clock_started_at is None or app.clock_running_since is not None:
        return
    app.clock_running_since = at
    app.sop_deadline = calendar.shift_working_time(at, app.sop_budget - app.work_used)


def clock_stop(app, at: datetime.datetime, calendar: WorkCalendar) -> None:
    """The file ended (issued, rejected, withdrawn, expired): freeze the used time."""
    if app.clock_started_at is None:
        return
    if app.clock_running_since is not None:
        app.finished_late = at > app.sop_deadline
    else:
        app.finished_late = app.work_used > app.sop_budget
    clock_pause(app, at, calendar)


def due_soon_cutoff(now: datetime.datetime, calendar: WorkCalendar) -> datetime.datetime:
    """A running file whose deadline falls before this moment is due soon (one working day)."""
    return calendar.add_working_days(now, 1)


def clock_status(app, now: datetime.datetime, calendar: WorkCalendar) -> ClockStatus:
    if app.clock_started_at is None:
        return ClockStatus(ClockState.NOT_STARTED, None, None, ZERO, None)
    used = app.work_used
    if app.clock_running_since is not None:
        used += calendar.working_time_between(app.clock_running_since, now)
    remaining = app.sop_budget - used
    if app.finished_late is not None:
        state = ClockState.DONE_LATE if app.finished_late else ClockState.DONE_ON_TIME
        return ClockStatus(state, None, app.sop_budget, used, remaining)
    if app.clock_running_since is None:
        return ClockStatus(ClockState.PAUSED, None, app.sop_budget, used, remaining)
    if now > app.sop_deadline:
        state = ClockState.LATE
    elif app.sop_deadline <= due_soon_cutoff(now, calendar):
        state = ClockState.DUE_SOON
    else:
        state = ClockState.ON_TIME
    return ClockStatus(state, app.sop_deadline, app.sop_budget, used, remaining)
