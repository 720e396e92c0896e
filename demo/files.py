"""Demo files: a few dozen applications replayed over the past weeks through the real
services, so that every stage, a few late files, paused ones and returns are on show.

The clock is moved with time-machine (a development dependency; the demo runs only with
DEBUG on), so every event carries a believable time and the SOP clock is computed, not faked.
"""

from __future__ import annotations

import datetime
import random

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Role, User
from integrity.conflicts.services.declarations import declaration_needed, file_declare
from issuance.models import Bill, PaymentChannel
from issuance.services.billing import payment_record
from permits.details.examples import details_example
from permits.models import (
    AnswerChannel,
    Application,
    CheckStatus,
    Conclusion,
    FindingResult,
    PermitType,
    Stage,
    Verdict,
)
from permits.services.applications import (
    application_create,
    application_details_update,
    application_return,
    application_submit,
    transition_fire,
)
from permits.services.checks import check_update
from permits.services.context import Actor
from permits.services.data_checks import data_check_of, data_check_update
from permits.services.documents import document_upload
from permits.services.recommendations import DRAFT, recommendation_draft, recommendation_sign
from permits.services.site_visit_photos import site_visit_photo_add
from permits.services.site_visit_reports import (
    SIGN,
    checklist_of,
    site_visit_applicant_sign,
    site_visit_report,
    site_visit_sign,
)
from permits.services.site_visits import site_visit_answer, site_visit_propose
from places.selectors import gazetteer
from worktime.calendar import get_calendar

DEMO_PDF = b"%PDF-1.4\n% Terang demo document\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DEMO_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PEOPLE = [
    ("Budi Santoso", "3204011203850001", "Jl. Merdeka No. 12, Sukamaju"),
    ("Sri Wahyuni", "3204015506900002", "Jl. Pahlawan No. 3, Cibeunying"),
    ("Ahmad Fauzi", "3204012001880003", "Perum Griya Asri Blok C-7"),
    ("Dewi Anggraini", "3204016712920004", "Jl. Kenanga No. 45, Sukamaju"),
    ("Rudi Hartono", "3204010507800005", "Kp. Sindangsari RT 02/05"),
    ("Nur Aisyah", "3204014403950006", "Jl. Ahmad Yani No. 88"),
    ("Hendra Gunawan", "3204011111870007", "Jl. Cempaka No. 9"),
    ("Lestari Putri", "3204015209930008", "Jl. Raya Timur Km 4"),
]
# Where the demo has technical officers (DINKES, DPUPR), or types with no technical stage.
DEMO_OPDS = ("DINKES", "DPUPR")
TARGETS = [
    Stage.SUBMITTED,
    Stage.VERIFICATION,
    Stage.VERIFICATION,
    Stage.RETURNED,
    Stage.TECHNICAL_REVIEW,
    Stage.TECHNICAL_REVIEW,
    Stage.INSPECTION,
    Stage.AWAITING_PAYMENT,
    Stage.APPROVAL,
    Stage.APPROVAL,
    Stage.SIGNING,
    Stage.ISSUED,
    Stage.ISSUED,
    Stage.REJECTED,
]


def _sample(requirement) -> ContentFile:
    if "pdf" in requirement.formats:
        return ContentFile(DEMO_PDF, name=f"{requirement.code}.pdf")
    return ContentFile(DEMO_PNG, name=f"{requirement.code}.png")


def _types() -> list[PermitType]:
    return list(
        PermitType.objects.filter(active=True, opd__code__in=DEMO_OPDS).select_related("opd")
    )


def demo_files_seed(*, count: int = 40, seed: int = 7) -> int:
    """Replay ``count`` files; returns how many exist afterwards. Skips if files exist."""
    import time_machine

    if Application.objects.exists():
        return Application.objects.count()
    rng = random.Random(seed)
    calendar = get_calendar()
    types = _types()
    # The files left in technical review or at approval show the technical team at work.
    teamed = [t for t in types if t.recommenders.exists()] or types
    applicant = User.objects.get(username="pemohon")
    counter = User.objects.filter(role=Role.COUNTER).first()
    cashier = User.objects.filter(role=Role.CASHIER).first()
    now = timezone.now()
    places = gazetteer()
    for i in range(count):
        target = TARGETS[i % len(TARGETS)]
        permit_type = rng.choice(
            teamed if target in {Stage.TECHNICAL_REVIEW, Stage.APPROVAL} else types
        )
        # Start between 1 and 15 working days ago, during service hours.
        start = calendar.shift_working_time(now, -datetime.timedelta(hours=rng.uniform(3, 110)))
        moment = start
        with time_machine.travel(moment, tick=False) as traveller:

            def later(hours: float, _traveller=traveller):
                nonlocal moment
                moment = calendar.add_working_time(moment, datetime.timedelta(hours=hours))
                _traveller.move_to(min(moment, now))

            online = i % 3 != 0
            name, nik, address = PEOPLE[i % len(PEOPLE)]
            creator = applicant if online else counter
            app = application_create(
                permit_type=permit_type,
                actor=Actor(creator, "10.0.0.5", "demo"),
                applicant_name=name if not online else applicant.full_name,
                applicant_nik=nik,
                applicant_address=address,
                applicant_phone=f"+62812000{i:05d}",
            )
            app = application_details_update(
                application=app,
                actor=Actor(creator, "10.0.0.5", "demo"),
                details=details_example(app.form_spec, places=places, rng=random.Random(i)),
            )
            for check in app.checks.select_related("requirement"):
                if check.requirement.mandatory or rng.random() < 0.5:
                    document_upload(
                        application=app,
                        requirement=check.requirement,
                        uploaded=_sample(check.requirement),
                        actor=Actor(creator, "10.0.0.5", "demo"),
                    )
            app = application_submit(application=app, actor=Actor(creator, "10.0.0.5", "demo"))
            app = _advance(app, target, rng, later, cashier)
            if app.state == Stage.TECHNICAL_REVIEW:
                # Left in review: one agency has answered, the others are still asked.
                _recommendations_give(app, rng, later, leave=1)
            if app.state == Stage.INSPECTION and not app.site_visits.exists():
                # Left in inspection: a visit proposed for a day to come, which an online
                # applicant (the demo's Siti) still has to confirm.
                _visit_agreed(app, app.assigned_to, rng, answer=not online, after=now)
    return Application.objects.count()


