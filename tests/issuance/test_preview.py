"""The head of office sees the permit as it will be issued before signing it: a PNG of the
permit's page rendered from the same snapshot and template, marked PRATINJAU, served only to
whoever may sign the file now; the file page names the permit in the confirmation."""

from __future__ import annotations

import subprocess
from html import unescape

import pytest
from django.urls import reverse

from issuance.preview import permit_preview_pdf
from permits.models import FileView, Stage
from tests.factories import new_file, walk

pytestmark = pytest.mark.django_db

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
REFUSED = ["counter", "technical", "supervisor", "cashier", "auditor", "admin", "applicant"]


@pytest.fixture
def signing(office):
    app = walk(office, new_file(office, office.simple_type), Stage.SIGNING)
    assert app.assigned_to == office.head
    return app


def preview_url(app) -> str:
    return reverse("issuance:permit_preview", args=[app.public_id])


def pdf_text(pdf: bytes) -> str:
    done = subprocess.run(
        ["/usr/bin/pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return " ".join(done.stdout.decode().split())


def test_the_head_sees_the_permit_as_a_picture_and_the_view_is_recorded(client, office, signing):
    client.force_login(office.head)
    response = client.get(preview_url(signing))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(PNG_MAGIC) and len(response.content) > 20_000
    assert FileView.objects.filter(
        application=signing, viewer=office.head, kind=FileView.Kind.DOCUMENT
    ).exists()


def test_the_preview_holds_the_holder_the_type_and_no_number_yet(office, signing):
    text = pdf_text(permit_preview_pdf(signing, office.head))
    assert "PRATINJAU" in text
    assert signing.applicant_name in text
    assert signing.permit_type.name_id.upper() in text  # the title, in capitals
    assert "(nomor diberikan saat ditandatangani)" in text
    assert office.head.display_name in text  # the signatory as it will stand


@pytest.mark.parametrize("role", REFUSED)
def test_everyone_else_is_refused(client, office, signing, role):
    client.force_login(getattr(office, role))
    assert client.get(preview_url(signing)).status_code == 403
    assert not FileView.objects.filter(kind=FileView.Kind.DOCUMENT).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, signing):
    response = client.get(preview_url(signing))
    assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/")


@pytest.mark.parametrize("stage", [Stage.APPROVAL, Stage.ISSUED])
def test_a_file_not_in_signing_has_no_preview(client, office, stage):
    app = walk(office, new_file(office, office.simple_type), stage)
    client.force_login(office.head)
    assert client.get(preview_url(app)).status_code == 403


def test_the_file_page_shows_the_preview_and_names_the_permit_in_the_confirmation(
    client, office, signing
):
    client.force_login(office.head)
    body = unescape(client.get(reverse("backoffice:file", args=[signing.public_id])).text)
    assert f'src="{preview_url(signing)}"' in body
    question = f"Tandatangani {signing.permit_type.name} untuk {signing.applicant_name}?"
    assert question in body
    assert "Ya, tandatangani izin ini" in body and "Ya, lanjutkan" not in body.split(question)[1]


def test_no_one_else_is_shown_the_preview_on_the_file_page(client, office, signing):
    client.force_login(office.supervisor)
    body = client.get(reverse("backoffice:file", args=[signing.public_id])).text
    assert preview_url(signing) not in body and "Tandatangani" not in body
