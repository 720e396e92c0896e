"""Partners, not people (issue 21.2): client-credentials tokens carrying only the scopes a
partner was granted, checked again on every call; deactivated partners stopped; a partner's
own rate; every call recorded and sealed; errors as problem documents in the caller's
language (21.5)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from api.models import ApiCall, CallOutcome, Partner
from api.services import partner_deactivate
from tests.api.conftest import TOKEN_URL, basic, token_for
from trail.models import Seal

pytestmark = pytest.mark.django_db

CATALOGUE = "/api/v1/catalogue/"
PROBLEM = "application/problem+json"


def test_a_partner_gets_a_token_for_its_granted_scopes_only(client, make_partner):
    partner, secret = make_partner(scopes=["catalogue:read", "permits:verify"])
    granted = token_for(client, partner, secret)
    assert granted.status_code == 200
    assert set(granted.json()["scope"].split()) == {"catalogue:read", "permits:verify"}
    assert granted.json()["token_type"] == "Bearer"
    narrower = token_for(client, partner, secret, scope="permits:verify")
    assert narrower.json()["scope"] == "permits:verify"
    beyond = token_for(client, partner, secret, scope="catalogue:read applications:write")
    assert beyond.status_code == 400 and beyond.json()["error"] == "invalid_scope"


@pytest.mark.parametrize(
    "credentials",
    ["wrong-secret", "", None],
    ids=["a wrong secret", "an empty secret", "no credentials"],
)
def test_bad_credentials_get_no_token(client, make_partner, credentials):
    partner, _secret = make_partner()
    headers = (
        {} if credentials is None else {"HTTP_AUTHORIZATION": basic(partner.client_id, credentials)}
    )
    answer = client.post(TOKEN_URL, {"grant_type": "client_credentials"}, **headers)
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_client"


def test_another_grant_than_client_credentials_is_refused(client, make_partner, make_user):
    """Not even a staff member's real password gets a token here, and it is not checked."""
    from axes.models import AccessAttempt

    make_user("counter", username="loket")
    partner, secret = make_partner()
    answer = client.post(
        TOKEN_URL,
        {"grant_type": "password", "username": "loket", "password": "s3cret-pass"},
        HTTP_AUTHORIZATION=basic(partner.client_id, secret),
    )
    assert answer.status_code == 400 and "access_token" not in answer.json()
    assert answer.json()["error"] in ("invalid_grant", "unauthorized_client")
    assert not AccessAttempt.objects.exists()


def test_a_deactivated_partner_is_stopped_at_once_and_gets_no_new_token(client, bearer):
    partner, token = bearer()
    assert client.get(CATALOGUE, HTTP_AUTHORIZATION=token).status_code == 200
    partner_deactivate(partner=partner, by=None)
    stopped = client.get(CATALOGUE, HTTP_AUTHORIZATION=token)
    assert stopped.status_code == 401 and stopped["Content-Type"] == PROBLEM
    partner.refresh_from_db()
    assert not partner.active and partner.deactivated_at is not None
    assert Partner.history.filter(id=partner.pk, active=False).exists()


def test_a_deactivated_partners_client_gets_no_token_even_with_its_secret(client, make_partner):
    partner, secret = make_partner()
    partner_deactivate(partner=partner, by=None)
    assert token_for(client, partner, secret).status_code == 401


def test_a_scope_withdrawn_stops_the_tokens_already_issued(client, bearer):
    partner, token = bearer(scopes=("catalogue:read", "permits:verify"))
    Partner.objects.filter(pk=partner.pk).update(scopes=["permits:verify"])
    refused = client.get(CATALOGUE, HTTP_AUTHORIZATION=token)
    assert refused.status_code == 403 and refused["Content-Type"] == PROBLEM
    assert refused.json()["title"] == "Tidak berwenang"


def test_a_token_without_the_operations_scope_is_refused(client, bearer):
    _partner, token = bearer(scopes=("permits:verify",))
    refused = client.get(CATALOGUE, HTTP_AUTHORIZATION=token)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Token ini tidak memberi izin untuk tindakan ini."


@pytest.mark.parametrize(
    "header",
    [None, "Bearer not-a-token", "Basic Zm9vOmJhcg==", "Bearer "],
    ids=["none", "an unknown token", "basic auth", "an empty bearer"],
)
def test_calls_without_a_valid_token_are_refused_with_a_problem(client, header):
    headers = {} if header is None else {"HTTP_AUTHORIZATION": header}
    refused = client.get(CATALOGUE, **headers)
    assert refused.status_code == 401
    assert refused["Content-Type"] == PROBLEM
    body = refused.json()
    assert body["type"] == "https://terang.go.id/problems/unauthenticated"
    assert body["title"] == "Perlu token akses" and body["status"] == 401
    assert body["instance"] == CATALOGUE
    assert refused["WWW-Authenticate"].startswith("Bearer")
    assert not ApiCall.objects.exists()  # nobody to attribute it to: the access log has it


