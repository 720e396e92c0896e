"""The public service standard (standar pelayanan) of each permit type."""

import datetime
import re

import pytest
from django.test import Client

from permits.models import PermitType

pytestmark = pytest.mark.django_db


def test_every_catalogue_entry_links_to_its_service_standard(client, catalogue):
    body = client.get("/").content.decode()
    for code in PermitType.objects.filter(active=True).values_list("code", flat=True):
        assert f'href="/layanan/{code}/"' in body


def test_the_page_shows_requirements_time_fee_basis_unit_and_how_to_complain(client, office):
    permit = office.full_type
    body = client.get(f"/layanan/{permit.code}/").content.decode()
    assert permit.name_id in body and permit.opd.name_id in body
    assert "5 hari kerja" in body
    assert "Rp150.000" in body and "tidak ada pungutan lain" in body
    assert permit.legal_basis in body
    for requirement in permit.requirements.all():
        assert requirement.name_id in body
    assert "bila ada" in body  # the optional photo
    assert "paling besar 2 MB" in body
    assert "Kajian teknis" in body and "Peninjauan lapangan" in body
    assert "Pembayaran retribusi" in body
    assert "www.lapor.go.id" in body and "Inspektorat Daerah" in body
    assert "Senin: 08.00–15.30" in body and "Jumat: 08.00–15.00" in body


def test_a_type_without_optional_stages_does_not_show_them(client, office):
    body = client.get(f"/layanan/{office.simple_type.code}/").content.decode()
    assert "Kajian teknis" not in body and "Peninjauan lapangan" not in body
    assert "Pembayaran retribusi" not in body
    assert "Gratis" in body


def test_an_unknown_or_inactive_type_is_not_found(client, office):
    assert client.get("/layanan/TIDAK-ADA/").status_code == 404
    office.simple_type.active = False
    office.simple_type.save()
    assert client.get(f"/layanan/{office.simple_type.code}/").status_code == 404


def test_the_page_speaks_english_when_chosen(client, office):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(f"/layanan/{office.full_type.code}/").content.decode()
    assert office.full_type.name_en in body
    assert "Procedure" in body and "Complaints" in body


def test_the_page_runs_a_fixed_number_of_queries(client, catalogue, django_assert_max_num_queries):
    biggest = max(PermitType.objects.all(), key=lambda t: t.requirements.count())
    with django_assert_max_num_queries(4):
        response = client.get(f"/layanan/{biggest.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert biggest.name_id in page
    assert all(r.name_id in page for r in biggest.requirements.filter(active=True))


# --- The kept render (issue 20.6) ------------------------------------------------------


def test_a_type_withdrawn_after_its_page_was_served_is_not_found(client, office):
    assert client.get(f"/layanan/{office.simple_type.code}/").status_code == 200
    office.simple_type.active = False
    office.simple_type.save()
    assert client.get(f"/layanan/{office.simple_type.code}/").status_code == 404


def test_edits_to_the_type_its_requirements_and_the_counters_hours_show_at_once(client, office):
    from worktime.models import ServiceHours

    url = f"/layanan/{office.full_type.code}/"
    assert "Senin: 08.00–15.30" in client.get(url).content.decode()
    requirement = office.full_type.requirements.filter(active=True).first()
    requirement.name_id = "Surat keterangan domisili usaha (baru)"
    requirement.save()
    office.full_type.fee = 175_000
    office.full_type.save()
    body = client.get(url).content.decode()
    assert "Surat keterangan domisili usaha (baru)" in body
    assert "Rp175.000" in body
    monday = ServiceHours.objects.get(weekday=0)  # the calendar's, not the catalogue's
    monday.closes = datetime.time(16)
    monday.save()
    assert "Senin: 08.00–16.00" in client.get(url).content.decode()


def test_each_language_gets_its_own_kept_render(client, office):
    from django.conf import settings

    url = f"/layanan/{office.full_type.code}/"
    assert "Prosedur" in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    assert "Procedure" in english and "Prosedur" not in english


def test_each_visitor_applies_with_their_own_csrf_token(office):
    url = f"/layanan/{office.full_type.code}/"
    start = f"/saya/ajukan/{office.full_type.code}/"
    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        body = visitor.get(url).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        assert not re.search(r"slot-[0-9a-f]{32}", body)  # no slot left unfilled
        tokens.append(token)
        # The token the page gave is accepted (a visitor not signed in is sent to sign in).
        accepted = visitor.post(start, {"csrfmiddlewaretoken": token})
        assert accepted.status_code == 302
    assert tokens[0] != tokens[1]
    stranger = Client(enforce_csrf_checks=True)
    assert stranger.post(start, {"csrfmiddlewaretoken": tokens[0]}).status_code == 403


def test_a_requirement_the_catalogue_loader_adds_shows_at_once(client, catalogue):
    from django.conf import settings

    from permits.catalogue.loader import catalogue_load, read_catalogue

    data = read_catalogue(settings.CATALOGUE_FILE)
    first = data["permit_types"][0]
    url = f"/layanan/{first['code']}/"
    assert "Surat pernyataan tidak sedang berperkara" not in client.get(url).content.decode()
    first["requirements"].append(
        {"code": "TAMBAHAN", "name_id": "Surat pernyataan tidak sedang berperkara",
         "name_en": "Statement of no pending case", "mandatory": True, "formats": ["pdf"]}
    )  # fmt: skip
    report = catalogue_load(data=data)  # inserted by bulk_create: no signal
    assert report.changed
    assert "Surat pernyataan tidak sedang berperkara" in client.get(url).content.decode()
