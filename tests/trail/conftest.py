"""The fixtures of tests/trail/ (its helpers: ``tests.trail.kit``)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from integrity.inspection.services.findings import finding_assess, finding_open, finding_report
from permits.models import Stage
from permits.services.file_messages import file_message_post
from permits.services.views_log import file_view_record
from public.models import ComplaintCategory, ComplaintSubject
from public.services.complaints import complaint_note, complaint_submit
from tests.factories import PNG, act, decide, declared_case, new_file, review, submitted, walk


@pytest.fixture
def files(office):
    """Three files moved along by the real services: a few dozen chained events."""
    return [
        walk(office, new_file(office, office.simple_type), Stage.SIGNING),
        walk(office, new_file(office), Stage.TECHNICAL_REVIEW),
        walk(office, new_file(office, office.simple_type, online=False), Stage.VERIFICATION),
    ]


@pytest.fixture
def records(office):
    """One of each sealed record, written by the real services."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    app = walk(office, new_file(office), Stage.TECHNICAL_REVIEW)
    file_message_post(application=app, actor=act(office.applicant), body="Kapan selesai?")
    file_view_record(application=app, actor=act(office.counter))
    case = declared_case(submitted(office))
    decide(review(case, office.supervisor), office.head)
    finding = finding_open(
        actor=act(office.auditor),
        responsible=office.counter,
        title="Pungutan di loket",
        condition="Pemohon membayar di luar retribusi.",
        recommendation="Kembalikan pungutan.",
        due_date=timezone.localdate() + datetime.timedelta(days=14),
        application=app,
    )
    finding_report(finding=finding, actor=act(office.counter), note="Sudah dikembalikan.")
    finding_assess(finding=finding, actor=act(office.auditor), accepted=True, note="Diterima.")
    complaint, _code = complaint_submit(
        subject=ComplaintSubject.SERVICE,
        category=ComplaintCategory.DELAY,
        description="Berkas saya tidak selesai sesuai janji SOP layanan.",
        contact_name="Rahasia Pelapor",
        contact_email="pelapor.rahasia@example.com",
        evidence=[SimpleUploadedFile("bukti.png", PNG, content_type="image/png")],
    )
    complaint_note(complaint=complaint, by=office.supervisor, body="Sedang dicek.")
    from integrity.conflicts.services.suspicions import suspicion_report
    from integrity.inspection.flags.engine import flag_raise
    from integrity.inspection.services.findings import flag_dismiss

    suspicion_report(
        application=app,
        actor=act(office.cashier),
        route="inspectorate",
        description="Pemohon menitipkan amplop.",
    )
    flag = flag_raise(rule="COMPLAINT", key="seal-1", application=app, detail={"summary": "x"})
    flag_dismiss(flag=flag, actor=act(office.auditor), reason="Bukan pungutan.")
    flag_raise(rule="COMPLAINT", key="seal-2", application=app, detail={"summary": "y"})
    return app
