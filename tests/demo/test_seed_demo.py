import re

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Role, User
from api.models import Partner
from demo.services import DEMO_PASSWORD
from permits.models import Application
from tests.api.conftest import basic

pytestmark = pytest.mark.django_db


def test_it_creates_a_user_for_every_role_and_prints_them(catalogue, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo", files=0)
    out = capsys.readouterr().out
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    technical_units = set(
        User.objects.filter(role=Role.TECHNICAL).values_list("unit__code", flat=True)
    )
    assert len(technical_units) >= 2
    assert DEMO_PASSWORD in out
    # Every person; the demo partner's account came with its registration, never with a
    # password (it calls the API with its client credentials, below).
    for user in User.objects.exclude(role=Role.PARTNER):
        assert user.username in out
        assert user.check_password(DEMO_PASSWORD)
    assert not User.objects.get(role=Role.PARTNER).has_usable_password()


def test_the_printed_partner_credentials_read_a_demo_file_through_the_api(
    catalogue, settings, capsys, client
):
    settings.DEBUG = True
    call_command("seed_demo", files=3)
    call_command("seed_demo", files=0)  # run again: the same credentials hold
    out = capsys.readouterr().out.split("Partners' API")[-1]
    client_id = re.search(r"client id +(\S+)", out).group(1)
    secret = re.search(r"client secret +(\S+)", out).group(1)
    answer = client.post(
        "/api/v1/oauth/token/",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=basic(client_id, secret),
    )
    assert answer.status_code == 200, answer.content
    token = f"Bearer {answer.json()['access_token']}"
    number = Application.objects.exclude(registration_number=None).first().registration_number
    status = client.get(f"/api/v1/applications/{number}/", HTTP_AUTHORIZATION=token)
    assert status.status_code == 200
    assert status.json()["registration_number"] == number
    assert Partner.objects.filter(active=True).count() == 1


def test_staff_have_a_direct_supervisor_up_to_the_head(catalogue, settings):
    settings.DEBUG = True
    call_command("seed_demo", files=0)
    for user in User.objects.filter(role__in=[Role.COUNTER, Role.TECHNICAL, Role.CASHIER]):
        assert user.supervisor is not None
        assert user.supervisor.role == Role.SUPERVISOR
    assert User.objects.get(username="atasan").supervisor.role == Role.HEAD


def test_running_it_again_changes_nothing(catalogue, settings):
    settings.DEBUG = True
    call_command("seed_demo", files=0)
    history = User.history.count()
    call_command("seed_demo", files=0)
    assert User.history.count() == history


def test_only_the_administrator_can_open_the_admin(catalogue, settings):
    settings.DEBUG = True
    call_command("seed_demo", files=0)
    assert list(User.objects.filter(is_staff=True).values_list("role", flat=True)) == [Role.ADMIN]


def test_it_refuses_to_run_with_debug_off(catalogue, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo", files=0)
    assert not User.objects.exists()


def test_it_asks_for_the_catalogue_first(db, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="load_catalogue"):
        call_command("seed_demo", files=0)


def test_it_replays_files_in_every_stage_through_the_real_services(catalogue, settings):
    from collections import Counter

    from permits.models import Application, Stage
    from permits.sla import ClockState

    settings.DEBUG = True
    call_command("seed_demo", files=14)
    states = Counter(Application.objects.values_list("state", flat=True))
    for stage in [
        Stage.SUBMITTED,
        Stage.VERIFICATION,
        Stage.RETURNED,
        Stage.TECHNICAL_REVIEW,
        Stage.APPROVAL,
        Stage.ISSUED,
        Stage.REJECTED,
    ]:
        assert states[stage] >= 1, stage
    clocks = {a.clock.state for a in Application.objects.select_related("permit_type")}
    assert ClockState.NOT_STARTED in clocks
    assert clocks & {ClockState.LATE, ClockState.ON_TIME, ClockState.DUE_SOON}
    assert all(a.events.exists() for a in Application.objects.all())
    # The technical team at work: an agency still asked on a file in review, answers signed
    # off on the files past it.
    from permits.models import Recommendation

    waiting = Recommendation.objects.filter(
        signed_at__isnull=True, application__state=Stage.TECHNICAL_REVIEW
    )
    assert waiting.exists()
    assert Recommendation.objects.filter(signed_at__isnull=False).exists()
    # The field inspection: every file that reached inspection has its visit with a team of
    # two; those past it went at an agreed time, before the inspection was finished.
    from permits.event_names import APPLICATION_INSPECTED
    from permits.models import SiteVisit, VisitStatus

    visited = Application.objects.filter(events__action=APPLICATION_INSPECTED).distinct()
    assert visited.exists()
    for app in visited:
        visit = SiteVisit.objects.get(application=app)
        assert visit.status == VisitStatus.SIGNED and visit.members.count() == 2
        assert visit.findings.exists() and visit.applicant_signed_at is not None
        assert visit.photos.filter(time_mismatch=False).exists()
        finished = app.events.get(action=APPLICATION_INSPECTED).created_at
        assert visit.appointment_at <= finished
    assert SiteVisit.objects.filter(application__state=Stage.INSPECTION).exists()
