"""The test kit's builders, shared by every test folder: factories for rows, and files
walked through the real services (the ``office`` fixture in ``tests/conftest.py`` gives the
people and types they use)."""

from __future__ import annotations

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role, User
from integrity.conflicts.services.cases import case_decide, case_open, case_review
from integrity.conflicts.services.declarations import declaration_needed, file_declare
from integrity.models import CaseOrigin, ConflictCase
from issuance.models import Bill, PaymentChannel
from permits.models import (
    OPD,
    Application,
    CheckStatus,
    DataCheck,
    DataStatus,
    PermitType,
    Requirement,
    Stage,
)
from permits.services.applications import (
    application_create,
    application_return,
    application_submit,
    transition_fire,
)
from permits.services.checks import check_update
from permits.services.context import Actor
from permits.services.data_checks import data_check_update
from permits.services.documents import document_upload


class OPDFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OPD
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"OPD{n}")
    name_id = factory.Sequence(lambda n: f"Dinas Uji {n}")
    name_en = factory.Sequence(lambda n: f"Test Office {n}")


class PermitTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PermitType

    code = factory.Sequence(lambda n: f"UJI-{n:03d}")
    name_id = factory.Sequence(lambda n: f"Izin Uji {n}")
    name_en = factory.Sequence(lambda n: f"Test Permit {n}")
    opd = factory.SubFactory(OPDFactory)
    family = "trade"
    sop_duration = 3
    legal_basis = "Peraturan Daerah Kabupaten Sukamaju Nomor 1 Tahun 2024"
    number_pattern = factory.LazyAttribute(lambda t: f"503/{{seq:04d}}/{t.code}/{{opd}}/{{year}}")


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requirement

    permit_type = factory.SubFactory(PermitTypeFactory)
    code = factory.Sequence(lambda n: f"DOK{n}")
    name_id = factory.Sequence(lambda n: f"Dokumen {n}")
    name_en = factory.Sequence(lambda n: f"Document {n}")
    formats = ["pdf", "jpg", "png"]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="id_ID")
    role = Role.APPLICANT
    password = factory.django.Password("s3cret-pass")  # hashed before the one insert


# Files, walked through the same services the views call ---------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def pdf(name="dokumen.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def act(user):
    return Actor(user=user, ip="203.0.113.7", user_agent="pytest")


def new_file(office, permit_type=None, *, online=True) -> Application:
    permit_type = permit_type or office.full_type
    creator = office.applicant if online else office.counter
    return application_create(
        permit_type=permit_type,
        actor=act(creator),
        applicant_name="Siti Rahmawati",
        applicant_nik="3201014101900001",
        applicant_phone="+6281234567890",
        applicant_address="Jl. Merdeka 1, Sukamaju",
    )


def upload_mandatory(office, app):
    for check in app.checks.select_related("requirement").filter(requirement__mandatory=True):
        document_upload(
            application=app,
            requirement=check.requirement,
            uploaded=pdf(),
            actor=act(office.applicant if app.channel == "online" else office.counter),
        )


def declare_clear(app, user):
    """The holder declares no conflict of interest on the file (needed before acting)."""
    from integrity.conflicts.services.declarations import file_declare

    if declaration_needed(app, user):
        file_declare(application=app, actor=act(user), has_conflict=False)


def fire(app, name, user, **kwargs):
    declare_clear(app, user)
    return transition_fire(application=app, name=name, actor=act(user), **kwargs)


def pay(office, app, *, reference=None, by="cashier"):
    """The cashier (or ``by``; None: the bank's callback) records the bill's payment, which
    fires confirm_payment."""
    from issuance.services.billing import payment_record

    bill = Bill.objects.get(application=app)
    payer = office.cashier if by == "cashier" else by
    if payer is not None:
        declare_clear(app, payer)
    return payment_record(
        bill=bill,
        actor=act(payer),
        channel=PaymentChannel.CASHIER,
        reference=reference or f"KW-{app.pk:05d}",
        amount=bill.amount,
    )


def mark_all_ok(app, officer):
    declare_clear(app, officer)
    for check in app.checks.all():
        check_update(check=check, status=CheckStatus.OK, note="", actor=act(officer))
    if DataCheck.objects.filter(application=app).exists():  # the type's own fields
        data_check_update(application=app, status=DataStatus.OK, note="", actor=act(officer))


