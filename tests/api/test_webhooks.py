"""Webhooks (issue 21.4): a partner subscribes an address to events; each event on a file it
may read becomes a delivery in the act's own transaction, posted signed (Standard Webhooks,
verified here with the same library a partner would use), retried with growing waits for
about a day, then parked until an administrator replays it; every attempt readable through
the API. Posted to a real HTTP server on this machine."""

from __future__ import annotations

import datetime
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from api.models import DeliveryStatus, WebhookDelivery, WebhookEvent
from api.webhooks import MAX_ATTEMPTS, SCHEDULE, WebhookRefused, url_check, webhooks_deliver
from permits.models import Application, Stage
from tests.api.test_filing import WRITE, submitted_by_api
from tests.factories import return_file, walk

pytestmark = pytest.mark.django_db

HOOKS = "/api/v1/webhooks/"
MANAGE = (*WRITE, "webhooks:manage")


class Receiver:
    """A partner's endpoint: keeps what it was sent, answers ``status``."""

    def __init__(self):
        self.received: list[tuple[dict, bytes]] = []
        self.status = 204
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/terang"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    endpoint = Receiver()
    yield endpoint
    endpoint.close()


def subscribe(client, token, url, events=("file.received", "file.returned")):
    return client.post(
        HOOKS,
        {"url": url, "events": list(events)},
        content_type="application/json",
        HTTP_AUTHORIZATION=token,
    )


@pytest.fixture
def listening(client, bearer, receiver, office):
    """A partner that files and listens: its token and its subscription's secret."""
    partner, token = bearer(scopes=MANAGE)
    answer = subscribe(client, token, receiver.url)
    assert answer.status_code == 201, answer.content
    return partner, token, answer.json()


def test_a_partner_subscribes_and_sees_its_secret_once(client, listening, receiver):
    _partner, token, created = listening
    assert created["secret"].startswith("whsec_")
    assert created["events"] == ["file.received", "file.returned"]
    listed = client.get(HOOKS, HTTP_AUTHORIZATION=token).json()
    assert [s["id"] for s in listed] == [created["id"]]
    assert "secret" not in listed[0]
    one = client.get(f"{HOOKS}{created['id']}/", HTTP_AUTHORIZATION=token).json()
    assert "secret" not in one and one["url"] == receiver.url


def test_bad_subscriptions_are_refused_with_a_reason(client, bearer, settings):
    _partner, token = bearer(scopes=MANAGE)
    unknown = subscribe(client, token, "https://oss.example.id/hook", events=["file.eaten"])
    assert unknown.status_code == 400 and "events" in unknown.json()["errors"]
    none = subscribe(client, token, "https://oss.example.id/hook", events=[])
    assert none.status_code == 400
    settings.WEBHOOK_ALLOW_PRIVATE = False
    for url, words in [
        ("http://oss.example.id/hook", "HTTPS"),
        ("https://127.0.0.1/hook", "internet"),
        ("https://10.1.2.3/hook", "internet"),
        ("https://user:pw@oss.example.id/hook", "sandi"),
    ]:
        answer = subscribe(client, token, url)
        assert answer.status_code == 400, url
        assert words in answer.json()["errors"]["url"][0], url
    assert not WebhookDelivery.objects.exists()


def test_webhooks_need_their_scope_and_show_only_the_partners_own(client, bearer, listening):
    _p, _t, created = listening
    _other, other = bearer(scopes=MANAGE, name="Bank Jabar")
    _narrow, narrow = bearer(scopes=WRITE, name="SPLP")
    assert client.get(HOOKS, HTTP_AUTHORIZATION=narrow).status_code == 403
    assert client.get(HOOKS, HTTP_AUTHORIZATION=other).json() == []
    for path in (f"{HOOKS}{created['id']}/", f"{HOOKS}{created['id']}/deliveries/"):
        assert client.get(path, HTTP_AUTHORIZATION=other).status_code == 404
    assert client.delete(f"{HOOKS}{created['id']}/", HTTP_AUTHORIZATION=other).status_code == 404


def test_an_event_arrives_signed_and_verifiable(
    client, listening, receiver, django_capture_on_commit_callbacks
):
    _partner, token, created = listening
    with django_capture_on_commit_callbacks(execute=True):
        app = submitted_by_api(client, token)
    [(headers, body)] = receiver.received
    payload = Webhook(created["secret"]).verify(body, headers)  # raises if not genuine
    assert payload["type"] == "file.received"
    assert payload["data"]["id"] == str(app.public_id)
    assert payload["data"]["registration_number"] == app.registration_number
    assert payload["timestamp"].endswith("+07:00")
    assert headers["webhook-id"].startswith("msg_")
    with pytest.raises(Exception):  # noqa: B017 (any verification error)
        Webhook(created["secret"]).verify(body.replace(b"received", b"rejected"), headers)
    deliveries = client.get(f"{HOOKS}{created['id']}/deliveries/", HTTP_AUTHORIZATION=token).json()[
        "deliveries"
    ]
    [delivery] = deliveries
    assert (delivery["status"], delivery["id"]) == ("delivered", headers["webhook-id"])
    assert [a["status_code"] for a in delivery["attempts"]] == [204]
    assert delivery["attempts"][0]["at"].endswith("+07:00")


