"""A partner's call is recorded in one INSERT and sealed a moment later with the calls
around it (issue 21.9; ``trail.seals.sealed_later_register``): what the verifier accepts
while a call waits for its seal, what it does not, and that no call is left unsealed or
sealed twice, whether the catch-up runs in process, in a real worker, or not at all
(the broker down: the minute's sweep)."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from api.apps import CALLS_SEALED_WITHIN
from api.models import ApiCall, CallOutcome
from trail.models import Seal
from trail.seals import SWEEP_LOOKBACK, seals_catch_up
from trail.tasks import seal_sweep
from trail.verify import chain_verify

pytestmark = pytest.mark.django_db

CATALOGUE = "/api/v1/catalogue/"


def seals_of(*calls) -> int:
    return Seal.objects.filter(model="api.apicall", row_id__in=[c.pk for c in calls]).count()


def test_with_tasks_in_process_each_call_is_sealed_as_it_is_recorded(client, bearer, catalogue):
    _partner, token = bearer()
    for _ in range(3):
        assert client.get(CATALOGUE, HTTP_AUTHORIZATION=token).status_code == 200
    calls = list(ApiCall.objects.all())
    assert len(calls) == 3 and seals_of(*calls) == 3
    assert chain_verify().ok


def test_with_the_broker_down_a_call_waits_and_the_sweep_seals_it(
    client, bearer, catalogue, redis_down
):
    _partner, token = bearer()
    assert client.get(CATALOGUE, HTTP_AUTHORIZATION=token).status_code == 200
    call = ApiCall.objects.get()
    assert seals_of(call) == 0
    assert chain_verify().ok, "a call younger than its wait is not called forged"
    assert seal_sweep.apply().get() == 1
    assert seals_of(call) == 1
    assert seals_catch_up() == 0, "a sealed call is not sealed again"
    assert chain_verify().ok


def test_a_call_left_unsealed_past_its_wait_is_named(
    client, bearer, catalogue, redis_down, time_machine
):
    _partner, token = bearer()
    client.get(CATALOGUE, HTTP_AUTHORIZATION=token)
    call = ApiCall.objects.get()
    assert chain_verify().ok
    time_machine.move_to(call.at + CALLS_SEALED_WITHIN + datetime.timedelta(seconds=1), tick=False)
    report = chain_verify()
    assert not report.ok
    assert f"row {call.pk} (api.apicall) has no seal" in report.problem


def test_a_call_just_within_its_wait_is_not_named(
    client, bearer, catalogue, redis_down, time_machine
):
    _partner, token = bearer()
    client.get(CATALOGUE, HTTP_AUTHORIZATION=token)
    call = ApiCall.objects.get()
    time_machine.move_to(call.at + CALLS_SEALED_WITHIN, tick=False)  # the edge: it still waits
    assert chain_verify().ok


def test_an_unsealed_row_dated_ahead_of_the_clock_does_not_wait(bearer):
    partner, _token = bearer()
    ahead = ApiCall.objects.create(
        partner=partner,
        at=timezone.now() + datetime.timedelta(hours=1),
        method="GET",
        operation="catalogue",
        status=200,
        outcome=CallOutcome.OK,
    )
    report = chain_verify()
    assert not report.ok and f"row {ahead.pk} (api.apicall) has no seal" in report.problem


def test_a_call_committed_after_a_later_one_was_sealed_is_caught_up(bearer):
    """Ids are handed out before commit: a call may commit after a later one was sealed.
    The catch-up looks back ``lookback`` ids below the newest sealed call; the sweep
    further."""
    partner, _token = bearer()

    def record(pk):  # an id of our choosing (``save()`` refuses a row with one)
        call = ApiCall(
            pk=pk, partner=partner, method="GET", operation="catalogue", status=200, outcome="ok"
        )
        ApiCall.objects.bulk_create([call])
        return call

    later = record(5000)
    assert seals_catch_up() == 1
    earlier = record(4000)
    assert seals_catch_up(lookback=999) == 0, "just beyond this catch-up's look back"
    assert seals_of(earlier) == 0
    assert seals_catch_up(lookback=1000) == 1, "just within it"
    assert seals_of(earlier, later) == 2
    assert SWEEP_LOOKBACK > 1000
    assert chain_verify().ok


def test_a_token_whose_client_has_no_partner_is_refused(client, db):
    """The token is read with its client and the client's partner in one query; a client
    made outside the partner register (the toolkit's own admin) has none."""
    stray = Application.objects.create(
        name="stray",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
    )
    AccessToken.objects.create(
        application=stray,
        token="stray-token-0123456789",
        scope="catalogue:read",
        expires=timezone.now() + datetime.timedelta(hours=1),
    )
    answer = client.get(CATALOGUE, HTTP_AUTHORIZATION="Bearer stray-token-0123456789")
    assert answer.status_code == 403
    assert "bukan milik mitra terdaftar" in answer.json()["detail"]
    assert not ApiCall.objects.exists()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_seals_a_burst_of_calls_from_redis(client, bearer, catalogue, celery_worker):
    _partner, token = bearer()
    for _ in range(5):
        assert client.get(CATALOGUE, HTTP_AUTHORIZATION=token).status_code == 200
    calls = list(ApiCall.objects.all())
    deadline = time.monotonic() + 30
    while seals_of(*calls) < len(calls) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert seals_of(*calls) == 5
    assert chain_verify().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_catch_ups_at_once_seal_each_call_once(bearer):
    partner, _token = bearer()
    for _ in range(20):
        ApiCall.objects.create(
            partner=partner, method="GET", operation="catalogue", status=200, outcome="ok"
        )
    start, written, errors = threading.Barrier(2), [], []

    def catch_up():
        try:
            start.wait()
            written.append(seals_catch_up())
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=catch_up) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(written) == [0, 20]
    assert Seal.objects.filter(model="api.apicall").count() == 20
    assert chain_verify().ok
