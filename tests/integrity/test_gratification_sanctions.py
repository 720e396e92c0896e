"""Gratification reports with their KPK deadline, and the sanctions register (PP 94/2021)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from integrity.conflicts.services.gratification import (
    gratification_kpk_reported,
    gratification_report,
)
from integrity.conflicts.services.sanctions import sanction_record
from integrity.models import GratificationReport, Sanction
from outbox.models import Message
from permits.models import Stage
from permits.services.context import ActionRefused
from tests.factories import act, new_file, walk

pytestmark = pytest.mark.django_db
GRATIFICATIONS = "/kantor/integritas/gratifikasi/"
SANCTIONS = "/kantor/integritas/sanksi/"


def report(office, **overrides):
    data = {
        "what": "Amplop berisi uang",
        "estimated_value": 500_000,
        "giver": "Kuasa pemohon",
        "accepted": True,
        "received_on": datetime.date(2026, 11, 23),
    }
    data.update(overrides)
    return gratification_report(actor=act(office.counter), **data)


def test_a_report_counts_30_working_days_to_the_kpk_and_tells_the_inspectorate(office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    made = report(office, application=app)
    # From Monday 23 November 2026: 30 working days, skipping the Christmas cuti bersama
    # (24 December), Christmas, New Year and Isra Mikraj (5 January).
    assert made.kpk_due == datetime.date(2027, 1, 8)
    assert app.events.filter(action="integrity.gratification_reported").exists()
    message = Message.objects.get(kind="integrity.gratification", recipient=office.auditor)
    assert "Amplop berisi uang" in message.body and "Rp500.000" in message.body
    assert made.history.first().history_user == office.counter


def test_the_kpk_report_is_recorded_by_the_officer_or_the_inspectorate_only(office):
    made = report(office)
    with pytest.raises(PermissionDenied):
        gratification_kpk_reported(
            report=made, actor=act(office.counter2), reported_on=made.received_on, reference="X"
        )
    with pytest.raises(ActionRefused):
        gratification_kpk_reported(
            report=made, actor=act(office.counter), reported_on=made.received_on, reference=" "
        )
    done = gratification_kpk_reported(
        report=made, actor=act(office.auditor), reported_on=made.received_on, reference="KPK/1"
    )
    assert done.kpk_reference == "KPK/1" and not done.kpk_overdue


def test_a_future_date_and_a_non_staff_reporter_are_refused(office):
    with pytest.raises(ActionRefused):
        report(office, received_on=datetime.date(2099, 1, 1))
    with pytest.raises(PermissionDenied):
        gratification_report(
            actor=act(office.applicant),
            what="x",
            estimated_value=1,
            giver="y",
            accepted=False,
            received_on=datetime.date(2026, 11, 23),
        )


def test_officers_see_their_own_reports_and_auditors_all(client, office):
    mine = report(office)
    other = report(office, what="Parsel lebaran")
    GratificationReport.objects.filter(pk=other.pk).update(officer=office.counter2)
    client.force_login(office.counter)
    body = client.get(GRATIFICATIONS).content.decode()
    assert mine.what in body and "Parsel lebaran" not in body
    client.force_login(office.auditor)
    body = client.get(GRATIFICATIONS).content.decode()
    assert mine.what in body and "Parsel lebaran" in body
    client.force_login(office.applicant)
    assert client.get(GRATIFICATIONS).status_code == 403


def test_reporting_through_the_page_keeps_bad_input(client, office):
    client.force_login(office.technical)
    response = client.post(
        GRATIFICATIONS,
        {
            "what": "Makan malam",
            "estimated_value": "-5",
            "giver": "Pemohon",
            "accepted": "0",
            "received_on": "2026-11-20",
        },
    )
    assert response.status_code == 400
    assert "Makan malam" in response.content.decode()
    response = client.post(
        GRATIFICATIONS,
        {
            "what": "Makan malam",
            "estimated_value": "250000",
            "giver": "Pemohon",
            "accepted": "0",
            "received_on": "2026-11-20",
            "registration_number": "MPP-2026-999999",
        },
    )
    assert response.status_code == 400 and "tidak ditemukan" in response.content.decode()
    response = client.post(
        GRATIFICATIONS,
        {
            "what": "Makan malam",
            "estimated_value": "250000",
            "giver": "Pemohon",
            "accepted": "0",
            "received_on": "2026-11-20",
        },
    )
    assert response.status_code == 302
    assert GratificationReport.objects.get().officer == office.technical


def sanction(office, actor, **overrides):
    data = {
        "level": "medium",
        "kind": "allowance_cut_6",
        "legal_basis": "PP 94/2021 pasal 8 ayat (3) huruf a",
        "decided_by": "Bupati Sukamaju",
        "decided_on": datetime.date(2026, 11, 20),
        "description": "Menerima gratifikasi tanpa melapor.",
    }
    data.update(overrides)
    return sanction_record(actor=act(actor), officer=office.counter, **data)


def test_sanctions_are_recorded_by_the_head_or_the_inspectorate_with_a_matching_level(office):
    assert sanction(office, office.auditor).officer == office.counter
    with pytest.raises(ActionRefused, match="tidak sesuai tingkatnya"):
        sanction(office, office.head, level="light", kind="dismissal")
    for who in (office.supervisor, office.counter2, office.cashier):
        with pytest.raises(PermissionDenied):
            sanction(office, who)
    assert Sanction.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("counter", True),
        ("counter2", False),
        ("supervisor", True),
        ("auditor", True),
        ("head", True),
        ("technical", False),
    ],
)
def test_the_register_is_seen_by_the_officer_supervisors_and_auditors_only(
    client, office, who, sees
):
    sanction(office, office.auditor)
    client.force_login(getattr(office, who))
    body = client.get(SANCTIONS).content.decode()
    assert ("Bupati Sukamaju" in body) is sees


def test_the_sanctions_page_refuses_applicants_and_recording_by_others(client, office):
    client.force_login(office.applicant)
    assert client.get(SANCTIONS).status_code == 403
    client.force_login(office.counter)
    assert client.post(SANCTIONS, {"officer": office.counter2.pk}).status_code == 403
    assert client.get(SANCTIONS).status_code == 200


def test_the_appeal_outcome_is_recorded_by_the_head_or_inspectorate_with_history(client, office):
    made = sanction(office, office.auditor)
    url = f"{SANCTIONS}{made.public_id}/banding/"
    client.force_login(office.counter)
    assert client.post(url, {"appeal_status": "filed"}).status_code == 403
    client.force_login(office.head)
    assert client.post(url, {"appeal_status": "bogus"}).status_code == 302
    made.refresh_from_db()
    assert made.appeal_status == "none"
    client.post(url, {"appeal_status": "overturned"})
    made.refresh_from_db()
    assert made.appeal_status == "overturned"
    assert made.history.first().history_user == office.head
