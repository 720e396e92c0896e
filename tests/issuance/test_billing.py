"""The fee (retribusi): a bill when a file awaits payment, paid at the cashier or by the bank's
signed callback, expired or cancelled with its file; every role and every refusal."""

# The small office of tests/permits is imported as a fixture; tests take it as an argument.

from __future__ import annotations

import datetime
import json
import time
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from hypothesis import given
from hypothesis import strategies as st

from issuance.models import (
    BankCallback,
    Bill,
    BillStatus,
    CallbackOutcome,
    PaymentChannel,
    billing_code_valid,
    luhn_digit,
    new_billing_code,
)
from issuance.services.billing import payment_record
from outbox.models import Message
from permits.models import Stage
from permits.services.applications import applications_expire_overdue
from permits.services.context import ActionRefused
from permits.sla import ClockState
from tests.factories import act, fire, new_file, walk
from tests.issuance.kit import (
    CALLBACK_URL,
    SECRET,
    bank_payload,
    bank_post,
    bill_of,
    billed,
    post_together,
    sign_headers,
)
from worktime.calendar import get_calendar

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
FEE = 150_000
MONDAY = datetime.datetime(2026, 11, 23, 10, tzinfo=WIB)
PAID = "application.paid"


# --- helpers -------------------------------------------------------------------------------


def record(bill, user, *, reference="KW-0001", amount=None, channel=PaymentChannel.CASHIER):
    return payment_record(
        bill=bill,
        actor=act(user),
        channel=channel,
        reference=reference,
        amount=bill.amount if amount is None else amount,
    )


def assert_unpaid(app):
    """Nothing was paid: the bill is untouched and the file still waits for payment."""
    bill = bill_of(app)
    assert bill.status == BillStatus.UNPAID
    assert (bill.paid_at, bill.channel, bill.reference, bill.confirmed_by) == (None, "", "", None)
    app.refresh_from_db()
    assert app.state == Stage.AWAITING_PAYMENT
    assert app.clock_running_since is None
    assert not app.events.filter(action=PAID).exists()


def file_url(app) -> str:
    return reverse("backoffice:file", args=[app.public_id])


def payment_url(app) -> str:
    return reverse("issuance:payment", args=[app.public_id])


def payment_post(app, **changes) -> dict:
    data = {"expected_state": Stage.AWAITING_PAYMENT, "reference": "KW-2026-0042", "amount": FEE}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def last_callback() -> BankCallback:
    return BankCallback.objects.order_by("-id").first()


def user_for(office, role):
    return getattr(office, role)


@pytest.fixture
def due(office):
    return billed(office)


# --- the billing code ----------------------------------------------------------------------


