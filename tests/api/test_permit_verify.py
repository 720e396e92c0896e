"""Verifying a permit through the API (issue 21.3, ``permits:verify``): what the public
verification page says, names masked as there; the page's own messages for bad input; a
revoked permit says so; a partner without the scope is refused."""

from __future__ import annotations

import pytest

from api.models import ApiCall
from issuance.models import Permit
from issuance.services.issue import permit_revoke
from permits.models import Stage
from tests.factories import act, fire, new_file, signable_type, walk

pytestmark = pytest.mark.django_db

VERIFY = "/api/v1/permits/verify/"


@pytest.fixture
def permit(office) -> Permit:
    app = walk(office, new_file(office, signable_type(office, "KES-SIP-API")), Stage.SIGNING)
    fire(app, "sign", app.assigned_to)
    return Permit.objects.get(application=app)


def test_a_permit_is_verified_by_its_code_or_its_number(client, bearer, permit):
    partner, token = bearer(scopes=("permits:verify",))
    for query in (permit.code, permit.code.lower(), permit.number):
        answer = client.get(VERIFY, {"q": query}, HTTP_AUTHORIZATION=token)
        assert answer.status_code == 200, answer.content
        body = answer.json()
        assert (body["number"], body["code"], body["status"]) == (
            permit.number,
            permit.code,
            "valid",
        )
        assert body["permit_type"]["code"] == "KES-SIP-API"
        assert body["holder"] != permit.holder_name and body["holder"].startswith("S")
        assert body["issued_at"].endswith("+07:00")  # the office's time, stated
    assert ApiCall.objects.filter(partner=partner, target=f"permit:{permit.number}").count() == 3


def test_a_revoked_permit_says_so(client, bearer, permit, office):
    _partner, token = bearer(scopes=("permits:verify",))
    permit_revoke(
        permit=permit, actor=act(office.head), reason="Izin dicabut atas permintaan pemegang."
    )
    body = client.get(VERIFY, {"q": permit.code}, HTTP_AUTHORIZATION=token).json()
    assert body["status"] == "revoked" and body["revoked_at"].endswith("+07:00")


@pytest.mark.parametrize("query", ["", "   ", "x" * 101])
def test_bad_input_gets_the_pages_own_message(client, bearer, query):
    _partner, token = bearer(scopes=("permits:verify",))
    answer = client.get(VERIFY, {"q": query}, HTTP_AUTHORIZATION=token)
    assert answer.status_code == 400 and answer["Content-Type"] == "application/problem+json"
    [message] = answer.json()["errors"]["q"]
    assert message in (
        "Masukkan kode verifikasi atau nomor izin.",
        "Pastikan nilai ini mengandung paling banyak 100 karakter (sekarang 101 karakter).",
    )


def test_an_unknown_permit_is_not_found(client, bearer, office):
    _partner, token = bearer(scopes=("permits:verify",))
    answer = client.get(VERIFY, {"q": "ABCD-EFGH-JKLM"}, HTTP_AUTHORIZATION=token)
    assert answer.status_code == 404 and answer.json()["title"] == "Tidak ditemukan"


def test_a_partner_without_the_scope_cannot_verify(client, bearer, permit):
    _partner, token = bearer(scopes=("catalogue:read",))
    assert client.get(VERIFY, {"q": permit.code}, HTTP_AUTHORIZATION=token).status_code == 403
    assert client.get(VERIFY, {"q": permit.code}).status_code == 401
