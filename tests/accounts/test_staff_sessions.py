"""Staff sessions end after 30 minutes idle and after one working day (issue 16, point 10);
applicants keep their long sessions."""

import datetime as dt
from urllib.parse import quote

import pytest
import time_machine

from accounts.models import Role

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)  # 08.00 in Jakarta
WORKLIST = "/kantor/"


@pytest.fixture
def officer(client, make_user):
    client.force_login(make_user(Role.COUNTER, username="andi"))
    return client


def signed_in(client) -> bool:
    return client.get(WORKLIST).status_code == 200


def test_29_idle_minutes_keep_the_session_31_end_it_with_a_plain_message(officer):
    with time_machine.travel(START, tick=False) as clock:
        assert signed_in(officer)
        clock.shift(dt.timedelta(minutes=29))
        assert signed_in(officer)
        clock.shift(dt.timedelta(minutes=31))
        response = officer.get(WORKLIST + "?q=izin")
        assert response.status_code == 302
        assert response["Location"] == f"/akun/masuk/?next={quote('/kantor/?q=izin', safe='/')}"
        page = officer.get(response["Location"]).content.decode()
    assert "Sesi Anda berakhir karena tidak aktif selama 30 menit" in page
    assert "_auth_user_id" not in officer.session


def test_a_busy_officer_is_signed_out_after_the_working_day(officer):
    with time_machine.travel(START, tick=False) as clock:
        assert signed_in(officer)
        for _ in range(35):  # active every quarter of an hour: 8 h 45 min
            clock.shift(dt.timedelta(minutes=15))
            assert signed_in(officer)
        clock.shift(dt.timedelta(minutes=15))  # exactly nine hours: still allowed
        assert signed_in(officer)
        clock.shift(dt.timedelta(minutes=1))
        response = officer.get(WORKLIST)
        assert response.status_code == 302
        page = officer.get(response["Location"]).content.decode()
    assert "Sesi Anda berakhir setelah 9 jam" in page


def test_the_limits_are_settings(officer, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 5
    with time_machine.travel(START, tick=False) as clock:
        assert signed_in(officer)
        clock.shift(dt.timedelta(minutes=6))
        response = officer.get(WORKLIST)
        assert response.status_code == 302
        assert "tidak aktif selama 5 menit" in officer.get(response["Location"]).content.decode()


def test_auditors_and_administrators_are_staff_too(client, make_user):
    auditor = make_user(Role.AUDITOR, username="inspektur")
    client.force_login(auditor)
    with time_machine.travel(START, tick=False) as clock:
        client.get("/")
        clock.shift(dt.timedelta(minutes=31))
        client.get("/")
    assert "_auth_user_id" not in client.session


def test_an_applicant_keeps_a_long_session(client, make_user):
    siti = make_user(Role.APPLICANT, username="siti")
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(siti)
        client.get("/akun/profil/")
        clock.shift(dt.timedelta(days=3))
        assert client.get("/akun/profil/").status_code == 200
    assert client.session.get_expiry_age() > 13 * 24 * 3600