def test_a_new_billing_code_is_16_digits_starting_with_the_year_and_valid():
    with time_machine.travel(MONDAY, tick=False):
        codes = {new_billing_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == 16 and code.isdigit() and code.startswith("26")
        assert billing_code_valid(code)


@given(
    body=st.text(alphabet="0123456789", min_size=15, max_size=15),
    position=st.integers(0, 15),
    shift=st.integers(1, 9),
)
def test_any_single_mistyped_digit_makes_a_billing_code_invalid(body, position, shift):
    code = body + luhn_digit(body)
    assert billing_code_valid(code)
    digit = str((int(code[position]) + shift) % 10)
    assert not billing_code_valid(code[:position] + digit + code[position + 1 :])


@pytest.mark.parametrize("code", ["", "123", "1234567890123456" + "0", "26abcdefghijklm0"])
def test_billing_codes_of_the_wrong_shape_are_invalid(code):
    assert not billing_code_valid(code)


# --- the bill ------------------------------------------------------------------------------


def test_a_file_entering_awaiting_payment_gets_one_bill_for_its_types_fee(office, settings):
    with time_machine.travel(MONDAY, tick=False):
        app = billed(office)
        assert app.clock.state == ClockState.PAUSED
    [bill] = Bill.objects.filter(application=app)
    assert bill.amount == office.full_type.fee == FEE
    assert billing_code_valid(bill.billing_code)
    assert bill.status == BillStatus.UNPAID
    assert bill.issued_at == app.stage_entered_at == MONDAY
    expected_due = get_calendar().add_working_days(MONDAY, settings.BILL_DUE_WORKING_DAYS)
    assert bill.due_at == app.applicant_deadline == expected_due
    assert bill.due_at - MONDAY >= datetime.timedelta(days=settings.BILL_DUE_WORKING_DAYS)
    assert app.clock_running_since is None and app.sop_deadline is None
    assert (bill.paid_at, bill.channel, bill.reference, bill.confirmed_by) == (None, "", "", None)


def test_the_bill_keeps_its_amount_when_the_types_fee_changes_later(office, due):
    office.full_type.fee = 200_000
    office.full_type.save()
    with pytest.raises(ActionRefused, match="tidak sama"):
        record(bill_of(due), office.cashier, amount=200_000)
    assert record(bill_of(due), office.cashier, amount=FEE).status == BillStatus.PAID


def test_a_free_type_never_gets_a_bill(office):
    app = new_file(office, office.simple_type)
    for stage in (Stage.VERIFICATION, Stage.APPROVAL, Stage.ISSUED):
        app = walk(office, app, stage)
        assert not Bill.objects.filter(application=app).exists()
    assert not app.events.filter(action=PAID).exists()
    assert not Message.objects.filter(application=app, kind="file.payment_requested").exists()


def test_the_applicant_is_asked_to_pay_with_the_billing_code_amount_and_due_date(office):
    with time_machine.travel(MONDAY, tick=False):
        app = billed(office)
    bill = bill_of(app)
    message = Message.objects.get(application=app, kind="file.payment_requested")
    assert message.recipient == office.applicant
    assert bill.billing_code in message.body
    assert "Rp150.000" in message.body
    with translation.override("id"):
        assert date_format(timezone.localtime(bill.due_at), "j F Y, H.i") in message.body
    assert app.registration_number in message.subject


# --- recording a payment -------------------------------------------------------------------


def test_the_cashier_records_a_payment_and_the_file_goes_to_approval(office):
    with time_machine.travel(MONDAY, tick=False):
        due = billed(office)
    with time_machine.travel(MONDAY + datetime.timedelta(days=1), tick=False):
        bill = record(bill_of(due), office.cashier, reference="  KW-2026-0042 ")
        now = timezone.now()
        app = bill.application
        assert app.clock.state == ClockState.ON_TIME
    bill.refresh_from_db()
    assert bill.status == BillStatus.PAID
    assert (bill.channel, bill.reference) == (PaymentChannel.CASHIER, "KW-2026-0042")
    assert bill.confirmed_by == office.cashier
    assert bill.paid_at == now
    assert bill.history.first().history_user == office.cashier
    app.refresh_from_db()
    assert app.state == Stage.APPROVAL
    assert app.applicant_deadline is None
    assert app.clock_running_since == now
    event = app.events.get(action=PAID)
    assert event.actor == office.cashier and event.actor_role == "cashier"
    assert (event.from_state, event.to_state) == (Stage.AWAITING_PAYMENT, Stage.APPROVAL)
    assert event.data["billing_code"] == bill.billing_code
    assert event.data["reference"] == "KW-2026-0042"
    assert event.data["channel"] == PaymentChannel.CASHIER


def test_the_system_may_record_a_payment(office, due):
    bill = record(bill_of(due), None, channel=PaymentChannel.BANK, reference="BANK-1")
    assert bill.status == BillStatus.PAID and bill.confirmed_by is None
    event = due.events.get(action=PAID)
    assert event.actor is None and event.actor_role == "system"


@pytest.mark.parametrize("amount", [FEE - 1, FEE + 1, 1, 15_000])
def test_a_wrong_amount_is_refused(office, due, amount):
    with pytest.raises(ActionRefused, match="tidak sama dengan tagihan"):
        record(bill_of(due), office.cashier, amount=amount)
    assert_unpaid(due)


@pytest.mark.parametrize("reference", ["", "   "])
def test_a_blank_reference_is_refused(office, due, reference):
    with pytest.raises(ActionRefused, match="nomor bukti"):
        record(bill_of(due), office.cashier, reference=reference)
    assert_unpaid(due)


def test_a_reference_already_used_on_another_bill_is_refused(office, due):
    other = billed(office)
    record(bill_of(other), office.cashier, reference="KW-7")
    with pytest.raises(ActionRefused, match="sudah dipakai"):
        record(bill_of(due), office.cashier, reference="KW-7")
    with pytest.raises(ActionRefused, match="sudah dipakai"):
        record(bill_of(due), office.cashier, reference=" KW-7 ")
    assert_unpaid(due)


def test_a_reference_is_unique_per_channel_only(office, due):
    other = billed(office)
    record(bill_of(other), office.cashier, reference="REF-1")
    bill = record(bill_of(due), None, channel=PaymentChannel.BANK, reference="REF-1")
    assert bill.status == BillStatus.PAID


def test_a_paid_bill_is_not_paid_again(office, due):
    record(bill_of(due), office.cashier, reference="KW-1")
    with pytest.raises(ActionRefused, match="sudah lunas"):
        record(bill_of(due), office.cashier, reference="KW-2")
    bill = bill_of(due)
    assert bill.reference == "KW-1"
    assert due.events.filter(action=PAID).count() == 1


def test_an_expired_bill_cannot_be_paid(office, due, settings):
    settings.UNPAID_BILL_EXPIRES_FILE = True
    with time_machine.travel(bill_of(due).due_at + datetime.timedelta(minutes=1), tick=False):
        assert applications_expire_overdue() == 1
    with pytest.raises(ActionRefused, match="kedaluwarsa"):
        record(bill_of(due), office.cashier)
    bill = bill_of(due)
    assert bill.status == BillStatus.EXPIRED and bill.paid_at is None
    due.refresh_from_db()
    assert due.state == Stage.EXPIRED


def test_a_cancelled_bill_cannot_be_paid(office, due):
    fire(due, "withdraw", office.applicant)
    with pytest.raises(ActionRefused, match="dibatalkan"):
        record(bill_of(due), office.cashier)
    bill = bill_of(due)
    assert bill.status == BillStatus.CANCELLED and bill.paid_at is None
    due.refresh_from_db()
    assert due.state == Stage.WITHDRAWN


@pytest.mark.parametrize(
    "role", ["counter", "supervisor", "head", "technical", "auditor", "admin", "applicant"]
)
def test_only_the_cashier_or_the_system_may_record_a_payment(office, due, role):
    with pytest.raises((PermissionDenied, ActionRefused)):
        record(bill_of(due), user_for(office, role))
    assert_unpaid(due)


def test_an_inactive_cashier_may_not_record_a_payment(office, due):
    office.cashier.is_active = False
    office.cashier.save()
    with pytest.raises((PermissionDenied, ActionRefused)):
        record(bill_of(due), office.cashier)
    assert_unpaid(due)


@pytest.mark.parametrize("who", ["cashier", "system"])
def test_confirm_payment_fired_without_a_recorded_payment_is_refused(office, due, who):
    user = office.cashier if who == "cashier" else None
    with pytest.raises(ActionRefused, match="nomor bukti"):
        fire(due, "confirm_payment", user, expected_state=Stage.AWAITING_PAYMENT)
    assert_unpaid(due)


def test_confirm_payment_is_not_an_action_of_the_file_page(client, office, due):
    client.force_login(office.cashier)
    url = reverse("backoffice:action", args=[due.public_id, "confirm_payment"])
    assert client.post(url, {"expected_state": Stage.AWAITING_PAYMENT}).status_code == 404
    assert_unpaid(due)


# --- an unpaid bill expires with its file ----------------------------------------------------


def test_an_unpaid_file_expires_after_the_due_date(office, settings):
    settings.UNPAID_BILL_EXPIRES_FILE = True
    with time_machine.travel(MONDAY, tick=False):
        app = billed(office)
    due_at = bill_of(app).due_at
    with time_machine.travel(due_at - datetime.timedelta(minutes=1), tick=False):
        assert applications_expire_overdue() == 0
    assert_unpaid(app)
    assert not Message.objects.filter(application=app, kind="file.expired").exists()
    with time_machine.travel(due_at + datetime.timedelta(minutes=1), tick=False):
        assert applications_expire_overdue() == 1
        assert applications_expire_overdue() == 0  # idempotent
    app.refresh_from_db()
    assert app.state == Stage.EXPIRED
    assert app.applicant_deadline is None
    assert bill_of(app).status == BillStatus.EXPIRED
    event = app.events.get(action="application.expired")
    assert event.actor is None and event.actor_role == "system"
    assert event.from_state == Stage.AWAITING_PAYMENT
    assert "Retribusi tidak dibayar" in event.note
    message = Message.objects.get(application=app, kind="file.expired")
    assert message.recipient == office.applicant


def test_the_expiry_message_of_an_unpaid_file_gives_the_unpaid_fee_as_the_reason(office, settings):
    settings.UNPAID_BILL_EXPIRES_FILE = True
    app = billed(office)
    with time_machine.travel(bill_of(app).due_at + datetime.timedelta(minutes=1), tick=False):
        applications_expire_overdue()
    body = Message.objects.get(application=app, kind="file.expired").body
    assert "dilengkapi" not in body
    assert "retribusi" in body.lower()


def test_an_unpaid_file_does_not_expire_when_the_setting_is_off(office, due, settings):
    settings.UNPAID_BILL_EXPIRES_FILE = False
    with time_machine.travel(bill_of(due).due_at + datetime.timedelta(days=30), tick=False):
        assert applications_expire_overdue() == 0
    assert_unpaid(due)


def test_a_file_paid_before_the_sweep_does_not_expire(office, due, settings):
    settings.UNPAID_BILL_EXPIRES_FILE = True
    record(bill_of(due), office.cashier)
    with time_machine.travel(bill_of(due).due_at + datetime.timedelta(days=1), tick=False):
        assert applications_expire_overdue() == 0
    due.refresh_from_db()
    assert due.state == Stage.APPROVAL
    assert bill_of(due).status == BillStatus.PAID


def test_a_file_withdrawn_while_awaiting_payment_cancels_its_bill(office, due):
    fire(due, "withdraw", office.applicant, expected_state=Stage.AWAITING_PAYMENT)
    due.refresh_from_db()
    assert due.state == Stage.WITHDRAWN
    assert bill_of(due).status == BillStatus.CANCELLED


def test_a_paid_bill_stays_paid_when_the_file_is_later_withdrawn(office, due):
    record(bill_of(due), office.cashier)
    fire(due, "withdraw", office.applicant)
    assert bill_of(due).status == BillStatus.PAID


# --- the cashier's form ----------------------------------------------------------------------


def test_the_cashier_records_a_payment_on_the_file_page(client, office, due):
    client.force_login(office.cashier)
    response = client.post(payment_url(due), payment_post(due))
    assert response.status_code == 302
    assert response["Location"] == file_url(due)
    bill = bill_of(due)
    assert bill.status == BillStatus.PAID
    assert (bill.channel, bill.reference) == (PaymentChannel.CASHIER, "KW-2026-0042")
    assert bill.confirmed_by == office.cashier
    due.refresh_from_db()
    assert due.state == Stage.APPROVAL
    event = due.events.get(action=PAID)
    assert event.ip_address == "127.0.0.1"
    page = client.get(response["Location"]).content.decode()
    assert "Pembayaran retribusi dicatat; diteruskan ke" in page
    assert "Lunas" in page and "KW-2026-0042" in page


def test_a_wrong_amount_is_explained_and_the_typed_reference_kept(client, office, due):
    client.force_login(office.cashier)
    response = client.post(
        payment_url(due), payment_post(due, reference="KW-TYPO-77", amount=100_000)
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Jumlah yang dibayar (Rp 100.000) tidak sama dengan tagihan (Rp 150.000)." in body
    assert 'value="KW-TYPO-77"' in body
    assert_unpaid(due)


@pytest.mark.parametrize(
    "changes",
    [
        {"reference": None},
        {"amount": None},
        {"reference": None, "amount": None},
        {"amount": "seratus ribu"},
        {"amount": 0},
        {"expected_state": None},
        {"expected_state": "nonsense"},
    ],
)
def test_an_incomplete_payment_form_is_refused(client, office, due, changes):
    client.force_login(office.cashier)
    response = client.post(payment_url(due), payment_post(due, **changes))
    assert response.status_code == 400
    assert_unpaid(due)


def test_a_stale_page_changes_nothing_and_says_so(client, office, due):
    client.force_login(office.cashier)
    response = client.post(payment_url(due), payment_post(due, expected_state=Stage.APPROVAL))
    assert response.status_code == 302 and response["Location"] == file_url(due)
    assert "sudah berubah" in client.get(file_url(due)).content.decode()
    assert_unpaid(due)


def test_a_double_post_pays_once_and_the_second_is_refused(client, office, due):
    client.force_login(office.cashier)
    first = client.post(payment_url(due), payment_post(due), follow=True)
    assert "Pembayaran retribusi dicatat" in first.content.decode()
    second = client.post(payment_url(due), payment_post(due), follow=True)
    assert second.status_code == 200
    body = second.content.decode()
    assert "sudah berubah" in body
    assert "Pembayaran retribusi dicatat" not in body
    assert due.events.filter(action=PAID).count() == 1
    assert bill_of(due).reference == "KW-2026-0042"


@pytest.mark.parametrize(
    "role", ["counter", "technical", "supervisor", "head", "auditor", "admin", "applicant"]
)
def test_nobody_but_the_cashier_may_post_a_payment(client, office, due, role):
    client.force_login(user_for(office, role))
    response = client.post(payment_url(due), payment_post(due))
    assert response.status_code in {403, 404}
    assert_unpaid(due)


def test_anonymous_visitors_posting_a_payment_are_sent_to_sign_in(client, office, due):
    response = client.post(payment_url(due), payment_post(due))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert_unpaid(due)


def test_the_payment_url_only_allows_post(client, office, due):
    client.force_login(office.cashier)
    assert client.get(payment_url(due)).status_code == 405


def test_a_file_without_a_bill_has_no_payment(client, office):
    app = walk(office, new_file(office, office.simple_type), Stage.APPROVAL)
    client.force_login(office.cashier)
    response = client.post(payment_url(app), payment_post(app, expected_state=Stage.APPROVAL))
    assert response.status_code == 404
    app.refresh_from_db()
    assert app.state == Stage.APPROVAL


@pytest.mark.parametrize(
    "role", ["cashier", "counter", "technical", "supervisor", "head", "auditor", "admin"]
)
def test_the_file_page_shows_the_bill_and_the_payment_form_only_to_the_cashier(
    client, office, due, role
):
    client.force_login(user_for(office, role))
    response = client.get(file_url(due))
    assert response.status_code == 200
    body = response.content.decode()
    assert bill_of(due).billing_code in body
    assert "Rp150.000" in body
    shows_form = "Catat pembayaran retribusi" in body and payment_url(due) in body
    assert shows_form == (role == "cashier")


def test_the_file_page_offers_no_payment_form_once_paid(client, office, due):
    record(bill_of(due), office.cashier)
    client.force_login(office.cashier)
    body = client.get(file_url(due)).content.decode()
    assert bill_of(due).billing_code in body
    assert "Catat pembayaran retribusi" not in body


# --- the bank's callback ---------------------------------------------------------------------


def test_a_valid_callback_pays_the_bill_as_the_system(bank, office, due):
    bill = bill_of(due)
    client = Client(enforce_csrf_checks=True)  # the bank has no CSRF token
    response = bank_post(client, bank_payload(bill))
    assert response.status_code == 200
    assert response.json()["outcome"] == "accepted"
    bill.refresh_from_db()
    assert bill.status == BillStatus.PAID
    assert (bill.channel, bill.reference) == (PaymentChannel.BANK, "BANK-20261123-0001")
    assert bill.confirmed_by is None
    assert bill.paid_at == datetime.datetime(2026, 11, 23, 10, 15, tzinfo=WIB)
    due.refresh_from_db()
    assert due.state == Stage.APPROVAL
    event = due.events.get(action=PAID)
    assert event.actor is None and event.actor_role == "system"
    assert event.data["billing_code"] == bill.billing_code
    row = BankCallback.objects.get()
    assert (row.outcome, row.reason, row.bill) == (CallbackOutcome.ACCEPTED, "", bill)
    assert row.signature == response.request["HTTP_X_TERANG_SIGNATURE"]
    assert row.ip_address == "127.0.0.1"
    assert json.loads(row.body)["billing_code"] == bill.billing_code


def test_a_callback_without_paid_at_is_paid_now(bank, office, due, plain_client):
    payload = bank_payload(bill_of(due))
    del payload["paid_at"]
    with time_machine.travel(time.time() + 3600, tick=False):
        assert bank_post(plain_client, payload).status_code == 200
        assert bill_of(due).paid_at == timezone.now()


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-headers"),
        pytest.param({"X-Terang-Signature": "0" * 64}, id="no-timestamp"),
        pytest.param({"X-Terang-Timestamp": "NOW"}, id="no-signature"),
        pytest.param({"X-Terang-Timestamp": "NOW", "X-Terang-Signature": "0" * 64}, id="wrong"),
        pytest.param({"X-Terang-Timestamp": "NOW", "X-Terang-Signature": "zz"}, id="garbage"),
    ],
)
def test_a_callback_without_a_right_signature_is_refused(bank, office, due, plain_client, headers):
    headers = {k: str(int(time.time())) if v == "NOW" else v for k, v in headers.items()}
    response = bank_post(plain_client, bank_payload(bill_of(due)), headers=headers)
    assert response.status_code == 401
    assert response.json() == {"outcome": "refused", "reason": "bad signature"}
    assert_unpaid(due)
    row = BankCallback.objects.get()
    assert (row.outcome, row.reason, row.signature, row.bill) == (
        CallbackOutcome.REFUSED,
        "bad signature",
        None,
        None,
    )