def test_only_partners_that_may_read_the_file_hear_of_it(
    client, bearer, listening, receiver, office, django_capture_on_commit_callbacks
):
    _p, token, _created = listening
    _other, other = bearer(scopes=MANAGE, name="Bank Jabar")
    assert subscribe(client, other, receiver.url).status_code == 201
    _bus, bus = bearer(scopes=MANAGE, name="SPLP", kind="bus", reads_all_files=True)
    assert subscribe(client, bus, receiver.url).status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        app = submitted_by_api(client, token)
    listeners = WebhookDelivery.objects.values_list("subscription__partner__name", flat=True)
    assert sorted(listeners) == ["OSS RBA", "SPLP"]
    assert len(receiver.received) == 2
    assert app.registration_number


def test_a_return_is_heard_and_an_unchosen_event_is_not(
    client, listening, receiver, office, django_capture_on_commit_callbacks
):
    _p, token, _created = listening
    app = submitted_by_api(client, token)
    app = walk(office, app, Stage.VERIFICATION)
    with django_capture_on_commit_callbacks(execute=True):
        return_file(office, app)
    events = list(WebhookDelivery.objects.order_by("pk").values_list("event", flat=True))
    assert events == [WebhookEvent.FILE_RECEIVED, WebhookEvent.FILE_RETURNED]


def test_a_refused_act_sends_nothing(client, listening):
    _p, token, _created = listening
    answer = client.post(
        f"/api/v1/files/{_draft(client, token)}/submit/",
        content_type="application/json",
        HTTP_AUTHORIZATION=token,
    )
    assert answer.status_code == 409  # documents missing: nothing happened
    assert not WebhookDelivery.objects.exists()


def _draft(client, token) -> str:
    from tests.api.test_filing import filed

    return filed(client, token)


def test_a_partner_down_is_retried_for_a_day_then_parked_then_replayed(
    client, listening, receiver, office, django_capture_on_commit_callbacks
):
    _p, token, created = listening
    receiver.status = 503
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        submitted_by_api(client, token)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    waited = datetime.timedelta(0)
    for wait in SCHEDULE:
        assert delivery.next_attempt_at - delivery.attempt_log.last().at == wait
        waited += wait
        assert webhooks_deliver(now=delivery.next_attempt_at - datetime.timedelta(seconds=1)) == 0
        with time_machine.travel(delivery.next_attempt_at, tick=False):
            webhooks_deliver()
        delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DEAD, MAX_ATTEMPTS)
    assert datetime.timedelta(hours=24) < waited < datetime.timedelta(hours=30)
    assert len(receiver.received) == MAX_ATTEMPTS
    assert len({h["webhook-id"] for h, _ in receiver.received}) == 1  # one event, retried
    shown = client.get(f"{HOOKS}{created['id']}/deliveries/", HTTP_AUTHORIZATION=token).json()
    [parked] = shown["deliveries"]
    assert parked["status"] == "dead" and parked["next_attempt_at"] is None
    assert [a["status_code"] for a in parked["attempts"]] == [503] * MAX_ATTEMPTS

    # The administrator finds it parked: no retry time is shown (none will come), each
    # attempt in the office's time.
    client.force_login(office.admin)
    shown = client.get(f"/admin/api/webhookdelivery/{delivery.pk}/change/").content.decode()
    next_row = re.search(r"Coba lagi pada:</label>\s*<div class=\"readonly\">([^<]*)<", shown)
    assert next_row and next_row.group(1).strip() == "-"
    first = timezone.localtime(delivery.attempt_log.first().at)
    assert f"{first:%H.%M}" in shown and "Gagal sehari penuh" in shown

    # The administrator replays it from the admin; the partner is back.
    receiver.status = 200
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            "/admin/api/webhookdelivery/",
            {"action": "replay", "index": 0, "_selected_action": [delivery.pk]},
        )
    assert page.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.replayed_by) == (DeliveryStatus.DELIVERED, office.admin)
    assert delivery.attempt_log.count() == MAX_ATTEMPTS + 1
    assert start < delivery.delivered_at


def test_with_the_broker_down_the_act_commits_and_the_sweep_delivers(
    client, listening, receiver, redis_down, django_capture_on_commit_callbacks
):
    _p, token, created = listening
    with django_capture_on_commit_callbacks(execute=True):
        app = submitted_by_api(client, token)
    assert Application.objects.get(pk=app.pk).state == Stage.SUBMITTED
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and receiver.received == []
    assert webhooks_deliver() == 1  # the minute's sweep, once a worker runs it
    Webhook(created["secret"]).verify(receiver.received[0][1], receiver.received[0][0])


def test_a_claimed_delivery_is_not_taken_twice(client, listening, receiver, redis_down):
    from api.webhooks import _claim

    _p, token, _created = listening
    submitted_by_api(client, token)
    now = timezone.now()
    first, second = _claim(now, 10), _claim(now, 10)
    assert len(first) == 1 and second == []


def test_an_address_that_turned_private_is_not_posted_to(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(WebhookRefused):
        url_check("https://localhost/hook")
    url_check("https://93.184.215.14/hook")  # a public address passes


def test_ending_a_subscription_stops_new_deliveries(
    client, listening, receiver, django_capture_on_commit_callbacks
):
    _p, token, created = listening
    assert client.delete(f"{HOOKS}{created['id']}/", HTTP_AUTHORIZATION=token).status_code == 204
    with django_capture_on_commit_callbacks(execute=True):
        submitted_by_api(client, token)
    assert not WebhookDelivery.objects.exists() and receiver.received == []
    listed = client.get(HOOKS, HTTP_AUTHORIZATION=token).json()
    assert listed[0]["active"] is False
    assert json.loads(json.dumps(listed))  # still listed, ended
