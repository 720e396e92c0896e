"""The back office's acts in ``bench/history.py``: technical review, pressure, inspection,
payment, the approval and signing rounds, and when a file was late."""

from __future__ import annotations

import contextlib
import datetime as dt

from django.core.exceptions import PermissionDenied

from bench.history_world import JAKARTA, File, _local, _lognormal


class ReviewDesk:
    """The acts of ``Office`` (``bench.history``) from technical review to the signature."""

    def entered(self, f: File, app) -> None:
        """The file moved on: schedule what its new stage does with it."""
        f.stage, f.stage_since, f.holder = app.state, self.now, app.assigned_to_id
        pt = self.types[f.code]
        quick = f.accelerated or pt.sop_unit == "hours"
        if app.state == "technical_review":
            self.review(f, app)
        elif app.state == "inspection":
            if f.accelerated:  # written up without a visit
                when = self.minutes(10, 60)
            else:
                day = self.calendar.add_working_days(self.now, self.rng.randint(1, 4))
                when = _local(day.astimezone(JAKARTA).date(), self.rng.uniform(13.0, 15.0))
                when = max(when, self.calendar.next_working_moment(when))
            self.at(when, self.inspected, f)
        elif app.state == "awaiting_payment":
            f.pauses.append([self.now, None])
            if f.accelerated:
                when = self.minutes(10, 60)
            else:
                when = self.now + dt.timedelta(days=self.rng.uniform(0.3, 3))
                when = self.calendar.next_working_moment(when)
                when = self.later(self.rng.uniform(0, 2), when)
            self.at(when, self.paid, f)
        elif app.state == "approval":
            if quick:
                self.at(self.minutes(10, 40), self.approve_one, f)
            else:
                self.approval.append(f)
        elif app.state == "signing":
            if quick:
                self.at(self.minutes(10, 40), self.sign_one, f)
            else:
                self.signing.append(f)
        elif app.state == "issued":
            f.finished = self.now

    def review(self, f: File, app) -> None:
        pt, holder, rng = self.types[f.code], app.assigned_to_id, self.rng
        budget = (
            self.calendar.working_time_between(self.now, app.sop_deadline).total_seconds() / 3600
        )
        sop_hours = (
            self.calendar.working_time_between(
                f.clock_start, pt.sop_deadline(f.clock_start, self.calendar)
            ).total_seconds()
            / 3600
        )
        older = [g for g in self.reviewing[holder] if g.stage_since < self.now]
        self.reviewing[holder].append(f)
        if f.accelerated:
            work = rng.uniform(10, 60) / 60
        elif f.plant == "PARKED":
            work = sop_hours * rng.uniform(1.3, 2.0)
        else:
            work = max(0.5, _lognormal(rng, 0.25 * sop_hours, 0.5))
            stale = [
                g
                for g in older
                if g.code == f.code
                and self.calendar.working_time_between(g.stage_since, self.now)
                >= dt.timedelta(hours=7.5)
            ]
            if not f.plant and self.quota["QUEUE"] and len(stale) >= 2 and rng.random() < 0.5:
                f.plant = "QUEUE"
                self.quota["QUEUE"] -= 1
                work = rng.uniform(0, 3)
            elif (
                not f.plant
                and self.quota["PRESSURE"]
                and 1 <= len(older) <= 5
                and rng.random() < 0.15
            ):
                f.plant = "PRESSURE"
                self.quota["PRESSURE"] -= 1
                self.at(self.later(rng.uniform(0.5, 4)), self.pressure, f)
        when = self.later(work)
        if f.plant == "HOURS":
            local = when.astimezone(JAKARTA)
            if local.weekday() == 4:
                when = _local(local.date() + dt.timedelta(days=1), rng.uniform(10, 14))
            else:
                when = _local(local.date(), rng.uniform(19, 23.5))
            if app.sop_deadline <= self.later(7.5, when):
                f.plant = ""  # due within a working day: not the plant the docstring means
                when = self.later(work)
        elif not f.plant and when > app.sop_deadline and rng.random() < 0.3:
            # Night work on a deadline (lembur): finished the evening it is due.
            due = app.sop_deadline.astimezone(JAKARTA)
            evening = _local(due.date(), rng.uniform(16.5, 19.0))
            if evening > self.now and self.calendar.is_working_day(due.date()):
                when = evening
                day = due.date().isoformat()
                self.decoy("overtime on a file due that day", f, ("officer-day", holder, day))
        del budget
        self.tokens[f.pk] += 1
        self.at(when, self.reviewed, f, self.tokens[f.pk])

    def pressure(self, f: File) -> None:
        from permits.services.file_messages import file_message_post
        from permits.services.views_log import file_view_record

        if f.stage != "technical_review":
            return
        app = self.app(f)
        boss = self.supervisor if self.rng.random() < 0.7 else self.head
        waiting = [
            g for g in self.reviewing[f.holder] if g is not f and g.stage_since < f.stage_since
        ]
        if not waiting:
            return
        file_view_record(application=app, actor=self.actor(boss))
        if self.rng.random() < 0.2:
            # Not every file is the head's to write on (PermissionDenied): then a view only.
            with contextlib.suppress(PermissionDenied):
                file_message_post(
                    application=app, actor=self.actor(boss), body="Mohon berkas ini didahulukan."
                )
        self.truth.subjects["PRESSURE"].add(("file", f.pk))
        self.tokens[f.pk] += 1
        self.at(self.minutes(5, 55), self.reviewed, f, self.tokens[f.pk])

    def reviewed(self, f: File, token: int) -> None:
        if token != self.tokens[f.pk] or f.stage != "technical_review":
            return
        if f.accelerated or f.plant in ("QUEUE", "PRESSURE"):
            # Judged as it leaves: the files that came before it and are still there.
            waiting = [
                g for g in self.reviewing[f.holder] if g is not f and g.stage_since < f.stage_since
            ]
            self.jumped(f, waiting)
        app = self.fire(f, "finish_review", note="Memenuhi ketentuan teknis.")
        self.reviewing[f.holder].remove(f)
        if f.plant == "HOURS":
            local = self.now.astimezone(JAKARTA).date()
            self.truth.subjects["HOURS"].add(("officer-day", f.holder, local.isoformat()))
        self.entered(f, app)

    def inspected(self, f: File) -> None:
        self.entered(f, self.fire(f, "finish_inspection", note="Lokasi sesuai dokumen."))

    def paid(self, f: File) -> None:
        from issuance.models import Bill, PaymentChannel
        from issuance.services.billing import payment_record

        bill = Bill.objects.get(application_id=f.pk)
        self.declare(self.app(f), self.cashier)
        app = payment_record(
            bill=bill,
            actor=self.actor(self.cashier),
            channel=PaymentChannel.CASHIER,
            reference=f"KW-{f.pk:06d}",
            amount=bill.amount,
        ).application
        f.pauses[-1][1] = self.now
        self.entered(f, app)

    def approve_one(self, f: File) -> None:
        if f.stage == "approval":
            if f.accelerated:
                self.jumped(f, [g for g in self.approval if g is not f])
            self.entered(f, self.fire(f, "approve"))

    def sign_one(self, f: File) -> None:
        if f.stage != "signing":
            return
        if self.now.astimezone(JAKARTA).date() in self.head_away and not f.accelerated:
            self.signing.append(f)  # the next round
            return
        if f.accelerated:
            self.jumped(f, [g for g in self.signing if g is not f])
        self.entered(f, self.fire(f, "sign"))

    def approval_round(self) -> None:
        waiting, self.approval = self.approval, []
        for f in waiting:
            self.step(self.rng.uniform(1, 3))
            self.approve_one(f)

    def signing_round(self) -> None:
        if self.now.astimezone(JAKARTA).date() in self.head_away:
            return
        waiting, self.signing = self.signing, []
        for f in waiting:
            self.step(self.rng.uniform(1, 2))
            self.sign_one(f)

    # The end ---------------------------------------------------------------------------
    def late_truth(self, end: dt.datetime) -> None:
        """Every file past its SOP deadline or its check's, by the simulation's own clock."""
        cal = self.calendar
        for f in self.files.values():
            pt = self.types[f.code]
            late = any(
                (stop or end) > pt.check_deadline(start, cal) for start, stop in f.queue_entries
            )
            if f.clock_start is not None:
                deadline = pt.sop_deadline(f.clock_start, cal)
                budget = cal.working_time_between(f.clock_start, deadline)
                used = cal.working_time_between(f.clock_start, f.finished or end)
                for start, stop in f.pauses:
                    used -= cal.working_time_between(start, stop or end)
                late = late or used > budget
            labels = self.truth.labels[("file", f.pk)]
            unit = "hours" if pt.sop_unit == "hours" else "days"
            labels.add(f"SOP {pt.sop_duration} {unit}")
            labels.add(f"planted {f.plant}" if f.plant else "honest")
            if late:
                self.truth.subjects["LATE"].add(("file", f.pk))
                labels.add("late")
            if f.plant == "FAST" and f.finished:
                self.truth.subjects["FAST"].add(("file", f.pk))