def test_a_callback_signed_with_another_secret_is_refused(bank, office, due, plain_client):
    response = bank_post(plain_client, bank_payload(bill_of(due)), secret="tebakan")
    assert response.status_code == 401
    assert_unpaid(due)
    assert last_callback().reason == "bad signature"


def test_a_signature_over_a_different_body_is_refused(bank, office, due, plain_client):
    bill = bill_of(due)
    signed_for = json.dumps(bank_payload(bill, amount=1)).encode()
    sent = json.dumps(bank_payload(bill)).encode()
    response = bank_post(plain_client, body=sent, headers=sign_headers(signed_for))
    assert response.status_code == 401
    assert_unpaid(due)
    assert last_callback().reason == "bad signature"


def test_a_signature_for_another_timestamp_is_refused(bank, office, due, plain_client):
    body = json.dumps(bank_payload(bill_of(due))).encode()
    now = int(time.time())
    headers = sign_headers(body, timestamp=now)
    headers["X-Terang-Timestamp"] = str(now + 1)
    assert bank_post(plain_client, body=body, headers=headers).status_code == 401
    assert_unpaid(due)


def test_a_signature_in_upper_case_hex_is_accepted(bank, office, due, plain_client):
    body = json.dumps(bank_payload(bill_of(due))).encode()
    headers = sign_headers(body)
    headers["X-Terang-Signature"] = headers["X-Terang-Signature"].upper()
    assert bank_post(plain_client, body=body, headers=headers).status_code == 200


