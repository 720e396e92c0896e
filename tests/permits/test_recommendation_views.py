"""The technical team's recommendations in the back office (issue 22.1): the agency's
officer finds the task on their worklist, drafts it on the file page; their supervisor
signs it off or sends it back; the approver sees a dissent. Every role, anonymous
included; bad input keeps what was typed; a double post changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from permits.models import Stage, Verdict
from tests.conftest import users_bulk
from tests.factories import OPDFactory
from tests.permits.test_recommendations import answered, declared, in_review, of

pytestmark = pytest.mark.django_db


def post(client, user, app, act, data=None):
    if user is not None:
        client.force_login(user)
    return client.post(reverse("backoffice:recommendation", args=[app.public_id, act]), data or {})


def page(client, user, app) -> str:
    client.force_login(user)
    answer = client.get(reverse("backoffice:file", args=[app.public_id]))
    assert answer.status_code == 200
    return answer.content.decode()


def test_anonymous_is_sent_to_sign_in(client, team):
    app = in_review(team)
    answer = post(client, None, app, "draft", {"verdict": Verdict.RECOMMEND})
    assert answer.status_code == 302 and "/akun/masuk/" in answer["Location"]
    assert of(app, team.pupr).drafted_at is None


@pytest.mark.parametrize("who", ["applicant", "counter", "cashier", "auditor"])
def test_roles_that_give_no_recommendation_are_refused(client, team, who):
    app = in_review(team)
    answer = post(client, getattr(team, who), app, "draft", {"verdict": Verdict.RECOMMEND})
    assert answer.status_code == 403
    assert of(app, team.pupr).drafted_at is None


def test_an_officer_of_an_agency_not_asked_cannot_reach_the_file(client, team):
    other = OPDFactory(code="DISDIK", name_id="Dinas Pendidikan")
    stranger = users_bulk(x={"role": Role.TECHNICAL, "username": "teknis.dik", "unit": other})["x"]
    app = in_review(team)
    assert post(client, stranger, app, "draft", {"verdict": "recommend"}).status_code == 404
    client.force_login(stranger)
    assert client.get(reverse("backoffice:file", args=[app.public_id])).status_code == 404


def test_the_files_own_reviewer_has_no_recommendation_to_give(client, team):
    app = in_review(team)
    assert post(client, team.technical, app, "draft", {"verdict": "recommend"}).status_code == 404


def test_the_agency_officer_finds_the_task_and_drafts_it(client, team):
    app = in_review(team)
    officer = declared(app, team.pupr_officer)
    client.force_login(officer)
    worklist = client.get(reverse("backoffice:worklist")).content.decode()
    assert "Rekomendasi yang menunggu Anda" in worklist
    assert app.registration_number in worklist and "menunggu disusun" in worklist
    shown = page(client, officer, app)
    assert "Rekomendasi tim teknis" in shown and "Rekomendasi Dinas PUPR" in shown
    answer = post(
        client,
        officer,
        app,
        "draft",
        {"verdict": Verdict.WITH_CONDITIONS, "conditions": "Sumur resapan 2 unit."},
    )
    assert answer.status_code == 302 and answer["Location"].endswith("#rekomendasi")
    rec = of(app, team.pupr)
    assert (rec.verdict, rec.conditions, rec.drafted_by) == (
        Verdict.WITH_CONDITIONS,
        "Sumur resapan 2 unit.",
        officer,
    )
    shown = page(client, officer, app)
    assert "menunggu pengesahan atasan" in shown and "Sumur resapan 2 unit." in shown


def test_an_incomplete_draft_is_refused_and_keeps_what_was_typed(client, team):
    app = in_review(team)
    officer = declared(app, team.pupr_officer)
    answer = post(
        client,
        officer,
        app,
        "draft",
        {"verdict": Verdict.NOT_RECOMMENDED, "reasons": "Di sempadan sungai, 5 m dari tebing."},
    )
    assert answer.status_code == 400
    shown = answer.content.decode()
    assert "wajib disertai alasan dan dasar hukumnya" in shown
    assert "Di sempadan sungai, 5 m dari tebing." in shown
    assert of(app, team.pupr).drafted_at is None


def test_an_officer_who_has_not_declared_is_asked_to_first(client, team):
    app = in_review(team)
    shown = page(client, team.pupr_officer, app)
    assert "Nyatakan" in shown
    answer = post(client, team.pupr_officer, app, "draft", {"verdict": Verdict.RECOMMEND})
    assert answer.status_code == 400 and "Nyatakan dulu" in answer.content.decode()


def test_the_supervisor_signs_off_once_and_a_second_post_changes_nothing(client, team):
    app = in_review(team)
    declared(app, team.pupr_officer)
    post(client, team.pupr_officer, app, "draft", {"verdict": Verdict.RECOMMEND})
    supervisor = declared(app, team.pupr_supervisor)
    client.force_login(supervisor)
    worklist = client.get(reverse("backoffice:worklist")).content.decode()
    assert app.registration_number in worklist and "menunggu pengesahan Anda" in worklist
    assert "Sahkan rekomendasi Dinas PUPR" in page(client, supervisor, app)
    assert post(client, supervisor, app, "sign").status_code == 302
    signed_at = of(app, team.pupr).signed_at
    again = post(client, supervisor, app, "sign")
    assert again.status_code == 302
    assert of(app, team.pupr).signed_at == signed_at
    shown = client.get(again["Location"]).content.decode()
    assert "sudah disahkan" in shown


def test_the_drafter_cannot_sign_their_own_draft(client, team):
    app = in_review(team)
    officer = declared(app, team.pupr_officer)
    post(client, officer, app, "draft", {"verdict": Verdict.RECOMMEND})
    assert "Sahkan rekomendasi" not in page(client, officer, app)
    assert post(client, officer, app, "sign").status_code == 302
    assert not of(app, team.pupr).answered


def test_a_send_back_needs_a_note(client, team):
    app = in_review(team)
    declared(app, team.pupr_officer)
    post(client, team.pupr_officer, app, "draft", {"verdict": Verdict.RECOMMEND})
    supervisor = declared(app, team.pupr_supervisor)
    refused = post(client, supervisor, app, "send_back", {"note": ""})
    assert refused.status_code == 400 and of(app, team.pupr).drafted_at is not None
    post(client, supervisor, app, "send_back", {"note": "Lengkapi dengan pasal Perda."})
    assert of(app, team.pupr).drafted_at is None


def test_the_approver_sees_a_dissent(client, team):
    from tests.factories import fire, walk

    app = in_review(team)
    answered(team, app, "pupr")
    answered(
        team,
        app,
        "dlh",
        Verdict.NOT_RECOMMENDED,
        reasons="Tidak ada pengelolaan limbah medis.",
        legal_basis="PP 22/2021",
    )
    app = fire(app, "finish_review", app.assigned_to)
    app = walk(team, app, Stage.APPROVAL)
    shown = page(client, app.assigned_to, app)
    assert "Dinas Lingkungan Hidup tidak merekomendasikan permohonan ini." in shown
    assert "Tidak ada pengelolaan limbah medis." in shown


@pytest.mark.parametrize("act", ["publish", "delete"])
def test_an_unknown_act_is_not_found(client, team, act):
    app = in_review(team)
    assert post(client, declared(app, team.pupr_officer), app, act).status_code == 404
