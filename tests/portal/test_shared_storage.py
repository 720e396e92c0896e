"""Shared storage (issue 20.2), against a real S3-protocol server on localhost (moto's
server mode, a separate process spoken to over HTTP by boto3, as MinIO would be): uploads,
permits and their previews live in the bucket, are read back only through the
permission-checked views and only while their SHA-256 holds; ``storage_move`` copies a
disk's files to the bucket and checks every one."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from issuance.models import Permit
from permits.models import Document, Stage
from portal.stored_files import STORED_FILES
from tests.conftest import bucket_for
from tests.factories import fire, new_file, pdf, signable_type, walk

pytestmark = pytest.mark.django_db


REAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def upload(client, office, app, content=REAL_PDF):
    client.force_login(office.counter)
    requirement = app.checks.first().requirement
    response = client.post(
        reverse("backoffice:upload", args=[app.public_id]),
        {"requirement": requirement.pk, "file": pdf("scan.pdf", content)},
    )
    assert response.status_code in {200, 302}
    return Document.objects.filter(application=app).latest("id")


def test_an_upload_lands_in_the_bucket_and_not_on_the_disk(client, office, bucket, settings):
    app = new_file(office, online=False)
    document = upload(client, office, app)
    assert bucket.body(document.file.name) == REAL_PDF
    assert hashlib.sha256(REAL_PDF).hexdigest() == document.sha256
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_document_is_read_back_through_the_checked_view_only(client, office, bucket):
    app = new_file(office, online=False)
    document = upload(client, office, app)
    response = client.get(reverse("backoffice:document", args=[document.public_id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == REAL_PDF
    assert response["Cache-Control"] == "private, no-store"
    preview = client.get(reverse("backoffice:preview", args=[document.public_id]))
    assert preview.status_code == 200 and preview["Content-Type"] == "image/png"
    keys = {o["Key"] for o in bucket.client.list_objects_v2(Bucket=bucket.name)["Contents"]}
    assert f"previews/{document.public_id}.png" in keys
    # Private: the object grants nobody but its owner.
    grants = bucket.client.get_object_acl(Bucket=bucket.name, Key=document.file.name)["Grants"]
    assert [g["Grantee"].get("URI") for g in grants] == [None]
    client.logout()
    assert client.get(reverse("backoffice:document", args=[document.public_id])).status_code in {
        302,
        403,
    }


def test_a_document_changed_in_the_bucket_is_refused(client, office, bucket, caplog):
    app = new_file(office, online=False)
    document = upload(client, office, app)
    bucket.client.put_object(Bucket=bucket.name, Key=document.file.name, Body=b"%PDF-1.4 forged")
    response = client.get(reverse("backoffice:document", args=[document.public_id]))
    assert response.status_code == 500
    assert "sidik SHA-256 berbeda" in response.content.decode()
    assert "forged" not in response.content.decode()
    assert any("Stored file altered" in r.getMessage() for r in caplog.records)
    preview = client.get(reverse("backoffice:preview", args=[document.public_id]))
    assert preview.status_code == 302  # no picture of altered content, the generic icon


def test_a_permit_is_rendered_into_the_bucket_and_served_from_it(
    client, office, bucket, signing_ca, django_capture_on_commit_callbacks
):
    app = walk(office, new_file(office, signable_type(office, "KES-SIP-S3")), Stage.SIGNING)
    with django_capture_on_commit_callbacks(execute=True):  # the render task, in process
        fire(app, "sign", app.assigned_to)
    permit = Permit.objects.get(application=app)
    stored = bucket.body(permit.pdf.name)
    assert hashlib.sha256(stored).hexdigest() == permit.pdf_sha256
    response = client.get(reverse("issuance:tracking_permit", args=[app.tracking_code]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored


# --- storage_move ------------------------------------------------------------------------


def test_storage_move_copies_every_file_and_checks_it(client, office, settings, s3_server):
    # Files stored on the disk first (the embedded default) ...
    apps_on_disk = [new_file(office, online=False) for _ in range(3)]
    documents = [
        upload(client, office, app, REAL_PDF + str(i).encode())
        for i, app in enumerate(apps_on_disk)
    ]
    media = Path(settings.MEDIA_ROOT)
    for document in documents:
        assert (media / document.file.name).is_file()
    # ... then the deployment switches to the bucket.
    store = bucket_for(s3_server, settings)
    out, err = io.StringIO(), io.StringIO()
    call_command("storage_move", stdout=out, stderr=err)
    assert "moved 3, already in the bucket 0, problems 0" in out.getvalue()
    for document in documents:
        assert hashlib.sha256(store.body(document.file.name)).hexdigest() == document.sha256
        assert (media / document.file.name).is_file()  # the disk's copy is kept
    again = io.StringIO()
    call_command("storage_move", stdout=again)
    assert "moved 0, already in the bucket 3, problems 0" in again.getvalue()
    # And the views now read them from the bucket.
    client.force_login(office.counter)
    response = client.get(reverse("backoffice:document", args=[documents[1].public_id]))
    assert b"".join(response.streaming_content) == REAL_PDF + b"1"


def test_storage_move_names_an_altered_or_missing_file_and_moves_neither(
    client, office, settings, s3_server
):
    apps_on_disk = [new_file(office, online=False) for _ in range(3)]
    documents = [
        upload(client, office, app, REAL_PDF + str(i).encode())
        for i, app in enumerate(apps_on_disk)
    ]
    media = Path(settings.MEDIA_ROOT)
    (media / documents[0].file.name).write_bytes(b"%PDF-1.4 changed on the disk")
    (media / documents[1].file.name).unlink()
    store = bucket_for(s3_server, settings)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_status:
        call_command("storage_move", stdout=out, stderr=err)
    assert exit_status.value.code == 1
    assert "moved 1, already in the bucket 0, problems 2" in out.getvalue()
    assert f"{documents[0].file.name}): altered on the disk" in err.getvalue()
    assert f"{documents[1].file.name}): missing from the disk" in err.getvalue()
    keys = {o["Key"] for o in store.client.list_objects_v2(Bucket=store.name).get("Contents", [])}
    assert keys == {documents[2].file.name}


def test_storage_move_refuses_to_run_onto_the_disk():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="STORAGE_BUCKET"):
        call_command("storage_move")


def test_every_stored_file_has_a_digest_and_is_listed_for_the_move():
    listed = {(entry.model, entry.field) for entry in STORED_FILES}
    found = set()
    for model in apps.get_models():
        if model.__module__.startswith(("django.", "django_celery_beat")):
            continue
        if model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                found.add((model._meta.label, field.name))
    assert found == listed
    for entry in STORED_FILES:
        entry.model_class._meta.get_field(entry.sha256)  # the digest's field exists


def test_verify_stored_files_reads_the_bucket_back(client, office, bucket):
    documents = [upload(client, office, new_file(office, online=False)) for _ in range(2)]
    out = io.StringIO()
    call_command("verify_stored_files", stdout=out)
    assert "checked 2 stored files, problems 0" in out.getvalue()
    bucket.client.put_object(Bucket=bucket.name, Key=documents[0].file.name, Body=b"other")
    bucket.client.delete_object(Bucket=bucket.name, Key=documents[1].file.name)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit):
        call_command("verify_stored_files", stdout=out, stderr=err)
    assert "problems 2" in out.getvalue()
    assert f"({documents[0].file.name}): altered" in err.getvalue()
    assert f"({documents[1].file.name}): missing" in err.getvalue()


# --- the bucket unreachable: the person is told, nothing half-saved --------------------------


@pytest.fixture
def bucket_down(settings):
    """The default storage at a bucket where nothing listens (a real refused connection)."""
    from portal.settings import bucket_storage

    settings.STORAGES = {
        **settings.STORAGES,
        "default": bucket_storage(
            "terang-down", endpoint_url="http://127.0.0.1:9", access_key="k", secret_key="s"
        ),
    }


def test_an_upload_while_the_bucket_is_down_says_so_and_keeps_nothing_half_done(
    client, office, bucket_down, caplog
):
    app = new_file(office, online=False)
    client.force_login(office.counter)
    requirement = app.checks.first().requirement
    response = client.post(
        reverse("backoffice:upload", args=[app.public_id]),
        {"requirement": requirement.pk, "file": pdf("scan.pdf", REAL_PDF)},
    )
    assert response.status_code == 400
    assert "Penyimpanan berkas sedang tidak dapat dijangkau" in response.content.decode()
    assert not Document.objects.filter(application=app).exists()
    assert not app.events.filter(action="document.uploaded").exists()
    assert "File storage unreachable" in caplog.text


def test_a_complaint_whose_evidence_cannot_be_stored_is_refused_whole(office, bucket_down):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from public.models import Complaint
    from public.services.complaints import ComplaintRefused, complaint_submit

    with pytest.raises(ComplaintRefused, match="Penyimpanan berkas sedang tidak dapat"):
        complaint_submit(
            subject="service",
            category="delay",
            description="Berkas saya sudah lewat SOP tiga hari tanpa kabar dari petugas.",
            contact_name="Pelapor",
            contact_email="pelapor@example.com",
            evidence=[SimpleUploadedFile("bukti.pdf", REAL_PDF, content_type="application/pdf")],
        )
    assert not Complaint.objects.exists()
