"""The counter's acts in ``bench/history.py``: files arrive, are begun, verified, returned
and corrected, completed; queues, jumps and the broker's files."""

from __future__ import annotations

import datetime as dt
import random

from bench.history_world import JAKARTA, File, _document, _lognormal


class CounterDesk:
    """The acts of ``Office`` (``bench.history``) from a file's arrival to its completeness."""

    def arrive(self, f: File) -> None:
        from permits.details.examples import details_example
        from permits.services.applications import (
            application_create,
            application_details_update,
            application_submit,
        )
        from permits.services.documents import document_upload

        pt = self.types[f.code]
        if f.walk_in:
            creator = self.rng.choice(self.counters)
        else:
            creator = f.account = self.account(f.person)
        extra = {}
        if f.representative:
            extra = {
                "representative_name": f.representative[0],
                "representative_nik": f.representative[1],
            }
        app = application_create(
            permit_type=pt,
            actor=self.actor(creator),
            applicant_name=f.person[0],
            applicant_nik=f.person[1],
            applicant_address=f.person[2],
            applicant_phone=f"+62812{f.index:07d}",
            **extra,
        )
        # The type's fields from a draw of their own: the history's draws stay as they were.
        app = application_details_update(
            application=app,
            actor=self.actor(creator),
            details=details_example(app.form_spec, places=self.places, rng=random.Random(f.index)),
        )
        for check in app.checks.select_related("requirement"):
            if check.requirement.mandatory or self.rng.random() < 0.5:
                document_upload(
                    application=app,
                    requirement=check.requirement,
                    uploaded=_document(f, check.requirement, "1"),
                    actor=self.actor(creator),
                )
        app = application_submit(application=app, actor=self.actor(creator))
        f.pk = app.pk
        self.files[f.pk] = f
        self.queued(f, app)
        if f.plant == "PAIR" and app.assigned_to_id != f.broker_officer.pk:
            self.at(self.minutes(1, 4), self.broker_reassign, f)

    def queued(self, f: File, app) -> None:
        """The file joined the counter's queue (submitted or resubmitted)."""
        f.stage, f.stage_since, f.holder = "submitted", self.now, app.assigned_to_id
        f.queue_entries.append([self.now, None])
        if f.plant == "FAST":
            f.accelerated = True
            self.at(self.minutes(10, 60), self.begin, f, None)
        elif f.walk_in:  # the applicant stands at the desk: served by queue number
            if self.queues[f.holder]:
                self.decoy("walk-in served before waiting online files", f)
            self.at(self.minutes(5 if f.plant != "PAIR" else 8, 30), self.begin, f, None)
        else:
            self.queues[f.holder].append(f)
            self.dispatch(f.holder)

    def broker_reassign(self, f: File) -> None:
        from permits.services.applications import application_reassign

        app = self.app(f)
        if app.state != "submitted" or app.assigned_to_id == f.broker_officer.pk:
            return
        application_reassign(
            application=app,
            officer=f.broker_officer,
            actor=self.actor(self.supervisor),
            reason="Pemohon meminta ditangani petugas yang sama seperti sebelumnya.",
        )
        f.holder = f.broker_officer.pk

    def dispatch(self, officer: int) -> None:
        if officer in self.busy or not self.queues[officer]:
            return
        queue = self.queues[officer]
        queue.sort(key=lambda g: (self.types[g.code].sop_unit != "hours", g.stage_since, g.index))
        pick = 1 if len(queue) > 1 and self.rng.random() < 0.15 else 0
        f = queue.pop(pick)
        if pick:
            self.decoy("second file of the queue taken first", f)
        self.busy.add(officer)
        start = self.calendar.next_working_moment(self.now) + dt.timedelta(
            minutes=self.rng.uniform(0, 15)
        )
        self.at(start, self.begin, f, officer)

    def release(self, officer: int | None) -> None:
        if officer is not None:
            self.busy.discard(officer)
            self.dispatch(officer)

    def begin(self, f: File, queue_of: int | None) -> None:
        state = self.app(f).state
        if f.stage != "submitted" or state not in {"submitted", "verification"}:
            return self.release(queue_of)
        if state == "submitted":  # a resubmitted file is back in verification already
            if f.accelerated and not f.walk_in:  # a walk-in is served at once by design
                self.jumped(f, list(self.queues[f.holder]))
            self.fire(f, "begin_verification")
        f.stage = "verification"
        pt = self.types[f.code]
        if f.accelerated or pt.sop_unit == "hours":
            work = self.rng.uniform(10, 30) / 60
        else:
            work = _lognormal(self.rng, 0.5, 0.5)
        self.at(self.later(work), self.verify, f, queue_of)

    def verify(self, f: File, queue_of: int | None) -> None:
        from permits.models import CheckStatus
        from permits.services.applications import application_return
        from permits.services.checks import check_update

        app = self.app(f)
        officer = app.assigned_to
        checks = list(app.checks.select_related("requirement").order_by("requirement__position"))
        documented = [c for c in checks if app.documents.filter(requirement=c.requirement).exists()]
        mandatory = [c for c in documented if c.requirement.mandatory]
        roll = self.rng.random()
        if f.plant == "FLIP" and not f.returned_once:
            bad = self.rng.choice(mandatory)
            check_update(
                check=bad,
                status=CheckStatus.INVALID,
                note="Pindaian buram, tidak terbaca.",
                actor=self.actor(officer),
            )
            for c in checks:
                if c.pk != bad.pk:
                    check_update(check=c, status=CheckStatus.OK, note="", actor=self.actor(officer))
            f.returned_once = True  # found wanting (not returned)
            self.at(self.later(self.rng.uniform(1, 3) * 7.5), self.flip_turn, f, bad.pk)
            return self.release(queue_of)
        if not f.plant and not f.returned_once and roll < 0.18:
            bad = self.rng.sample(mandatory, k=min(len(mandatory), self.rng.choice((1, 1, 2))))
            findings = {
                c.pk: (
                    self.rng.choice((CheckStatus.MISSING, CheckStatus.INVALID)),
                    "Dokumen tidak sesuai ketentuan; unggah dokumen yang benar.",
                )
                for c in bad
            }
            application_return(application=app, actor=self.actor(officer), findings=findings)
            f.stage, f.returned_once = "returned", True
            f.queue_entries[-1][1] = self.now
            days = _lognormal(self.rng, 2, 0.6)
            back = self.now + dt.timedelta(days=min(days, 10))
            if f.walk_in or not 6 <= back.astimezone(JAKARTA).hour < 23:
                back = self.calendar.next_working_moment(back)
            self.at(back, self.comeback, f)
            return self.release(queue_of)
        if not f.plant and 0.18 <= roll < 0.21 and mandatory:
            c = self.rng.choice(mandatory)
            check_update(
                check=c, status=CheckStatus.INVALID, note="Tidak sesuai.", actor=self.actor(officer)
            )
            self.decoy("mis-click corrected", f)
            self.at(
                self.minutes(2, 10), self.correct, f, c.pk, queue_of, "Salah pilih; dokumen sesuai."
            )
            return
        if not f.plant and 0.21 <= roll < 0.24 and mandatory and f.walk_in:
            c = self.rng.choice(mandatory)
            check_update(
                check=c,
                status=CheckStatus.MISSING,
                note="Mohon tunjukkan dokumen asli.",
                actor=self.actor(officer),
            )
            self.decoy("original shown at the counter, scan uploaded", f)
            self.at(self.minutes(30, 180), self.correct, f, c.pk, queue_of, "")
            return
        self.complete(f, checks, officer)
        self.release(queue_of)

    def correct(self, f: File, check_pk: int, queue_of, note: str) -> None:
        from permits.models import CheckStatus, RequirementCheck
        from permits.services.checks import check_update
        from permits.services.documents import document_upload

        app = self.app(f)
        officer = app.assigned_to
        check = RequirementCheck.objects.select_related("requirement").get(pk=check_pk)
        if not note:  # the original shown: the officer scans it
            document_upload(
                application=app,
                requirement=check.requirement,
                uploaded=_document(f, check.requirement, "scan"),
                actor=self.actor(officer),
            )
        check_update(check=check, status=CheckStatus.OK, note=note, actor=self.actor(officer))
        self.complete(f, list(app.checks.select_related("requirement")), officer)
        self.release(queue_of)

    def complete(self, f: File, checks, officer) -> None:
        from permits.models import Application, CheckStatus
        from permits.services.checks import check_update
        from permits.services.data_checks import data_check_of, data_check_update

        for c in checks:
            c.refresh_from_db()
            if c.status != CheckStatus.OK:
                check_update(check=c, status=CheckStatus.OK, note="", actor=self.actor(officer))
        app = Application.objects.get(pk=f.pk)
        data_check = data_check_of(app)
        if data_check is not None and data_check.status != "ok":  # the type's own fields
            data_check_update(application=app, status="ok", note="", actor=self.actor(officer))
        app = self.fire(f, "declare_complete")
        f.queue_entries[-1][1] = self.now
        f.clock_start = f.clock_start or self.now
        self.entered(f, app)

    def flip_turn(self, f: File, check_pk: int) -> None:
        from permits.models import CheckStatus, RequirementCheck
        from permits.services.checks import check_update
        from permits.services.documents import document_upload

        app = self.app(f)
        officer = app.assigned_to
        check = RequirementCheck.objects.select_related("requirement").get(pk=check_pk)
        note = "Sudah dikonfirmasi."
        if self.rng.random() < 0.5:  # a re-saved copy of the same scan: other bytes
            document_upload(
                application=app,
                requirement=check.requirement,
                uploaded=_document(f, check.requirement, "1-resaved"),
                actor=self.actor(officer),
            )
            note = ""
        check_update(check=check, status=CheckStatus.OK, note=note, actor=self.actor(officer))
        self.truth.subjects["FLIP"].add(("file", f.pk))
        self.at(self.minutes(0, 60), self.flip_complete, f)

    def flip_complete(self, f: File) -> None:
        app = self.app(f)
        self.complete(f, list(app.checks.select_related("requirement")), app.assigned_to)

    def comeback(self, f: File) -> None:
        from permits.services.applications import application_resubmit
        from permits.services.checks import checks_awaiting_replacement
        from permits.services.documents import document_upload

        app = self.app(f)
        who = f.account if not f.walk_in else self.rng.choice(self.counters)
        for check in checks_awaiting_replacement(application=app):
            document_upload(
                application=app,
                requirement=check.requirement,
                uploaded=_document(f, check.requirement, "2"),
                actor=self.actor(who),
            )
        app = application_resubmit(application=app, actor=self.actor(who))
        self.decoy("return with a new document, resubmitted", f)
        self.queued(f, app)

    def jumped(self, f: File, waiting: list[File]) -> None:
        """A plant that passes a file ahead of it in the queue of the same officer and
        stage jumped the queue: QUEUE's truth. The office's queue order is earliest
        deadline first (see the docstring), so a file ahead is one due no later than this
        one, whatever its type or age."""
        from permits.models import Application

        if not waiting:
            return
        due = dict(
            Application.objects.filter(pk__in=[g.pk for g in waiting] + [f.pk]).values_list(
                "pk", "sop_deadline"
            )
        )
        mine = due.get(f.pk)
        if any(mine is None or (due.get(g.pk) or mine) <= mine for g in waiting):
            self.truth.subjects["QUEUE"].add(("file", f.pk))