def test_a_signed_but_unreadable_timestamp_is_refused(bank, office, due, plain_client):
    response = bank_post(plain_client, bank_payload(bill_of(due)), timestamp="")
    assert response.status_code == 401
    assert response.json()["reason"] == "bad timestamp"
    assert_unpaid(due)
    assert last_callback().outcome == CallbackOutcome.REFUSED


@pytest.mark.parametrize("offset", [-301, 301, -86_400, 86_400])
def test_a_timestamp_outside_the_tolerance_is_refused(bank, office, due, plain_client, offset):
    with time_machine.travel(time.time(), tick=False):
        stamp = int(time.time()) + offset
        response = bank_post(plain_client, bank_payload(bill_of(due)), timestamp=stamp)
    assert response.status_code == 401
    assert response.json()["reason"] == "stale timestamp"
    assert_unpaid(due)
    row = last_callback()
    assert (row.outcome, row.reason, row.timestamp) == (
        CallbackOutcome.REFUSED,
        "stale timestamp",
        stamp,
    )


@pytest.mark.parametrize("offset", [-300, 300])
def test_a_timestamp_at_the_edge_of_the_tolerance_is_accepted(
    bank, office, due, plain_client, offset
):
    with time_machine.travel(int(time.time()), tick=False):  # the bank sends whole seconds
        stamp = int(time.time()) + offset
        response = bank_post(plain_client, bank_payload(bill_of(due)), timestamp=stamp)
    assert response.status_code == 200
    assert last_callback().timestamp == stamp


