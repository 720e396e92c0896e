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


@pytest.fixture(autouse=True)
def _limits(settings):
    """The project's defaults (tests elsewhere run without limits)."""
    from portal import settings as project

    settings.STAFF_SESSION_IDLE_MINUTES = project.STAFF_SESSION_IDLE_MINUTES
    settings.STAFF_SESSION_MAX_HOURS = project.STAFF_SESSION_MAX_HOURS


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def signed_in_as(client, make_user, role):
    client.force_login(make_user(role, username=f"staf-{role}"))
    return client


def signed_in(client) -> bool:
    return client.get(WORKLIST).status_code == 200


def test_the_defaults_are_half_an_hour_idle_and_a_working_day(settings):
    assert (settings.STAFF_SESSION_IDLE_MINUTES, settings.STAFF_SESSION_MAX_HOURS) == (30, 9)


def test_29_idle_minutes_keep_the_session_31_end_it_with_a_plain_message(clock, client, make_user):
    officer = signed_in_as(client, make_user, Role.COUNTER)
    clock.shift(dt.timedelta(minutes=29))
    assert signed_in(officer)
    clock.shift(dt.timedelta(minutes=31))
    response = officer.get(WORKLIST + "?q=izin")
    assert response.status_code == 302
    assert response["Location"] == f"/akun/masuk/?next={quote('/kantor/?q=izin', safe='/')}"
    page = officer.get(response["Location"]).content.decode()
    assert "Sesi Anda berakhir karena tidak aktif selama 30 menit" in page
    assert "_auth_user_id" not in officer.session


def test_a_busy_officer_is_signed_out_after_the_working_day(clock, client, make_user):
    officer = signed_in_as(client, make_user, Role.COUNTER)
    for _ in range(36):  # active every quarter of an hour: exactly nine hours
        clock.shift(dt.timedelta(minutes=15))
        assert signed_in(officer)
    clock.shift(dt.timedelta(minutes=1))
    response = officer.get(WORKLIST)
    assert response.status_code == 302
    page = officer.get(response["Location"]).content.decode()
    assert "Sesi Anda berakhir setelah 9 jam" in page


def test_the_limits_are_settings(clock, client, make_user, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 5
    officer = signed_in_as(client, make_user, Role.COUNTER)
    clock.shift(dt.timedelta(minutes=6))
    response = officer.get(WORKLIST)
    assert response.status_code == 302
    assert "tidak aktif selama 5 menit" in officer.get(response["Location"]).content.decode()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMIN, Role.HEAD])
def test_auditors_heads_and_administrators_are_staff_too(clock, client, make_user, role):
    person = signed_in_as(client, make_user, role)
    person.get("/")
    clock.shift(dt.timedelta(minutes=31))
    person.get("/")
    assert "_auth_user_id" not in person.session


def test_an_applicant_keeps_a_long_session(clock, client, make_user):
    client.force_login(make_user(Role.APPLICANT, username="siti"))
    clock.shift(dt.timedelta(days=3))
    assert client.get("/akun/profil/").status_code == 200
    assert client.session.get_expiry_age() > 13 * 24 * 3600
