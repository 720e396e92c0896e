"""Shared by the issuance tests: a billed file, the bank's signed callbacks, and a
small PDF as permits are rendered."""

from __future__ import annotations

import json
import threading
import time

from django.db import connection
from django.test import Client

from issuance.models import Bill
from issuance.services.billing import callback_signature
from permits.models import Stage
from tests.factories import new_file, walk

SECRET = "rahasia-bank-untuk-uji"


CALLBACK_URL = "/api/bank/pembayaran/"


def billed(office, permit_type=None):
    """A file of a type with a fee, walked until it awaits payment."""
    return walk(office, new_file(office, permit_type or office.full_type), Stage.AWAITING_PAYMENT)


def bill_of(app) -> Bill:
    return Bill.objects.get(application=app)


def bank_payload(bill, **changes) -> dict:
    data = {
        "billing_code": bill.billing_code,
        "amount": bill.amount,
        "reference": "BANK-20261123-0001",
        "paid_at": "2026-11-23T10:15:00+07:00",
    }
    data.update(changes)
    return data


def sign_headers(body: bytes, *, timestamp=None, secret=SECRET) -> dict:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "X-Terang-Timestamp": stamp,
        "X-Terang-Signature": callback_signature(secret, stamp, body),
    }


def bank_post(client, payload=None, *, body=None, headers=None, **signing):
    """POST a callback: ``payload`` as JSON (or raw ``body``), signed unless ``headers``."""
    if body is None:
        body = json.dumps(payload).encode()
    if headers is None:
        headers = sign_headers(body, **signing)
    return client.post(CALLBACK_URL, data=body, content_type="application/json", headers=headers)


def post_together(requests):
    """Send each (body, headers) from its own thread, released together; the responses."""
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def send(i, body, headers):
        try:
            barrier.wait()
            response = bank_post(Client(), body=body, headers=headers)
            results[i] = (response.status_code, response.json())
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i, *r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