def test_the_same_signed_request_replayed_is_refused_and_pays_once(bank, office, due, plain_client):
    body = json.dumps(bank_payload(bill_of(due))).encode()
    headers = sign_headers(body)
    assert bank_post(plain_client, body=body, headers=headers).status_code == 200
    paid_at = bill_of(due).paid_at
    replay = bank_post(plain_client, body=body, headers=headers)
    assert replay.status_code == 409
    assert replay.json() == {"outcome": "refused", "reason": "replay"}
    assert BankCallback.objects.filter(outcome=CallbackOutcome.ACCEPTED).count() == 1
    assert last_callback().reason == "replay" and last_callback().signature is None
    assert bill_of(due).paid_at == paid_at
    assert due.events.filter(action=PAID).count() == 1


def test_a_retried_payment_with_a_fresh_signature_is_already_paid(bank, office, due, plain_client):
    payload = bank_payload(bill_of(due))
    assert bank_post(plain_client, payload).status_code == 200
    before = bill_of(due)
    with time_machine.travel(time.time() + 120, tick=False):
        retry = bank_post(plain_client, payload)
    assert retry.status_code == 200
    assert retry.json() == {"outcome": "already_paid", "reason": ""}
    after = bill_of(due)
    assert (after.paid_at, after.reference, after.status) == (
        before.paid_at,
        before.reference,
        BillStatus.PAID,
    )
    assert due.events.filter(action=PAID).count() == 1
    outcomes = sorted(BankCallback.objects.values_list("outcome", flat=True))
    assert outcomes == [CallbackOutcome.ACCEPTED, CallbackOutcome.ALREADY_PAID]
    assert last_callback().bill == after


