"""Issue 19.5: the permit states what it permits. Its PDF prints the fields marked printed,
laid out by the type's family; the verification page and the public register show only
those marked public (never personal data)."""

from __future__ import annotations

import subprocess

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from issuance.document import permit_html, permit_pdf_unsigned
from permits.details.values import details_clean
from permits.models import Stage
from tests.factories import fire, new_file, walk
from tests.permits.kit import SPEC, good

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limit_carryover():
    cache.clear()


@pytest.fixture
def permit(office, fielded, places):
    app = new_file(office)
    app.details = details_clean(SPEC, good(places), places=places, complete=True).values
    app.save()
    app = walk(office, app, Stage.SIGNING)
    fire(app, "sign", app.assigned_to)
    app.refresh_from_db()
    return app.permit


def test_the_permit_prints_the_printed_fields_under_its_family_s_heading(permit, places):
    html = permit_html(permit)
    assert "untuk kegiatan usaha sebagai berikut:" in html  # the test type is a trade one
    assert "Nama apotek" in html and "Apotek Sehat" in html
    assert "Alamat apotek" in html and "Jl. Merdeka 10, " in html
    assert "Jumlah lantai" not in html  # asked, checked, not printed


def test_the_pdf_carries_them(permit):
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=permit_pdf_unsigned(permit),
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "Nama apotek" in text and "Apotek Sehat" in text
    assert "Jl. Merdeka 10" in text


def test_the_verification_page_shows_the_public_fields_only(permit):
    body = Client().get(reverse("issuance:verify", args=[permit.code])).content.decode()
    assert "Nama apotek" in body and "Apotek Sehat" in body
    assert "Alamat apotek" not in body and "Jl. Merdeka 10" not in body


def test_the_register_lists_the_public_fields_only(permit, django_assert_max_num_queries):
    day = timezone.localdate(permit.issued_at)
    url = reverse("issuance:register_day", args=[day.isoformat()])
    with django_assert_max_num_queries(12):
        body = Client().get(url).content.decode()
    assert "Nama apotek: Apotek Sehat" in body
    assert "Jl. Merdeka 10" not in body and "Siti" not in body
