"""A sealed row read back from the database hashes to what was sealed in memory when it was
written, on SQLite and on PostgreSQL, whatever it holds (their time, address, UUID, JSON
and file types differ), for every kind of sealed model."""

import datetime
import uuid
import zoneinfo

import pytest

from accounts.models import Role
from permits.models import Document, FileMessage, FileView
from tests.factories import new_file
from trail.content import row_content, row_sha256
from trail.models import Seal
from trail.seals import bound_models

pytestmark = pytest.mark.django_db

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
BODY = "Dokumen — “tanda tangan” ✓ 日本語 🙂\nbaris dua\r\n\ttab \\ \" '"


def same_in_memory_and_read_back(instance) -> None:
    again = type(instance)._base_manager.get(pk=instance.pk)
    assert row_content(instance) == row_content(again)
    latest = Seal.objects.filter(model=instance._meta.label_lower, row_id=instance.pk).last()
    assert latest.content_sha256 == row_sha256(instance) == row_sha256(again)


@pytest.mark.parametrize(
    "at",
    [
        datetime.datetime(2026, 3, 2, 8, 0, 0, 123456, tzinfo=TOKYO),
        datetime.datetime(2026, 3, 2, 23, 59, 59, 999999, tzinfo=datetime.UTC),
    ],
)
@pytest.mark.parametrize("ip", ["2001:0db8:0000:0000:0000:0000:0000:0001", "::ffff:192.0.2.1", ""])
def test_a_staff_view_and_a_message_hash_the_same_read_back(office, at, ip):
    app = new_file(office)
    view = FileView.objects.create(
        application=app,
        viewer=office.counter,
        viewer_role=Role.COUNTER,
        viewed_at=at,
        ip_address=ip or None,
    )
    same_in_memory_and_read_back(view)
    message = FileMessage.objects.create(
        application=app,
        author=office.applicant,
        author_role=Role.APPLICANT,
        body=BODY,
        created_at=at,
    )
    same_in_memory_and_read_back(message)


def test_a_document_version_with_its_file_and_uuid_hashes_the_same_read_back(office):
    app = new_file(office)
    check = app.checks.select_related("requirement").first()
    document = Document.objects.create(
        public_id=str(uuid.uuid4()).upper(),
        application=app,
        requirement=check.requirement,
        version=1,
        file="documents/x/abc",
        original_name=BODY[:50],
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=office.applicant,
        uploaded_at=datetime.datetime(2026, 3, 2, 8, 0, 0, 7, tzinfo=TOKYO),
    )
    same_in_memory_and_read_back(document)
    history = document.history.first()
    same_in_memory_and_read_back(history)


def test_every_sealed_row_of_every_bound_model_hashes_to_its_seal(records):
    """Written by the services (a declaration, a case and its steps, a finding and its
    follow-ups, a complaint and its entries, field history…), then read back."""
    for model in bound_models():
        for row in model._base_manager.all():
            latest = Seal.objects.filter(model=model._meta.label_lower, row_id=row.pk).last()
            assert latest.content_sha256 == row_sha256(row, latest.fields.split()), (
                model._meta.label,
                row.pk,
            )
