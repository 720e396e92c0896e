"""A small office with one person per role and two permit types, and helpers to walk files."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role
from bench.documents import page_pdf  # noqa: F401 (a real one-page PDF, for the tests)
from issuance.models import Bill, PaymentChannel
from permits.models import Application, CheckStatus, Stage
from permits.services.applications import (
    application_create,
    application_return,
    application_submit,
    transition_fire,
)
from permits.services.checks import check_update
from permits.services.context import Actor
from permits.services.documents import document_upload
from tests.factories import OPDFactory, PermitTypeFactory, RequirementFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def pdf(name="dokumen.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def office(db, make_user):
    dpmptsp = OPDFactory(code="DPMPTSP", name_id="DPMPTSP")
    dinkes = OPDFactory(code="DINKES", name_id="Dinas Kesehatan")
    o = SimpleNamespace(dpmptsp=dpmptsp, dinkes=dinkes)
    o.head = make_user(Role.HEAD, username="kadis", unit=dpmptsp)
    o.head2 = make_user(Role.HEAD, username="plt.kadis", unit=dpmptsp)
    o.supervisor = make_user(Role.SUPERVISOR, username="atasan", unit=dpmptsp, supervisor=o.head)
    o.supervisor2 = make_user(Role.SUPERVISOR, username="atasan2", unit=dpmptsp, supervisor=o.head)
    o.counter = make_user(Role.COUNTER, username="loket", unit=dpmptsp, supervisor=o.supervisor)
    o.counter2 = make_user(Role.COUNTER, username="loket2", unit=dpmptsp, supervisor=o.supervisor)
    o.cashier = make_user(Role.CASHIER, username="kasir", unit=dpmptsp)
    o.technical = make_user(Role.TECHNICAL, username="teknis", unit=dinkes)
    o.technical2 = make_user(Role.TECHNICAL, username="teknis2", unit=dinkes)
    o.auditor = make_user(Role.AUDITOR, username="auditor")
    o.admin = make_user(Role.ADMIN, username="admin", unit=dpmptsp)
    # Applicants who verified their contact (online submission needs it).
    verified = {"email_verified_at": timezone.now()}
    o.applicant = make_user(Role.APPLICANT, username="siti", **verified)
    o.other_applicant = make_user(Role.APPLICANT, username="budi", **verified)
    # Every optional stage on: technical review, inspection and a fee.
    o.full_type = PermitTypeFactory(
        code="KES-APOTEK",
        opd=dinkes,
        sop_duration=5,
        fee=150_000,
        needs_technical_review=True,
        needs_inspection=True,
    )
    # No optional stage: verification, then approval.
    o.simple_type = PermitTypeFactory(
        code="KES-SIP",
        opd=dinkes,
        sop_duration=3,
        fee=0,
        needs_technical_review=False,
        needs_inspection=False,
    )
    for permit_type in (o.full_type, o.simple_type):
        RequirementFactory(permit_type=permit_type, code="KTP", position=1)
        RequirementFactory(permit_type=permit_type, code="STR", position=2)
        RequirementFactory(
            permit_type=permit_type,
            code="FOTO",
            position=3,
            mandatory=False,
            formats=["jpg", "png"],
        )
    return o


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
    from integrity.services.declarations import declaration_needed, file_declare

    if declaration_needed(app, user):
        file_declare(application=app, actor=act(user), has_conflict=False)


def fire(app, name, user, **kwargs):
    declare_clear(app, user)
    return transition_fire(application=app, name=name, actor=act(user), **kwargs)


def pay(office, app, *, reference=None, by="cashier"):
    """The cashier (or ``by``; None: the bank's callback) records the bill's payment, which
    fires confirm_payment."""
    from issuance.billing import payment_record

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
