"""Partners in the admin (issue 21.2): registered by an administrator (the secret shown
once, working at the token endpoint), deactivated, never deleted, every change in the
partner's history with who made it; a person without the admin cannot reach them."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages

from api.models import Partner
from tests.api.conftest import basic

pytestmark = pytest.mark.django_db

ADD = "/admin/api/partner/add/"


def test_an_administrator_registers_a_partner_and_sees_its_secret_once(client, make_user):
    admin = make_user("admin", username="root")
    client.force_login(admin)
    answer = client.post(
        ADD,
        {
            "name": "SPLP Provinsi",
            "kind": "bus",
            "scopes": ["catalogue:read", "applications:read"],
            "reads_all_files": "on",
            "calls_per_minute": "300",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    partner = Partner.objects.get(name="SPLP Provinsi")
    assert partner.scopes == ["applications:read", "catalogue:read"] and partner.reads_all_files
    [message] = [m for m in map(str, get_messages(answer.wsgi_request)) if "client_secret" in m]
    secret = re.search(r"client_secret: (\S+)\.", message)[1]
    assert partner.client_id in message
    assert partner.application.client_secret != secret  # kept hashed
    token = client.post(
        "/api/v1/oauth/token/",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=basic(partner.client_id, secret),
    )
    assert token.status_code == 200
    assert partner.history.get().history_user == admin
    assert secret in client.get(answer["Location"]).content.decode()  # the page after saving
    page = client.get(f"/admin/api/partner/{partner.pk}/change/").content.decode()
    assert secret not in page  # and never again


def test_a_partner_is_deactivated_never_deleted(client, make_user, make_partner):
    admin = make_user("admin", username="root")
    partner, _secret = make_partner()
    client.force_login(admin)
    assert client.get(f"/admin/api/partner/{partner.pk}/delete/").status_code == 403
    client.post(
        "/admin/api/partner/",
        {"action": "deactivate", "_selected_action": [partner.pk]},
    )
    partner.refresh_from_db()
    assert not partner.active
    assert partner.history.latest().history_user == admin


@pytest.mark.parametrize("role", ["counter", "supervisor", "auditor", "applicant"])
def test_people_other_than_the_administrator_cannot_reach_partners(client, make_user, role):
    client.force_login(make_user(role, username=f"u-{role}"))
    answer = client.get(ADD)
    assert answer.status_code in (302, 403)
    assert not Partner.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(plain_client):
    answer = plain_client.get(ADD)
    assert answer.status_code == 302 and "/admin/login/" in answer["Location"]
