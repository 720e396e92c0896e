"""A bulk loader (bench/seed.py writes with COPY, behind the ORM) seals what it writes with
``seal_bulk_fill``: the digest it computes from the values it is about to write is the one
``verify_audit_trail`` computes from the row read back, the seals continue the chain, and a
row written other than as sealed is named."""

from __future__ import annotations

import datetime
import uuid
import zoneinfo

import pytest
from django.db import transaction

from permits.models import Document
from tests.factories import new_file
from tests.trail.kit import verify
from trail.content import row_sha256, values_sha256
from trail.models import Seal, SealAction
from trail.seals import seal_bulk_fill

pytestmark = pytest.mark.django_db

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
NAME = "akta — “pendirian” ✓\tv2\\final\n.pdf"


def document_values(app, check, version: int) -> dict:
    """A document version as a loader holds it: plain values, an id it reserved."""
    return {
        "id": 900_000 + version,
        "public_id": uuid.uuid4(),
        "application_id": app.pk,
        "requirement_id": check.requirement_id,
        "version": version,
        "file": f"documents/bench/{uuid.uuid4().hex}",
        "original_name": NAME,
        "content_type": "application/pdf",
        "size": 123_456,
        "sha256": "ab" * 32,
        "uploaded_by_id": app.applicant_id,
        "uploaded_at": datetime.datetime(2026, 3, 2, 8, 0, 0, 7, tzinfo=TOKYO),
    }


def bulk_load(rows: list[dict]) -> list[dict]:
    with transaction.atomic():
        Document.objects.bulk_create([Document(**row) for row in rows])  # no signal: unsealed
        seals = seal_bulk_fill(Document, rows)
        Seal.objects.bulk_create([Seal(**seal) for seal in seals])
    return seals


def test_the_digest_of_the_values_is_the_digest_of_the_row_read_back(office):
    app = new_file(office)
    values = document_values(app, app.checks.first(), 1)
    Document.objects.bulk_create([Document(**values)])
    assert values_sha256(Document, values) == row_sha256(Document.objects.get(pk=values["id"]))


def test_bulk_sealed_rows_continue_the_chain_and_verify(office):
    app = new_file(office)
    check = app.checks.first()
    last = Seal.objects.order_by("seq").last()
    seals = bulk_load([document_values(app, check, n) for n in (1, 2, 3)])
    assert [s["seq"] for s in seals] == [last.seq + 1, last.seq + 2, last.seq + 3]
    assert seals[0]["prev_hash"] == last.hash
    assert {s["action"] for s in seals} == {SealAction.CREATE}
    # The services seal after them, on the same chain.
    app.refresh_from_db()
    app.applicant_address = "Jl. Kenanga 2"
    app.save()
    code, output = verify()
    assert code == 0, output


def test_a_row_written_other_than_as_sealed_is_named(office):
    app = new_file(office)
    row = document_values(app, app.checks.first(), 1)
    with transaction.atomic():
        Document.objects.bulk_create([Document(**dict(row, size=999))])  # not what is sealed
        Seal.objects.bulk_create([Seal(**seal) for seal in seal_bulk_fill(Document, [row])])
    code, output = verify()
    assert code == 1
    assert f"permits_document row {row['id']} (permits.document) does not match" in output


@pytest.mark.django_db(transaction=True)
def test_bulk_sealing_outside_a_transaction_is_refused(office):
    app = new_file(office)
    with pytest.raises(RuntimeError, match="transaction"):
        seal_bulk_fill(Document, [document_values(app, app.checks.first(), 1)])