def test_the_problem_speaks_english_when_asked(client, bearer):
    _partner, token = bearer(scopes=("permits:verify",))
    english = client.get(CATALOGUE, HTTP_AUTHORIZATION=token, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert english.json()["title"] == "Forbidden"
    assert english.json()["detail"] == "This token does not allow this action."
    assert english["Content-Language"] == "en"
    preferred = client.get(
        CATALOGUE, HTTP_AUTHORIZATION=token, HTTP_ACCEPT_LANGUAGE="en;q=0.5, id;q=0.8"
    )
    assert preferred.json()["title"] == "Tidak berwenang"
    assert preferred["Content-Language"] == "id"


def test_an_address_with_no_operation_is_a_problem_not_the_sites_page(client):
    for method in ("get", "post", "delete"):
        answer = getattr(client, method)("/api/v1/no/such/thing/")
        assert answer.status_code == 404 and answer["Content-Type"] == PROBLEM
        assert answer.json()["title"] == "Tidak ditemukan"


def test_a_partner_past_its_rate_is_told_to_wait(client, bearer, window_start):
    partner, token = bearer(calls_per_minute=3)
    window_start(60)
    answers = [client.get(CATALOGUE, HTTP_AUTHORIZATION=token) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[-1]["Content-Type"] == PROBLEM
    assert int(answers[-1]["Retry-After"]) > 0
    assert ApiCall.objects.filter(partner=partner, outcome=CallOutcome.LIMITED).count() == 1


def test_one_partners_rate_does_not_limit_another(client, bearer, window_start):
    _first, token = bearer(calls_per_minute=1)
    _second, other = bearer(calls_per_minute=1)
    window_start(60)
    assert client.get(CATALOGUE, HTTP_AUTHORIZATION=token).status_code == 200
    assert client.get(CATALOGUE, HTTP_AUTHORIZATION=other).status_code == 200
    assert client.get(CATALOGUE, HTTP_AUTHORIZATION=token).status_code == 429


def test_every_call_is_recorded_with_its_outcome_and_sealed(client, bearer, catalogue):
    partner, token = bearer()
    client.get(CATALOGUE, HTTP_AUTHORIZATION=token)
    client.get(CATALOGUE + "NO-SUCH-TYPE/", HTTP_AUTHORIZATION=token)
    calls = list(ApiCall.objects.filter(partner=partner).order_by("pk"))
    assert [(c.method, c.operation, c.scope, c.target, c.status, c.outcome) for c in calls] == [
        ("GET", "catalogue", "catalogue:read", "catalogue", 200, CallOutcome.OK),
        (
            "GET",
            "catalogue_type",
            "catalogue:read",
            "type:NO-SUCH-TYPE",
            404,
            CallOutcome.NOT_FOUND,
        ),
    ]
    assert all(c.request_id for c in calls)
    assert Seal.objects.filter(model="api.apicall", row_id__in=[c.pk for c in calls]).count() == 2
    call_command("verify_audit_trail", verbosity=0)


def test_a_call_with_redis_down_is_answered_and_recorded(client, bearer, redis_down):
    partner, token = bearer()
    assert client.get(CATALOGUE, HTTP_AUTHORIZATION=token).status_code == 200
    assert ApiCall.objects.filter(partner=partner, outcome=CallOutcome.OK).count() == 1


def test_every_problem_speaks_the_callers_language_never_drfs_english(client, bearer, window_start):
    """DRF's own messages are English; the API answers in its own words, in Indonesian or,
    asked, in English (and the site's forms keep Django's Indonesian: DRF's catalogue is not
    loaded)."""
    refused = client.get(CATALOGUE)
    assert (
        refused.json()["detail"] == "Sertakan token akses yang sah: Authorization: Bearer <token>."
    )
    bad = client.get(CATALOGUE, HTTP_AUTHORIZATION="Bearer nope")
    assert bad.json()["detail"] == refused.json()["detail"]
    _partner, token = bearer(calls_per_minute=1)
    window_start(60)
    not_allowed = client.post(
        CATALOGUE, "{}", content_type="application/json", HTTP_AUTHORIZATION=token
    )
    assert not_allowed.status_code == 405
    assert not_allowed.json()["detail"] == "Metode ini tidak didukung di alamat ini."
    limited = client.get(CATALOGUE, HTTP_AUTHORIZATION=token, HTTP_ACCEPT_LANGUAGE="en")
    assert limited.status_code == 429
    assert limited.json()["title"] == "Too many calls"
    assert limited.json()["detail"].startswith("Try again in ")