def walk(office, app, until: str) -> Application:
    """Move a file along the happy path until it reaches ``until``."""
    app.refresh_from_db()
    while app.state != until:
        app = step(office, app)
    if app.assigned_to is not None:  # the new holder has declared, as before any action
        declare_clear(app, app.assigned_to)
    return app


def step(office, app) -> Application:
    state = app.state
    owner = office.applicant if app.channel == "online" else office.counter
    if state == Stage.DRAFT:
        if app.channel == "online":
            upload_mandatory(office, app)
        return application_submit(application=app, actor=act(owner))
    if state == Stage.SUBMITTED:
        return fire(app, "begin_verification", app.assigned_to)
    if state == Stage.VERIFICATION:
        mark_all_ok(app, app.assigned_to)
        return fire(app, "declare_complete", app.assigned_to)
    if state == Stage.RETURNED:
        return fire(app, "resubmit", owner)
    if state == Stage.TECHNICAL_REVIEW:
        return fire(app, "finish_review", app.assigned_to)
    if state == Stage.INSPECTION:
        return fire(app, "finish_inspection", app.assigned_to)
    if state == Stage.AWAITING_PAYMENT:
        return pay(office, app).application
    if state == Stage.APPROVAL:
        return fire(app, "approve", app.assigned_to)
    if state == Stage.SIGNING:
        return fire(app, "sign", app.assigned_to)
    raise AssertionError(f"no step from {state}")


def return_file(office, app):
    check = app.checks.get(requirement__code="STR")
    return application_return(
        application=app,
        actor=act(app.assigned_to),
        findings={check.pk: (CheckStatus.INVALID, "STR sudah habis masa berlakunya.")},
    )


CONFLICT = {
    "nature": "potential",
    "source": "family",
    "related_party": "Siti Rahmawati",
    "description": "Pemohon adalah sepupu istri saya.",
}


# Conflict cases, opened and decided through the integrity services -----------------------


def submitted(office, permit_type=None) -> Application:
    """A submitted file whose counter officer has not declared yet (``walk`` would)."""
    app = new_file(office, permit_type or office.full_type)
    upload_mandatory(office, app)
    return application_submit(application=app, actor=act(office.applicant))


def declared_case(app) -> ConflictCase:
    """The holder of ``app`` declares a conflict: a case opens and the file is held."""
    officer = app.assigned_to
    file_declare(application=app, actor=act(officer), has_conflict=True, **CONFLICT)
    return ConflictCase.objects.get(application=app, officer=officer)


def review(case, by, *, real=True, recommendation="reassign", note="Pemohon sepupu istrinya."):
    return case_review(
        case=case,
        actor=act(by),
        real=real,
        impact="Verifikasi bisa tidak objektif.",
        recommendation=recommendation,
        note=note,
    )


def decide(case, by, *, decision="conflict", measure="reassign", reason="Konflik nyata."):
    return case_decide(case=case, actor=act(by), decision=decision, measure=measure, reason=reason)


def hold(office, app) -> ConflictCase:
    """A supervisor opens a case (no declaration needed) on the holder or, for a file
    nobody holds, on the counter officer."""
    officer = app.assigned_to or office.counter
    opener = office.supervisor2 if officer == office.supervisor else office.supervisor
    return case_open(
        application=app,
        officer=officer,
        actor=act(opener),
        origin=CaseOrigin.SUPERVISOR,
        note="Laporan masyarakat: petugas kerabat pemohon.",
    )


def signable_type(office, code: str):
    """A fee-free type without review or inspection: a file walks straight to signing."""
    permit_type = PermitTypeFactory(
        code=code, opd=office.dinkes, fee=0, needs_technical_review=False, needs_inspection=False
    )
    RequirementFactory(permit_type=permit_type, code="KTP", position=1)
    return permit_type


def at_once(work, count: int) -> tuple[list, list]:
    """Run ``work`` in ``count`` threads released together, each on its own database
    connection (closed after): what each returned, and what any raised."""
    import threading

    from django.db import connection

    start, results, errors = threading.Barrier(count), [], []

    def run():
        try:
            start.wait()
            results.append(work())
        except Exception as exc:  # surfaced to the test, not swallowed
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
