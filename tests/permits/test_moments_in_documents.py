"""Moments in what leaves the office: the receipt PDF (rendered by a worker) and the
applicant's messages (rendered by the outbox) read local time (WIB) in the applicant's
language, also before 07.00 WIB, when the UTC date is still the day before."""

import datetime
import subprocess
import zoneinfo

import pytest
import time_machine

from issuance.models import Bill
from outbox.models import Message
from permits.models import Stage
from permits.receipt import receipt_render
from tests.factories import new_file, walk

pytestmark = pytest.mark.django_db
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
SUNDAY_NIGHT_UTC = datetime.datetime(2026, 12, 6, 23, 30, tzinfo=datetime.UTC)  # Mon 06.30 WIB
MONTHS = {
    "id": [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}


def words(moment: datetime.datetime, language: str) -> str:
    """ "7 Desember 2026, 06.30", worked out here rather than by the product."""
    local = moment.astimezone(WIB)
    return f"{local.day} {MONTHS[language][local.month - 1]} {local.year}, {local:%H.%M}"


@pytest.mark.parametrize(
    ("language", "submitted", "printed"),
    [
        ("id", "Senin, 7 Desember 2026, 06.30", "Dicetak 7 Desember 2026, 06.30."),
        ("en", "Monday, 7 December 2026, 06.30", "Printed 7 December 2026, 06.30."),
    ],
)
def test_the_receipt_pdf_tells_the_local_submission_time(
    office, tmp_path, language, submitted, printed
):
    office.applicant.language = language
    office.applicant.save()
    with time_machine.travel(SUNDAY_NIGHT_UTC, tick=False):
        app = walk(office, new_file(office), Stage.SUBMITTED)
        receipt_render(app)
    pdf = tmp_path / "receipt.pdf"
    pdf.write_bytes(app.receipt_pdf.read())
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(text.split())
    assert submitted in text and printed in text
    assert "23.30" not in text and "6 Des" not in text


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_payment_message_tells_the_local_due_time(office, language):
    office.applicant.language = language
    office.applicant.email = "siti@contoh.id"
    office.applicant.save()
    with time_machine.travel(SUNDAY_NIGHT_UTC, tick=False):
        app = walk(office, new_file(office), Stage.AWAITING_PAYMENT)
    due = Bill.objects.get(application=app).due_at
    body = Message.objects.get(application=app, kind="file.payment_requested").body
    assert words(due, language) in body, body
    assert f"{due.astimezone(datetime.UTC):%H.%M}" not in body  # not the stored UTC time
