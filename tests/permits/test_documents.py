import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from permits.models import Document, Stage
from permits.services.context import ActionRefused
from permits.services.documents import document_upload
from tests.factories import JPEG, PDF, PNG, act, new_file, pdf, walk

pytestmark = pytest.mark.django_db


def requirement(app, code):
    return app.checks.get(requirement__code=code).requirement


def upload(app, code, file, user):
    return document_upload(
        application=app, requirement=requirement(app, code), uploaded=file, actor=act(user)
    )


def test_an_upload_is_stored_outside_static_with_its_sha256(office, settings):
    app = new_file(office)
    document = upload(app, "KTP", pdf("ktp.pdf"), office.applicant)
    assert document.version == 1
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert document.content_type == "application/pdf"
    path = document.file.path
    assert path.startswith(str(settings.MEDIA_ROOT))
    assert "static" not in path and "ktp" not in path  # a random name
    with open(path, "rb") as stored:
        assert stored.read() == PDF
    assert app.events.filter(action="document.uploaded").count() == 1


def test_every_version_is_kept(office):
    app = new_file(office)
    first = upload(app, "KTP", pdf(), office.applicant)
    second = upload(app, "KTP", pdf(content=PDF + b"% v2\n"), office.applicant)
    assert (first.version, second.version) == (1, 2)
    assert Document.objects.filter(application=app).count() == 2
    assert first.file.name != second.file.name
    with open(first.file.path, "rb") as stored:
        assert stored.read() == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100, "bukan PDF, JPEG atau PNG"),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n", "bukan PDF, JPEG atau PNG"),
        ("kosong.pdf", b"", "Berkas kosong"),
    ],
)
def test_bad_content_is_refused_with_a_clear_message(office, name, content, message):
    app = new_file(office)
    with pytest.raises(ActionRefused, match=message):
        upload(app, "KTP", SimpleUploadedFile(name, content), office.applicant)
    assert not Document.objects.exists()


def test_a_file_over_the_requirements_limit_is_refused(office):
    app = new_file(office)
    limit = requirement(app, "KTP").max_size_kb
    big = SimpleUploadedFile("besar.pdf", PDF + b"0" * (limit * 1024))
    with pytest.raises(ActionRefused, match="terlalu besar"):
        upload(app, "KTP", big, office.applicant)


def test_a_format_the_requirement_does_not_accept_is_refused(office):
    app = new_file(office)  # FOTO accepts JPEG and PNG only
    with pytest.raises(ActionRefused, match="JPG, PNG"):
        upload(app, "FOTO", pdf(), office.applicant)
    assert upload(app, "FOTO", SimpleUploadedFile("foto.png", PNG), office.applicant).version == 1
    assert upload(app, "FOTO", SimpleUploadedFile("foto.jpg", JPEG), office.applicant).version == 2


def test_a_png_named_pdf_is_judged_by_its_content(office):
    app = new_file(office)
    document = upload(app, "FOTO", SimpleUploadedFile("foto.pdf", PNG), office.applicant)
    assert document.content_type == "image/png"


def test_only_the_owner_uploads_and_only_while_the_file_is_theirs(office):
    app = new_file(office)
    with pytest.raises(PermissionDenied):
        upload(app, "KTP", pdf(), office.other_applicant)
    with pytest.raises(PermissionDenied):
        upload(app, "KTP", pdf(), office.technical)
    app = walk(office, app, Stage.TECHNICAL_REVIEW)
    with pytest.raises(PermissionDenied):
        upload(app, "KTP", pdf(), office.applicant)


def test_a_requirement_of_another_type_is_refused(office):
    app = new_file(office, office.full_type)
    other = office.simple_type.requirements.first()
    with pytest.raises(PermissionDenied):
        document_upload(
            application=app, requirement=other, uploaded=pdf(), actor=act(office.applicant)
        )


def test_counter_staff_upload_scans_for_walk_in_files(office):
    app = new_file(office, online=False)
    assert upload(app, "KTP", pdf(), office.counter2).uploaded_by == office.counter2