def test_another_payment_for_a_paid_bill_is_refused(bank, office, due, plain_client):
    record(bill_of(due), office.cashier, reference="KW-1")
    response = bank_post(plain_client, bank_payload(bill_of(due), reference="BANK-2"))
    assert response.status_code == 409
    assert response.json()["reason"] == "bill already paid"
    bill = bill_of(due)
    assert (bill.channel, bill.reference) == (PaymentChannel.CASHIER, "KW-1")
    assert due.events.filter(action=PAID).count() == 1


def test_an_unknown_billing_code_is_not_found(bank, office, due, plain_client):
    code = new_billing_code()
    response = bank_post(plain_client, bank_payload(bill_of(due), billing_code=code))
    assert response.status_code == 404
    assert response.json()["reason"] == "unknown billing code"
    assert_unpaid(due)
    row = last_callback()
    assert (row.outcome, row.bill) == (CallbackOutcome.REFUSED, None)
    assert row.signature  # signed correctly: a replay of it is refused too


def test_a_wrong_amount_from_the_bank_is_refused(bank, office, due, plain_client):
    response = bank_post(plain_client, bank_payload(bill_of(due), amount=FEE - 1000))
    assert response.status_code == 409
    assert "tidak sama dengan tagihan" in response.json()["reason"]
    assert_unpaid(due)
    row = last_callback()
    assert (row.outcome, row.bill) == (CallbackOutcome.REFUSED, bill_of(due))
    assert "tidak sama dengan tagihan" in row.reason


