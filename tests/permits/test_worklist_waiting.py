"""The worklist shows since when a file waits for its completeness check (in WIB) and by when
that check is due, puts who waited longest first, and filters overdue checks as late."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from permits.models import Stage
from tests.factories import fire, new_file, return_file, walk

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db


def at(*args):
    return datetime.datetime(*args, tzinfo=WIB)


@pytest.fixture
def one_counter(office):
    office.counter2.is_active = False  # every file goes to office.counter
    office.counter2.save()
    return office


def submitted(office, moment):
    with time_machine.travel(moment, tick=False):
        return walk(office, new_file(office, office.simple_type), Stage.SUBMITTED)


def rows(body):
    return body.split("<tbody>")[1].split("</tbody>")[0].split("<tr")[1:]


def test_the_worklist_says_since_when_a_file_waits_in_local_time(client, one_counter):
    office = one_counter
    app = submitted(office, at(2026, 11, 13, 14, 5))  # Friday 14.05 WIB = 07.05 UTC
    client.force_login(office.counter)
    with time_machine.travel(at(2026, 11, 16, 9), tick=False):
        body = client.get(reverse("backoffice:worklist")).content.decode()
    assert "Menunggu sejak" in body
    (row,) = rows(body)
    assert app.registration_number in row
    assert '<time datetime="2026-11-13T14:05:00+07:00">13 Nov 2026, 14.05</time>' in row
    assert "Periksa sebelum 16 Nov 2026, 14.05" in row
    assert "SOP belum berjalan" not in row


def test_an_overdue_check_reads_late_and_is_filtered_as_late(client, one_counter):
    office = one_counter
    overdue = submitted(office, at(2026, 11, 13, 14, 5))
    fresh = submitted(office, at(2026, 11, 16, 10))
    client.force_login(office.counter)
    url = reverse("backoffice:worklist")
    with time_machine.travel(at(2026, 11, 16, 14, 6), tick=False):
        body = client.get(url).content.decode()
        late = client.get(url, {"sla": "late"}).content.decode()
        soon = client.get(url, {"sla": "due_soon"}).content.decode()
    assert "Lewat batas periksa 16 Nov 2026, 14.05" in body
    assert overdue.registration_number in late and fresh.registration_number not in late
    assert overdue.registration_number not in soon and fresh.registration_number not in soon
    with time_machine.travel(at(2026, 11, 17, 8, 30), tick=False):  # due at 10.00
        soon = client.get(url, {"sla": "due_soon"}).content.decode()
    assert fresh.registration_number in soon


def test_who_waited_longest_comes_first_a_resubmission_waiting_since_its_return(
    client, one_counter
):
    office = one_counter
    with time_machine.travel(at(2026, 11, 9, 9), tick=False):
        back = walk(office, new_file(office, office.simple_type), Stage.VERIFICATION)
        back = return_file(office, back)
    first = submitted(office, at(2026, 11, 10, 9))
    second = submitted(office, at(2026, 11, 10, 11))
    with time_machine.travel(at(2026, 11, 10, 10), tick=False):
        back = fire(back, "resubmit", office.applicant)
    client.force_login(office.counter)
    body = client.get(reverse("backoffice:worklist")).content.decode()
    numbers = [
        next(a.registration_number for a in (first, second, back) if a.registration_number in r)
        for r in rows(body)
    ]
    # Submitted first of all, but waiting only since its resubmission at 10.00.
    assert numbers == [
        first.registration_number,
        back.registration_number,
        second.registration_number,
    ]


def test_a_file_past_its_check_shows_its_sop_clock_again(client, one_counter):
    office = one_counter
    with time_machine.travel(at(2026, 11, 16, 9), tick=False):
        app = walk(office, new_file(office, office.simple_type), Stage.APPROVAL)
    client.force_login(app.assigned_to)
    with time_machine.travel(at(2026, 11, 16, 10), tick=False):
        (row,) = rows(client.get(reverse("backoffice:worklist")).content.decode())
    assert "—" in row and "sla--on_time" in row


@pytest.mark.parametrize("count", [5, 60])
def test_the_counters_worklist_runs_a_fixed_number_of_queries(
    client, one_counter, count, django_assert_max_num_queries
):
    office = one_counter
    for i in range(count):
        app = submitted(office, at(2026, 11, 16, 9) + datetime.timedelta(minutes=i))
        if i % 3 == 0:
            with time_machine.travel(at(2026, 11, 16, 10), tick=False):
                app = walk(office, app, Stage.VERIFICATION)
                app = return_file(office, app)
                fire(app, "resubmit", office.applicant)
    client.force_login(office.counter)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("backoffice:worklist"))
    assert response.status_code == 200
    assert response.content.decode().count("Periksa sebelum") + response.content.decode().count(
        "Lewat batas periksa"
    ) == min(count, 25)


def test_the_file_page_shows_since_when_the_file_waits_and_its_check_deadline(client, one_counter):
    office = one_counter
    app = submitted(office, at(2026, 11, 13, 14, 5))
    client.force_login(office.counter)
    with time_machine.travel(at(2026, 11, 16, 14, 6), tick=False):
        body = client.get(reverse("backoffice:file", args=[app.public_id])).content.decode()
    head = body.split('<header class="file-head">')[1].split("</header>")[0]
    assert "Menunggu sejak" in head and "13 Nov 2026, 14.05" in head
    assert "Lewat batas periksa 16 Nov 2026, 14.05" in head
    assert "SOP belum berjalan" not in head
