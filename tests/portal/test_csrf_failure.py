"""A form sent without its CSRF token gets the site's own 403 page, which says plainly that
the form has expired, that nothing typed was kept, and to reload and send again; reloading
works."""

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client

from accounts.models import User
from public.models import Complaint
from tests.conftest import SignedInClient

pytestmark = pytest.mark.django_db

EXPIRED = "Formulir kedaluwarsa"
NOTHING_KEPT = "Isian Anda tidak diterima dan tidak tersimpan di server."
RELOAD = "muat ulang, lalu isi dan kirim sekali lagi"
PREFERENCES = {"language": "en", "contact_channel": ""}  # English, the automatic channel


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def strict_browser(user=None) -> SignedInClient:
    browser = SignedInClient(enforce_csrf_checks=True)
    if user is not None:
        browser.force_login(user)
    return browser


def complaint(**fields) -> dict:
    return {
        "subject": "service",
        "category": "delay",
        "description": "Berkas saya sudah dua minggu tidak ada kabarnya sama sekali.",
        "anonymous": "on",
        **fields,
    }


def assert_expired_page(response) -> str:
    page = response.content.decode()
    assert response.status_code == 403
    assert EXPIRED in page and NOTHING_KEPT in page and RELOAD in page
    assert "cookie" in page
    assert 'class="site-header"' in page and "Ke katalog layanan" in page
    assert "CSRF" not in page.replace("X-CSRFToken", "")  # not Django's default page
    return page


def test_an_anonymous_complaint_without_its_token_gets_the_expired_form_page():
    response = strict_browser().post("/pengaduan/baru/", complaint())
    page = assert_expired_page(response)
    assert "Masuk" in page  # the header as an anonymous visitor sees it
    assert not Complaint.objects.exists()


def test_an_anonymous_sign_in_without_its_token_gets_the_expired_form_page(office):
    response = strict_browser().post(
        "/akun/masuk/", {"username": office.applicant.username, "password": "x"}
    )
    assert_expired_page(response)


def test_a_signed_in_applicants_form_without_its_token_gets_the_expired_form_page(office):
    response = strict_browser(office.applicant).post("/akun/profil/", PREFERENCES)
    page = assert_expired_page(response)
    assert "Berkas saya" in page and office.applicant.display_name in page
    assert User.objects.get(pk=office.applicant.pk).language != "en"


def test_a_signed_in_officers_form_without_its_token_gets_the_expired_form_page(office):
    response = strict_browser(office.counter).post("/akun/keluar/")
    page = assert_expired_page(response)
    assert "Kantor" in page  # still signed in: the logout was refused too


def test_the_page_speaks_english_when_chosen():
    browser = strict_browser()
    browser.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    response = browser.post("/pengaduan/baru/", complaint())
    page = response.content.decode()
    assert response.status_code == 403
    assert "The form has expired" in page and "is not saved on the server" in page
    assert EXPIRED not in page


def test_reloading_the_form_then_sending_it_again_goes_through(office):
    browser = strict_browser(office.applicant)
    refused = browser.post("/akun/profil/", PREFERENCES)
    assert refused.status_code == 403
    form = browser.get("/akun/profil/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    sent = browser.post(
        "/akun/profil/",
        {**PREFERENCES, "csrfmiddlewaretoken": token},
    )
    assert sent.status_code == 302
    assert User.objects.get(pk=office.applicant.pk).language == "en"


def test_the_default_client_is_not_what_keeps_the_page_off():
    """Without enforcement (the rest of the suite) the same post is not refused."""
    assert Client().post("/pengaduan/baru/", complaint()).status_code != 403
