"""What the applicant is told at each step, through the outbox, in their language and channel."""

import datetime
import zoneinfo

import pytest
import time_machine

from outbox.models import Channel, Message
from permits.models import Stage
from permits.tasks import send_sla_reminders
from tests.factories import fire, new_file, return_file, walk

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db


@pytest.fixture
def reachable(office):
    office.applicant.email = "siti@contoh.id"
    office.applicant.save()
    return office


def told(app, kind):
    return Message.objects.get(application=app, kind=kind)


def test_submitting_tells_the_applicant_it_was_received_with_the_tracking_link(reachable):
    app = walk(reachable, new_file(reachable), Stage.SUBMITTED)
    message = told(app, "file.received")
    assert message.channel == Channel.EMAIL and message.address == "siti@contoh.id"
    assert message.subject == f"Berkas {app.registration_number} diterima"
    assert app.tracking_code in message.body
    assert f"http://127.0.0.1:8000/lacak/{app.tracking_code}/" in message.body


def test_a_return_lists_what_is_missing_and_the_deadline(reachable):
    app = return_file(reachable, walk(reachable, new_file(reachable), Stage.VERIFICATION))
    message = told(app, "file.returned")
    assert "perlu dilengkapi" in message.subject
    assert "STR sudah habis masa berlakunya." in message.body
    assert "Lengkapi paling lambat" in message.body


def test_entering_payment_asks_for_the_official_fee_only(reachable):
    app = walk(reachable, new_file(reachable), Stage.AWAITING_PAYMENT)
    message = told(app, "file.payment_requested")
    assert "Rp150.000" in message.body and "tidak ada biaya lain" in message.body


def test_signing_tells_the_applicant_once_the_signed_permit_exists(
    reachable, signing_ca, django_capture_on_commit_callbacks
):
    app = walk(reachable, new_file(reachable, reachable.simple_type), Stage.SIGNING)
    with django_capture_on_commit_callbacks(execute=True):
        app = fire(app, "sign", app.assigned_to)
    assert "sudah terbit" in told(app, "file.issued").subject
    assert app.permit.number in told(app, "file.issued").body
    kinds = list(Message.objects.filter(application=app).values_list("kind", flat=True))
    # The survey invitation follows once the permit is in hand (public.receivers).
    assert sorted(kinds) == ["file.issued", "file.received", "survey.invitation"]


def test_no_issued_message_before_the_signed_pdf(reachable):
    app = walk(reachable, new_file(reachable, reachable.simple_type), Stage.ISSUED)
    assert not Message.objects.filter(application=app, kind="file.issued").exists()


def test_a_rejection_gives_the_reason_and_legal_basis(reachable):
    app = walk(reachable, new_file(reachable, reachable.simple_type), Stage.APPROVAL)
    fire(app, "reject", app.assigned_to, reason="Tidak layak.", legal_basis="Perda 1/2024")
    body = told(app, "file.rejected").body
    assert "Tidak layak." in body and "Perda 1/2024" in body


def test_a_walk_in_applicant_without_an_account_is_reached_on_the_files_phone(office):
    app = walk(office, new_file(office, online=False), Stage.SUBMITTED)
    message = told(app, "file.received")
    assert message.recipient is None
    assert (message.channel, message.address) == (Channel.SMS, "+6281234567890")


def test_the_applicants_language_and_channel_are_honoured(office):
    office.applicant.language = "en"
    office.applicant.phone = "+6281111111111"
    office.applicant.contact_channel = "whatsapp"
    office.applicant.save()
    app = walk(office, new_file(office), Stage.SUBMITTED)
    message = told(app, "file.received")
    assert message.channel == Channel.WHATSAPP and message.address == "+6281111111111"
    assert message.subject == f"File {app.registration_number} received"
    assert office.simple_type.name_en in message.body or office.full_type.name_en in message.body


def test_staff_steps_that_do_not_concern_the_applicant_send_nothing(reachable):
    app = walk(reachable, new_file(reachable), Stage.VERIFICATION)
    assert list(Message.objects.filter(application=app).values_list("kind", flat=True)) == [
        "file.received"
    ]


def test_a_late_file_earns_the_applicant_one_apology_with_a_new_date(reachable):
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, tzinfo=WIB), tick=False):
        app = walk(reachable, new_file(reachable, reachable.simple_type), Stage.APPROVAL)
    with time_machine.travel(datetime.datetime(2026, 11, 5, 11, tzinfo=WIB), tick=False):
        send_sla_reminders.delay().get()
        send_sla_reminders.delay().get()
    message = told(app, "file.late")
    assert message.subject == f"Maaf, berkas {app.registration_number} terlambat"
    assert "Kamis, 5 November 2026" in message.body  # the promise
    assert "Senin, 9 November 2026" in message.body  # two working days on


def test_the_message_is_written_in_the_transitions_transaction(reachable):
    """A transition refused half-way leaves no message behind."""
    from permits.services.context import ActionRefused

    app = walk(reachable, new_file(reachable), Stage.SUBMITTED)
    before = Message.objects.count()
    with pytest.raises(ActionRefused):
        fire(app, "begin_verification", app.assigned_to, expected_state=Stage.VERIFICATION)
    assert Message.objects.count() == before