def _advance(app, target, rng, later, cashier):
    def fire(name, user, **kwargs):
        return transition_fire(
            application=app, name=name, actor=Actor(user, "10.0.0.9", "demo"), **kwargs
        )

    while app.state != target and moment_ok(app):
        later(rng.uniform(0.5, 9))
        officer = app.assigned_to
        if officer is not None and declaration_needed(app, officer):
            # Before their first act on the file, its officer declares no conflict.
            file_declare(
                application=app, actor=Actor(officer, "10.0.0.9", "demo"), has_conflict=False
            )
        if app.state == Stage.SUBMITTED:
            app = fire("begin_verification", officer)
        elif app.state == Stage.VERIFICATION:
            checks = list(app.checks.select_related("requirement"))
            if target == Stage.RETURNED:
                bad = next(c for c in checks if c.requirement.mandatory)
                app = application_return(
                    application=app,
                    actor=Actor(officer),
                    findings={
                        bad.pk: (
                            CheckStatus.INVALID,
                            "Dokumen tidak terbaca; unggah pindaian yang jelas.",
                        )
                    },
                )
                break
            for check in checks:
                check_update(check=check, status=CheckStatus.OK, note="", actor=Actor(officer))
            if data_check_of(app) is not None:  # the type's own fields, checked too
                data_check_update(application=app, status="ok", note="", actor=Actor(officer))
            app = fire("declare_complete", officer)
        elif app.state == Stage.TECHNICAL_REVIEW:
            _recommendations_give(app, rng, later)
            app = fire("finish_review", officer, note="Memenuhi ketentuan teknis.")
        elif app.state == Stage.INSPECTION:
            visit = _visit_agreed(app, officer, rng)
            # To the appointment, and the visit's length; not past the present.
            later(calendar_hours(timezone.now(), visit.appointment_at) + rng.uniform(1, 2))
            if timezone.now() < visit.appointment_at:
                return app  # the appointment is still ahead: the file waits for it
            _visit_reported(app, visit, officer, rng, later)
            app = fire("finish_inspection", officer, note="Lokasi sesuai dokumen.")
        elif app.state == Stage.AWAITING_PAYMENT:
            bill = Bill.objects.get(application=app)
            app = payment_record(
                bill=bill,
                actor=Actor(cashier),
                channel=PaymentChannel.CASHIER,
                reference=f"KW-{timezone.localdate():%y%m%d}-{app.pk:05d}",
                amount=bill.amount,
            ).application
        elif app.state == Stage.APPROVAL:
            if target == Stage.REJECTED:
                app = fire(
                    "reject",
                    officer,
                    reason="Lokasi usaha tidak sesuai rencana tata ruang.",
                    legal_basis="Peraturan Daerah Kabupaten Sukamaju tentang RTRW",
                )
            else:
                app = fire("approve", officer)
        elif app.state == Stage.SIGNING:
            app = fire("sign", officer)
        else:
            break
        if target == Stage.REJECTED and app.state == Stage.SIGNING:
            break
    return app


# What the demo's agencies answer (tim teknis): mostly yes, some with conditions.
ANSWERS = [
    (Verdict.RECOMMEND, {}),
    (Verdict.WITH_CONDITIONS, {"conditions": "Menyediakan sumur resapan sesuai luas atap."}),
    (Verdict.RECOMMEND, {}),
    (
        Verdict.WITH_CONDITIONS,
        {"conditions": "Rambu dan marka parkir dipasang sebelum beroperasi."},
    ),
]


