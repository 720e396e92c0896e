"""Partners and their tokens, obtained the way a partner obtains them: the token endpoint."""

from __future__ import annotations

import base64

import pytest

from api.services import partner_register

TOKEN_URL = "/api/v1/oauth/token/"


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def token_for(client, partner, secret: str, scope: str | None = None):
    data = {"grant_type": "client_credentials"}
    if scope is not None:
        data["scope"] = scope
    return client.post(TOKEN_URL, data, HTTP_AUTHORIZATION=basic(partner.client_id, secret))


@pytest.fixture
def make_partner(db):
    def make(name="OSS RBA", kind="oss", scopes=("catalogue:read",), **fields):
        return partner_register(name=name, kind=kind, scopes=list(scopes), by=None, **fields)

    return make


@pytest.fixture
def bearer(client, make_partner):
    """A partner's access token, as the ``Authorization`` header value, for its scopes."""

    def get(scopes=("catalogue:read",), **fields):
        partner, secret = make_partner(scopes=scopes, **fields)
        answer = token_for(client, partner, secret)
        assert answer.status_code == 200, answer.content
        return partner, f"Bearer {answer.json()['access_token']}"

    return get
