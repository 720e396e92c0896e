"""The catalogue for partners (issue 21.3): the types, requirements, SOP and fees the
service pages show, with an ETag that holds until the catalogue changes; and the OpenAPI
document and its docs page, served from the project (21.1)."""

from __future__ import annotations

import re

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext

from permits.models import PermitType, Requirement

pytestmark = pytest.mark.django_db

CATALOGUE = "/api/v1/catalogue/"


def test_the_catalogue_lists_every_active_type_as_its_service_page_does(client, bearer, catalogue):
    _partner, token = bearer()
    answer = client.get(CATALOGUE, HTTP_AUTHORIZATION=token)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/json"
    types = {t["code"]: t for t in answer.json()["types"]}
    active = PermitType.objects.filter(active=True, opd__active=True)
    assert set(types) == set(active.values_list("code", flat=True)) and len(types) == 81
    some = active.order_by("code").first()
    listed = types[some.code]
    assert (listed["name_id"], listed["sop_duration"], listed["sop_unit"], listed["fee"]) == (
        some.name_id,
        some.sop_duration,
        some.sop_unit,
        some.fee,
    )
    assert listed["office"]["code"] == some.opd.code
    expected = list(
        Requirement.objects.filter(permit_type=some, active=True)
        .order_by("position", "pk")
        .values_list("code", "mandatory")
    )
    assert [(r["code"], r["mandatory"]) for r in listed["requirements"]] == expected
    page = client.get(f"/layanan/{some.code}/").content.decode()
    assert some.name_id in page  # the same type the public page shows


def test_one_type_and_an_unknown_or_inactive_one(client, bearer, catalogue):
    _partner, token = bearer()
    some = PermitType.objects.filter(active=True).order_by("code").first()
    one = client.get(f"{CATALOGUE}{some.code}/", HTTP_AUTHORIZATION=token)
    assert one.status_code == 200 and one.json()["code"] == some.code
    PermitType.objects.filter(pk=some.pk).update(active=False)
    from permits.selectors.catalogue import catalogue_choices_invalidate

    catalogue_choices_invalidate()
    gone = client.get(f"{CATALOGUE}{some.code}/", HTTP_AUTHORIZATION=token)
    assert gone.status_code == 404 and gone["Content-Type"] == "application/problem+json"


def test_an_unchanged_catalogue_answers_304_to_its_etag_and_a_change_moves_it(
    client, bearer, catalogue
):
    _partner, token = bearer()
    first = client.get(CATALOGUE, HTTP_AUTHORIZATION=token)
    etag = first["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{64}"', etag)
    again = client.get(CATALOGUE, HTTP_AUTHORIZATION=token, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    other = client.get(CATALOGUE, HTTP_AUTHORIZATION=token, HTTP_IF_NONE_MATCH='"stale"')
    assert other.status_code == 200
    some = PermitType.objects.filter(active=True).order_by("code").first()
    some.fee += 1000
    some.save()  # through the ORM: the catalogue's version moves
    changed = client.get(CATALOGUE, HTTP_AUTHORIZATION=token, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    listed = {t["code"]: t for t in changed.json()["types"]}
    assert listed[some.code]["fee"] == some.fee


def test_the_catalogue_costs_the_same_queries_whatever_its_size(client, bearer, catalogue):
    _partner, token = bearer()
    client.get(CATALOGUE, HTTP_AUTHORIZATION=token)  # warm: the body is kept per version
    with CaptureQueriesContext(connection) as warm:
        client.get(CATALOGUE, HTTP_AUTHORIZATION=token)
    from permits.selectors.catalogue import catalogue_choices_invalidate

    catalogue_choices_invalidate()
    with CaptureQueriesContext(connection) as cold:
        client.get(CATALOGUE, HTTP_AUTHORIZATION=token)
    # The token with its partner and the call's record; with tasks in process, the
    # catch-up that seals the call (9, in a savepoint); cold adds types and requirements.
    assert len(warm) <= 11
    assert len(cold) - len(warm) == 2


def test_the_openapi_document_names_each_operations_scope_and_problems(client):
    answer = client.get("/api/v1/schema/")
    assert answer.status_code == 200
    schema = yaml.safe_load(answer.content)
    assert schema["openapi"].startswith("3.")
    operation = schema["paths"]["/api/v1/catalogue/"]["get"]
    assert operation["security"] == [{"oauth2": ["catalogue:read"]}]
    assert "application/problem+json" in operation["responses"]["401"]["content"]
    flows = schema["components"]["securitySchemes"]["oauth2"]["flows"]
    assert flows["clientCredentials"]["tokenUrl"] == "/api/v1/oauth/token/"
    assert "applications:write" in flows["clientCredentials"]["scopes"]


def test_the_docs_page_loads_everything_from_the_project(client):
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources, html
    assert all(s.startswith("/") and not s.startswith("//") for s in sources), sources
    assert "swagger-ui" in html
    assert "<script>" not in html  # the split view: its setup is a script file, for the CSP