def _recommendations_give(app, rng, later, *, leave: int = 0) -> None:
    """Each agency asked on ``app`` answers through the services, but the last ``leave``:
    its officer declares and drafts, its supervisor declares and signs off."""
    asked = list(
        app.recommendations.filter(signed_at__isnull=True).select_related("opd", "assigned_to")
    )
    for rec in asked[: max(0, len(asked) - leave)]:
        officer = (
            rec.assigned_to
            or User.objects.filter(role=Role.TECHNICAL, unit=rec.opd, is_active=True).first()
        )
        supervisor = User.objects.filter(role=Role.SUPERVISOR, unit=rec.opd, is_active=True).first()
        if officer is None or supervisor is None:
            continue
        verdict, answer = rng.choice(ANSWERS)
        later(rng.uniform(1, 6))
        _declared(app, officer)
        recommendation_draft(
            recommendation=rec,
            actor=Actor(officer, "10.0.0.9", "demo"),
            verdict=verdict,
            **answer,
        )
        later(rng.uniform(0.5, 3))
        _declared(app, supervisor)
        recommendation_sign(recommendation=rec, actor=Actor(supervisor, "10.0.0.9", "demo"))


def calendar_hours(start, end) -> float:
    """Working hours from ``start`` to ``end`` (0 if ``end`` is not later)."""
    if end <= start:
        return 0.0
    return get_calendar().working_time_between(start, end).total_seconds() / 3600


def _visit_agreed(app, officer, rng, *, answer: bool = True, after=None):
    """The holder proposes a visit at 09.00-13.00 on the working day after ``after`` (the
    clock's today by default); the applicant confirms it, online in their account or, for
    a walk-in, by telephone recorded by the holder (``answer``)."""
    calendar = get_calendar()
    today = timezone.localtime(after or timezone.now()).date()
    day = calendar.next_working_day(today)
    slot = timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.randint(9, 13))))
    _declared(app, officer)
    visit = site_visit_propose(
        application=app,
        actor=Actor(officer, "10.0.0.9", "demo"),
        appointment_at=slot,
        note="Mohon siapkan dokumen asli di lokasi.",
    )
    if not answer:
        return visit
    online = app.applicant_id is not None
    return site_visit_answer(
        application=app,
        actor=Actor(app.applicant if online else officer, "10.0.0.5", "demo"),
        confirm=True,
        channel=AnswerChannel.ACCOUNT if online else AnswerChannel.TELEPHONE,
    )


def _visit_reported(app, visit, lead, rng, later) -> None:
    """The lead writes the report (every item found as applied for, now and then one with a
    note), the team signs it, and the applicant's side signs: online in their account, a
    walk-in on site, recorded by the lead."""
    site_visit_photo_add(
        application=app,
        actor=Actor(lead, "10.0.0.9", "demo"),
        uploaded=_site_photo(visit),
        caption="Tampak depan lokasi",
    )
    items = checklist_of(app)
    results = [(FindingResult.MATCHES, "")] * len(items)
    conclusion = Conclusion.MATCHES
    if rng.random() < 0.3:
        results[-1] = (FindingResult.DIFFERS, "Saluran air depan lokasi perlu dibersihkan.")
        conclusion = Conclusion.WITH_NOTES
    site_visit_report(
        application=app,
        actor=Actor(lead, "10.0.0.9", "demo"),
        results=results,
        conclusion=conclusion,
        summary="Tim meninjau lokasi bersama pemohon; hasilnya seperti tercantum.",
    )
    if app.applicant_id is None:
        site_visit_applicant_sign(
            application=app, actor=Actor(lead, "10.0.0.9", "demo"), signer=app.applicant_name
        )
    for member in visit.members.select_related("officer"):
        _declared(app, member.officer, SIGN)
        site_visit_sign(application=app, actor=Actor(member.officer, "10.0.0.9", "demo"))
    if app.applicant_id is not None:
        later(rng.uniform(0.5, 4))
        site_visit_applicant_sign(application=app, actor=Actor(app.applicant, "10.0.0.5", "demo"))


def _site_photo(visit) -> ContentFile:
    """A stand-in photo of the site, with the EXIF a phone writes: the time now (office
    time) and, where the application gives one, the site's map point."""
    import io

    from PIL import Image

    image = Image.new("RGB", (320, 240), (96, 140, 88))
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = timezone.localtime().strftime("%Y:%m:%d %H:%M:%S")
    if visit.site_lat is not None:
        gps = exif.get_ifd(0x8825)
        for ref, key, value, signs in ((1, 2, visit.site_lat, "NS"), (3, 4, visit.site_lon, "EW")):
            degrees = abs(value)
            d = int(degrees)
            m = int((degrees - d) * 60)
            gps[ref] = signs[0] if value >= 0 else signs[1]
            gps[key] = (float(d), float(m), round(((degrees - d) * 60 - m) * 60, 3))
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return ContentFile(out.getvalue(), name="tampak-depan.jpg")


def _declared(app, person, action: str = DRAFT) -> None:
    """Before their first act on the file, an agency's officer or supervisor declares."""
    if declaration_needed(app, person, action):
        file_declare(application=app, actor=Actor(person, "10.0.0.9", "demo"), has_conflict=False)


def moment_ok(app) -> bool:
    return app.assigned_to is not None or app.state in {Stage.AWAITING_PAYMENT}
