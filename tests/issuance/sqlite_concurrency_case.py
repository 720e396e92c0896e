"""Run by tests/issuance/test_sqlite_concurrency.py in its own pytest process (not collected
with the suite): the test database is an SQLite FILE, as in the embedded default, so
concurrent connections really contend for its write lock (the suite's in-memory test
database cannot show that)."""

import json
import os

import pytest

from issuance.models import BankCallback, BillStatus, CallbackOutcome
from tests.issuance.kit import bank_payload, bill_of, billed, post_together, sign_headers

THREADS = 8


@pytest.fixture(scope="session")
def django_db_modify_db_settings():
    from django.db import connections

    connections["default"].settings_dict["TEST"]["NAME"] = os.environ["TERANG_SQLITE_TEST_FILE"]


@pytest.mark.django_db(transaction=True)
def test_eight_callbacks_at_once_on_an_sqlite_file_wait_their_turn_and_pay_once(bank, office):
    app = billed(office)
    bill = bill_of(app)
    bodies = [json.dumps(bank_payload(bill, reference=f"B-{i}")).encode() for i in range(THREADS)]
    results = post_together([(body, sign_headers(body)) for body in bodies])
    statuses = sorted(status for status, _ in results)
    assert 500 not in statuses, results
    assert statuses.count(200) >= 1
    assert BankCallback.objects.count() == THREADS
    assert BankCallback.objects.filter(outcome=CallbackOutcome.ACCEPTED).count() == 1
    bill.refresh_from_db()
    assert bill.status == BillStatus.PAID
    assert app.events.filter(action="application.paid").count() == 1
