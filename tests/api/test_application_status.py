"""A file's status for partners (issue 21.3, ``applications:read``): the tracking page's
facts (stage, SOP clock, findings to fix, public timeline) in office time, masked the same
way; only for the files the partner created, or every file for the service bus."""

from __future__ import annotations

import pytest

from api.models import ApiCall, PartnerFile
from permits.models import Stage
from tests.factories import hold, new_file, return_file, submitted, walk

pytestmark = pytest.mark.django_db


def url(app) -> str:
    return f"/api/v1/applications/{app.registration_number}/"


def test_the_service_bus_reads_a_files_stage_clock_and_timeline(client, bearer, office):
    _bus, token = bearer(scopes=("applications:read",), kind="bus", reads_all_files=True)
    app = walk(office, new_file(office, office.simple_type), Stage.APPROVAL)
    answer = client.get(url(app), HTTP_AUTHORIZATION=token)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["registration_number"], body["stage"], body["stage_label"]) == (
        app.registration_number,
        "approval",
        "Persetujuan",
    )
    assert body["finished"] is False and body["permit_type"] == office.simple_type.code
    assert body["sop"]["state"] in ("on_time", "due_soon")
    assert body["sop"]["deadline"].endswith("+07:00")
    assert body["applicant"] != app.applicant_name and "Rahmawati" not in body["applicant"]
    labels = [step["label"] for step in body["timeline"]]
    assert labels and all(step["at"].endswith("+07:00") for step in body["timeline"])
    page = client.get(f"/lacak/{app.tracking_code}/").content.decode()
    assert all(label in page for label in labels)  # the tracking page's own words


def test_a_returned_file_lists_what_to_fix(client, bearer, office):
    _bus, token = bearer(scopes=("applications:read",), reads_all_files=True)
    app = walk(office, new_file(office, office.simple_type), Stage.VERIFICATION)
    return_file(office, app)
    body = client.get(url(app), HTTP_AUTHORIZATION=token).json()
    assert body["stage"] == "returned" and body["sop"]["state"] in ("paused", "not_started")
    [finding] = body["findings"]
    assert (finding["verdict"], finding["note"]) == (
        "Tidak sah",
        "STR sudah habis masa berlakunya.",
    )
    assert finding["requirement"] == app.checks.get(requirement__code="STR").requirement.name_id


def test_a_partner_reads_its_own_files_and_no_other(client, bearer, office):
    partner, token = bearer(scopes=("applications:read",))
    mine, other = submitted(office), submitted(office)
    PartnerFile.objects.create(partner=partner, application=mine)
    assert client.get(url(mine), HTTP_AUTHORIZATION=token).status_code == 200
    refused = client.get(url(other), HTTP_AUTHORIZATION=token)
    unknown = client.get("/api/v1/applications/MPP-2099-999999/", HTTP_AUTHORIZATION=token)
    # Another's file and a number that does not exist read the same: nothing is told.
    assert refused.status_code == unknown.status_code == 404
    assert refused.json() == {**unknown.json(), "instance": refused.json()["instance"]}
    outcomes = list(ApiCall.objects.filter(partner=partner).values_list("target", "status"))
    assert (f"application:{other.registration_number}", 404) in outcomes


def test_a_draft_is_not_found(client, bearer, office):
    _bus, token = bearer(scopes=("applications:read",), reads_all_files=True)
    draft = new_file(office, office.simple_type)
    assert client.get(url(draft), HTTP_AUTHORIZATION=token).status_code == 404


def test_without_the_scope_a_file_cannot_be_read(client, bearer, office):
    _bus, token = bearer(scopes=("catalogue:read",), reads_all_files=True)
    app = submitted(office)
    assert client.get(url(app), HTTP_AUTHORIZATION=token).status_code == 403
    assert client.get(url(app)).status_code == 401


def test_a_held_file_says_it_is_held(client, bearer, office):
    _bus, token = bearer(scopes=("applications:read",), reads_all_files=True)
    app = walk(office, new_file(office, office.simple_type), Stage.VERIFICATION)
    hold(office, app)
    body = client.get(url(app), HTTP_AUTHORIZATION=token).json()
    page = client.get(f"/lacak/{app.tracking_code}/").content.decode()
    assert body["explanation"] and body["explanation"] in page


@pytest.mark.parametrize("steps", [1, 3])
def test_reading_a_file_costs_the_same_queries_however_long_its_story(
    client, bearer, office, django_assert_max_num_queries, steps
):
    _bus, token = bearer(scopes=("applications:read",), reads_all_files=True)
    app = walk(office, new_file(office, office.simple_type), Stage.VERIFICATION)
    for _ in range(steps):
        app = return_file(office, app)
        app = walk(office, app, Stage.VERIFICATION)
    client.get(url(app), HTTP_AUTHORIZATION=token)
    with django_assert_max_num_queries(16):
        assert client.get(url(app), HTTP_AUTHORIZATION=token).status_code == 200


def test_a_file_in_review_names_the_agencies_it_waits_for(client, bearer, team):
    from tests.permits.test_recommendations import answered, in_review

    _bus, token = bearer(scopes=("applications:read",), reads_all_files=True)
    app = in_review(team)
    answered(team, app, "pupr")
    body = client.get(url(app), HTTP_AUTHORIZATION=token).json()
    assert body["recommendations"] == [
        {"agency": "Dinas Lingkungan Hidup", "answered": False, "late": False,
         "working_days_late": 0},
        {"agency": "Dinas PUPR", "answered": True, "late": False, "working_days_late": 0},
    ]  # fmt: skip
    english = client.get(url(app), HTTP_AUTHORIZATION=token, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["recommendations"][1]["agency"] == "Public Works Office"


def test_a_file_in_inspection_gives_its_visit_s_appointment(client, bearer, office):
    import time_machine

    from permits.services.site_visits import site_visit_answer
    from tests.factories import act
    from tests.permits.test_site_visits import at, in_inspection, propose

    with time_machine.travel(at(2026, 12, 14, 8, 30), tick=True):
        _bus, token = bearer(scopes=("applications:read",), kind="bus", reads_all_files=True)
        app = in_inspection(office)
        assert client.get(url(app), HTTP_AUTHORIZATION=token).json()["site_visit"] is None
        propose(app)
        site_visit_answer(
            application=app,
            actor=act(office.applicant),
            confirm=False,
            wished_at=at(2026, 12, 16, 13),
        )
        body = client.get(url(app), HTTP_AUTHORIZATION=token).json()
    assert body["site_visit"] == {
        "at": "2026-12-15T10:00:00+07:00",
        "status": "move_asked",
        "wished_at": "2026-12-16T13:00:00+07:00",
    }