def test_a_callback_for_an_expired_bill_is_refused(bank, office, due, plain_client, settings):
    settings.UNPAID_BILL_EXPIRES_FILE = True
    due_at = bill_of(due).due_at
    with time_machine.travel(due_at + datetime.timedelta(minutes=1), tick=False):
        applications_expire_overdue()
        response = bank_post(plain_client, bank_payload(bill_of(due)))
    assert response.status_code == 409
    assert "kedaluwarsa" in response.json()["reason"]
    assert bill_of(due).status == BillStatus.EXPIRED


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"{not json", id="not-json"),
        pytest.param(b"", id="empty"),
        pytest.param(b"[1, 2]", id="a-list"),
        pytest.param(b"null", id="null"),
        pytest.param(b'{"billing_code": "1", "amount": 1}', id="no-reference"),
        pytest.param(b'{"billing_code": "1", "amount": "lima", "reference": "X"}', id="amount"),
        pytest.param(b'{"billing_code": "1", "amount": 1, "reference": " "}', id="blank-ref"),
        pytest.param(b"\xff\xfegarbage", id="not-utf8"),
    ],
)
def test_a_malformed_body_is_refused(bank, office, due, plain_client, body):
    response = bank_post(plain_client, body=body)
    assert response.status_code == 400
    assert response.json() == {"outcome": "refused", "reason": "malformed body"}
    assert_unpaid(due)
    assert last_callback().reason == "malformed body"


def test_a_malformed_paid_at_is_refused(bank, office, due, plain_client):
    response = bank_post(plain_client, bank_payload(bill_of(due), paid_at="2026-13-45T99:00"))
    assert response.status_code == 400
    assert_unpaid(due)


def test_callbacks_are_refused_while_no_secret_is_configured(bank, office, due, plain_client):
    bank.BANK_CALLBACK_SECRET = ""
    for secret in (SECRET, ""):
        response = bank_post(plain_client, bank_payload(bill_of(due)), secret=secret)
        assert response.status_code == 503
        assert response.json()["reason"] == "callback disabled"
    assert_unpaid(due)
    assert (
        list(BankCallback.objects.values_list("outcome", "reason"))
        == [(CallbackOutcome.REFUSED, "callback disabled")] * 2
    )


def test_a_body_over_64_kb_is_refused(bank, office, due, plain_client):
    payload = bank_payload(bill_of(due), padding="x" * (64 * 1024))
    response = bank_post(plain_client, payload)
    assert response.status_code == 413
    assert response.json()["reason"] == "body too large"
    assert_unpaid(due)


def test_a_body_over_64_kb_is_recorded_too(bank, office, due, plain_client):
    payload = bank_payload(bill_of(due), padding="x" * (64 * 1024))
    assert bank_post(plain_client, payload).status_code == 413
    assert last_callback() is not None
    assert last_callback().outcome == CallbackOutcome.REFUSED


