"""Error pages in the site's design, in Indonesian (English when chosen); HEAD like GET."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_an_unknown_address_answers_with_the_sites_own_404(client):
    response = client.get("/tidak-ada/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in page
    assert 'class="site-header"' in page and "Lacak berkas" in page
    assert "Not Found" not in page  # not Django's default


def test_the_404_page_speaks_english_when_chosen(client):
    page = english(client).get("/tidak-ada/").content.decode()
    assert "Page not found" in page and "Halaman tidak ditemukan" not in page


def test_a_refused_page_answers_with_the_sites_own_403(client, office):
    client.force_login(office.applicant)
    response = client.get("/kantor/audit/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Akses ditolak" in page and 'class="site-header"' in page


def test_a_bad_request_answers_with_the_sites_own_400(client):
    response = client.get("/", headers={"host": "penyerang.example"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Permintaan tidak dapat diproses" in page and 'class="site-header"' in page


@pytest.mark.urls("tests.portal.error_urls")
def test_a_fault_answers_with_a_standalone_500_page_in_both_languages():
    client = Client()
    client.raise_request_exception = False
    response = client.get("/rusak/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Terjadi gangguan di sistem kami" in page
    assert "Something went wrong on our side" in page
    assert 'class="site-header"' in page and "/static/css/terang.css" in page
    assert "Server Error (500)" not in page


@pytest.mark.parametrize("path", ["/", "/lacak/", "/transparansi/", "/daftar-izin/", "/healthz"])
def test_head_answers_like_get(client, path):
    head, get = client.head(path), client.get(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head["Content-Type"] == get["Content-Type"]