def test_a_non_ascii_signature_is_refused_not_a_crash(bank, office, due):
    client = Client(raise_request_exception=False)
    headers = {"X-Terang-Timestamp": str(int(time.time())), "X-Terang-Signature": "é" * 64}
    response = bank_post(client, bank_payload(bill_of(due)), headers=headers)
    assert response.status_code == 401
    assert last_callback().reason == "bad signature"


def test_a_reference_longer_than_the_field_is_refused_and_recorded(bank, office, due):
    client = Client(raise_request_exception=False)
    response = bank_post(client, bank_payload(bill_of(due), reference="R" * 100))
    assert response.status_code in {400, 409}
    assert_unpaid(due)
    assert last_callback().outcome == CallbackOutcome.REFUSED


def test_a_fractional_amount_is_not_rounded_into_a_match(bank, office, due, plain_client):
    response = bank_post(plain_client, bank_payload(bill_of(due), amount=FEE + 0.9))
    assert response.status_code in {400, 409}
    assert_unpaid(due)


def test_the_payment_and_callback_urls_are_where_cashier_and_bank_expect_them(office, due):
    assert reverse("issuance:bank_callback") == CALLBACK_URL
    assert payment_url(due) == f"/kantor/berkas/{due.public_id}/bayar/"


def test_the_callback_only_allows_post(bank, plain_client):
    assert plain_client.get(CALLBACK_URL).status_code == 405


# --- two callbacks at once (PostgreSQL) --------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_callback_sent_twice_at_once_pays_once(bank, office):
    app = billed(office)
    body = json.dumps(bank_payload(bill_of(app))).encode()
    headers = sign_headers(body)
    results = post_together([(body, headers), (body, headers)])
    assert sorted(status for status, _ in results) == [200, 409]
    assert {json["outcome"] for _, json in results} == {"accepted", "refused"}
    assert BankCallback.objects.count() == 2
    assert BankCallback.objects.filter(outcome=CallbackOutcome.ACCEPTED).count() == 1
    assert bill_of(app).status == BillStatus.PAID
    assert app.events.filter(action=PAID).count() == 1
    app.refresh_from_db()
    assert app.state == Stage.APPROVAL


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_different_callbacks_for_one_bill_at_once_pay_once(bank, office):
    app = billed(office)
    bill = bill_of(app)
    bodies = [json.dumps(bank_payload(bill, reference=ref)).encode() for ref in ("B-1", "B-2")]
    results = post_together([(body, sign_headers(body)) for body in bodies])
    assert sorted(status for status, _ in results) == [200, 409]
    accepted = BankCallback.objects.get(outcome=CallbackOutcome.ACCEPTED)
    assert BankCallback.objects.count() == 2
    bill.refresh_from_db()
    assert bill.status == BillStatus.PAID
    assert bill.reference == json.loads(accepted.body)["reference"]
    assert app.events.filter(action=PAID).count() == 1


@pytest.mark.postgres
def test_a_body_with_a_nul_byte_is_refused_not_a_crash(bank, office, due):
    client = Client(raise_request_exception=False)
    response = bank_post(client, body=b'{"billing_code": "\x00"}', headers={})
    assert response.status_code == 401
    assert last_callback().reason == "bad signature"


def test_a_payment_for_a_held_file_asks_the_bank_to_retry_and_lands_after_release(
    bank, office, due, plain_client
):
    from integrity.conflicts.services.cases import case_decide, case_open, case_review

    case = case_open(
        application=due,
        officer=office.cashier,
        actor=act(office.supervisor),
        origin="supervisor",
        note="Kasir bersaudara dengan pemohon.",
    )
    held = bank_post(plain_client, bank_payload(bill_of(due)))
    assert held.status_code == 503 and held.json()["reason"] == "file on hold; retry later"
    assert_unpaid(due)
    case = case_review(
        case=case,
        actor=act(case.reviewer),
        real=False,
        impact="",
        recommendation="",
        note="Bukan saudara.",
    )
    case_decide(
        case=case,
        actor=act(office.head),
        decision="no_conflict",
        measure="",
        reason="Tidak ada hubungan keluarga.",
    )
    # The bank sends it again later: a fresh timestamp, so a fresh signature (not a replay).
    retried = bank_post(plain_client, bank_payload(bill_of(due)), timestamp=int(time.time()) + 5)
    assert retried.status_code == 200 and bill_of(due).status == BillStatus.PAID
