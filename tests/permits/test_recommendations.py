"""The technical team's recommendations (issue 22.1): each agency the type names is asked
in parallel when the file enters technical review, due after its share of the SOP time;
its officer drafts, its supervisor signs off or sends back; the file leaves technical
review only when all have answered; late ones go to the agency's head and show on the
tracking page. Every act under the file's guards (hold, declaration, roles)."""

from __future__ import annotations

import datetime

import pytest

from accounts.models import Role
from integrity.conflicts.services.declarations import file_declare
from outbox.models import Message
from permits.event_names import (
    INTEGRITY_HELD_ATTEMPT,
    RECOMMENDATION_ESCALATED,
    RECOMMENDATION_REQUESTED,
    RECOMMENDATION_SIGNED,
)
from permits.models import Recommendation, Stage, Verdict
from permits.services.context import ActionRefused
from permits.services.documents import document_upload
from permits.services.recommendations import (
    recommendation_draft,
    recommendation_send_back,
    recommendation_sign,
    recommendations_escalate,
)
from tests.factories import PDF, act, fire, hold, new_file, pdf, return_file, walk
from worktime.calendar import get_calendar

pytestmark = pytest.mark.django_db


def in_review(office):
    return walk(office, new_file(office, office.full_type), Stage.TECHNICAL_REVIEW)


def of(app, opd) -> Recommendation:
    return Recommendation.objects.get(application=app, opd=opd)


def declared(app, user):
    file_declare(application=app, actor=act(user), has_conflict=False)
    return user


def draft(rec, user, verdict=Verdict.RECOMMEND, **answer):
    return recommendation_draft(recommendation=rec, actor=act(user), verdict=verdict, **answer)


def answered(team, app, agency: str, verdict=Verdict.RECOMMEND, **answer):
    """``agency`` ("pupr" or "dlh") answers: its officer drafts, its supervisor signs off."""
    opd = getattr(team, agency)
    draft(of(app, opd), declared(app, getattr(team, f"{agency}_officer")), verdict, **answer)
    supervisor = declared(app, getattr(team, f"{agency}_supervisor"))
    return recommendation_sign(recommendation=of(app, opd), actor=act(supervisor))


def test_each_agency_is_asked_at_once_with_its_share_of_the_sop_time(team):
    app = in_review(team)
    calendar = get_calendar()
    entered = app.stage_entered_at
    pupr, dlh = of(app, team.pupr), of(app, team.dlh)
    assert (pupr.assigned_to, dlh.assigned_to) == (team.pupr_officer, team.dlh_officer)
    assert pupr.due_at == calendar.add_working_days(entered, 2)
    assert dlh.due_at == calendar.add_working_days(entered, 3)
    asked = app.events.filter(action=RECOMMENDATION_REQUESTED)
    assert sorted(e.data["opd"] for e in asked) == ["DLH", "DPUPR"]
    assert not Recommendation.objects.filter(application__permit_type=team.simple_type).exists()


def test_the_file_leaves_review_only_when_every_agency_has_answered(team):
    app = in_review(team)
    with pytest.raises(ActionRefused, match="menunggu rekomendasi Dinas Lingkungan Hidup, Dinas"):
        fire(app, "finish_review", app.assigned_to)
    answered(team, app, "pupr")
    with pytest.raises(ActionRefused, match="menunggu rekomendasi Dinas Lingkungan Hidup\\."):
        fire(app, "finish_review", app.assigned_to)
    answered(
        team,
        app,
        "dlh",
        Verdict.NOT_RECOMMENDED,
        reasons="Lokasi di sempadan sungai.",
        legal_basis="Perda RTRW Pasal 40",
    )
    app = fire(app, "finish_review", app.assigned_to)
    assert app.state == Stage.INSPECTION
    signed = app.events.filter(action=RECOMMENDATION_SIGNED).order_by("pk")
    assert [(e.data["opd"], e.data["verdict"]) for e in signed] == [
        ("DPUPR", Verdict.RECOMMEND),
        ("DLH", Verdict.NOT_RECOMMENDED),
    ]


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("pupr_officer", True),  # holds the task
        ("pupr_officer2", False),  # the same agency, not the holder
        ("dlh_officer", False),  # another agency
        ("technical", False),  # the file's own reviewer (health office)
        ("pupr_supervisor", False),  # signs, does not draft
        ("applicant", False),
    ],
)
def test_only_the_agency_officer_holding_the_task_drafts(team, who, allowed):
    app = in_review(team)
    user = getattr(team, who)
    if user.role != Role.APPLICANT:
        try:
            declared(app, user)
        except ActionRefused:
            assert not allowed  # not even an actor on this file
    if allowed:
        rec = draft(of(app, team.pupr), user, Verdict.WITH_CONDITIONS, conditions="Sumur resapan.")
        assert (rec.drafted_by, rec.conditions) == (user, "Sumur resapan.")
        assert rec.history.first().history_user == user
    else:
        with pytest.raises(ActionRefused):
            draft(of(app, team.pupr), user)
        assert of(app, team.pupr).drafted_at is None


def test_nobody_acts_for_the_system_or_anonymously(team):
    app = in_review(team)
    with pytest.raises(ActionRefused):
        recommendation_draft(
            recommendation=of(app, team.pupr), actor=act(None), verdict=Verdict.RECOMMEND
        )


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("pupr_supervisor", True),
        ("dlh_supervisor", False),  # another agency's
        ("supervisor", False),  # the one-stop office's
        ("pupr_officer", False),  # the drafter
        ("pupr_officer2", False),  # an officer, not a supervisor
        ("head", False),  # the office's head is not the agency's
    ],
)
def test_only_a_supervisor_of_the_agency_who_did_not_draft_signs_off(team, who, allowed):
    app = in_review(team)
    draft(of(app, team.pupr), declared(app, team.pupr_officer))
    user = getattr(team, who)
    try:
        declared(app, user)
    except ActionRefused:
        assert not allowed
    if allowed:
        rec = recommendation_sign(recommendation=of(app, team.pupr), actor=act(user))
        assert rec.answered and rec.signed_by == user
    else:
        with pytest.raises(ActionRefused):
            recommendation_sign(recommendation=of(app, team.pupr), actor=act(user))
        assert not of(app, team.pupr).answered


def test_nothing_is_signed_before_it_is_drafted(team):
    app = in_review(team)
    with pytest.raises(ActionRefused):
        declared(app, team.pupr_supervisor)  # nothing of theirs to act on yet
    with pytest.raises(ActionRefused):
        recommendation_sign(recommendation=of(app, team.pupr), actor=act(team.pupr_supervisor))


@pytest.mark.parametrize(
    ("verdict", "answer", "message"),
    [
        ("", {}, "Pilih salah satu rekomendasi"),
        ("maybe", {}, "Pilih salah satu rekomendasi"),
        (Verdict.WITH_CONDITIONS, {"conditions": "  "}, "Tuliskan syarat"),
        (Verdict.NOT_RECOMMENDED, {"reasons": "Sempadan sungai."}, "alasan dan dasar hukum"),
        (Verdict.NOT_RECOMMENDED, {"legal_basis": "Perda 3/2020"}, "alasan dan dasar hukum"),
    ],
)
def test_an_incomplete_answer_is_refused_with_what_is_missing(team, verdict, answer, message):
    app = in_review(team)
    officer = declared(app, team.pupr_officer)
    with pytest.raises(ActionRefused, match=message):
        draft(of(app, team.pupr), officer, verdict, **answer)
    assert of(app, team.pupr).drafted_at is None


def test_a_draft_sent_back_is_written_again_before_it_can_be_signed(team):
    app = in_review(team)
    officer, supervisor = team.pupr_officer, team.pupr_supervisor
    draft(of(app, team.pupr), declared(app, officer))
    declared(app, supervisor)
    with pytest.raises(ActionRefused, match="Tuliskan apa yang harus diperbaiki"):
        recommendation_send_back(recommendation=of(app, team.pupr), actor=act(supervisor), note="")
    recommendation_send_back(
        recommendation=of(app, team.pupr), actor=act(supervisor), note="Sebutkan pasalnya."
    )
    with pytest.raises(ActionRefused):
        recommendation_sign(recommendation=of(app, team.pupr), actor=act(supervisor))
    draft(of(app, team.pupr), officer, Verdict.WITH_CONDITIONS, conditions="KDB maksimal 60%.")
    rec = recommendation_sign(recommendation=of(app, team.pupr), actor=act(supervisor))
    assert (rec.verdict, rec.conditions, rec.answered) == (
        Verdict.WITH_CONDITIONS,
        "KDB maksimal 60%.",
        True,
    )


def test_the_agency_officer_declares_before_the_first_act(team):
    app = in_review(team)
    with pytest.raises(ActionRefused, match="Nyatakan dulu"):
        draft(of(app, team.pupr), team.pupr_officer)
    draft(of(app, team.pupr), declared(app, team.pupr_officer))


def test_a_held_file_takes_no_recommendation_and_the_attempt_is_recorded(team):
    app = in_review(team)
    officer = declared(app, team.pupr_officer)
    hold(team, app)
    with pytest.raises(ActionRefused, match="ditahan"):
        draft(of(app, team.pupr), officer)
    attempt = app.events.filter(action=INTEGRITY_HELD_ATTEMPT).latest("pk")
    assert attempt.data == {"action": "recommendation_draft"} and attempt.actor == officer


def test_a_recommendation_is_given_only_in_technical_review(team):
    app = in_review(team)
    answered(team, app, "pupr")
    answered(team, app, "dlh")
    fire(app, "finish_review", app.assigned_to)
    rec = of(app, team.pupr)
    with pytest.raises(ActionRefused, match="selama kajian teknis"):
        recommendation_send_back(recommendation=rec, actor=act(team.pupr_supervisor), note="x")


def test_a_file_returned_and_completed_again_keeps_the_answers_it_had(team):
    app = in_review(team)
    answered(team, app, "pupr")
    app = return_file(team, app)
    document_upload(
        application=app,
        requirement=app.checks.get(requirement__code="STR").requirement,
        uploaded=pdf(content=PDF + b"% STR baru\n"),
        actor=act(team.applicant),
    )
    app = walk(team, app, Stage.TECHNICAL_REVIEW)
    assert Recommendation.objects.filter(application=app).count() == 2
    assert of(app, team.pupr).answered and not of(app, team.dlh).answered


def test_a_late_recommendation_goes_to_the_agency_head_once(team, time_machine):
    app = in_review(team)
    pupr = of(app, team.pupr)
    calendar = get_calendar()
    assert recommendations_escalate(now=pupr.due_at) == 0, "due, not late yet"
    late = calendar.next_working_moment(pupr.due_at + datetime.timedelta(hours=1))
    assert recommendations_escalate(now=late) == 1
    # No head of public works on record: the head its supervisor answers to.
    [message] = Message.objects.filter(kind="recommendation.late")
    assert message.recipient == team.head
    assert app.registration_number in message.body and "Dinas PUPR" in message.body
    event = app.events.get(action=RECOMMENDATION_ESCALATED)
    assert event.data["opd"] == "DPUPR"
    assert recommendations_escalate(now=late + datetime.timedelta(hours=1)) == 0, "once"


def test_escalation_waits_for_working_time(team):
    app = in_review(team)
    due = of(app, team.dlh).due_at
    calendar = get_calendar()
    closed = due
    while calendar.is_working_time(closed):
        closed += datetime.timedelta(hours=1)
    assert recommendations_escalate(now=closed) == 0
    assert not Message.objects.filter(kind="recommendation.late").exists()


def test_the_tracking_page_says_which_agency_it_waits_for_and_how_late(team, client, time_machine):
    app = in_review(team)
    answered(team, app, "pupr")
    dlh_due = of(app, team.dlh).due_at
    calendar = get_calendar()
    next_day = calendar.add_working_days(dlh_due, 1)
    time_machine.move_to(next_day, tick=False)
    page = client.get(f"/lacak/{app.tracking_code}/").content.decode()
    assert "Rekomendasi Dinas PUPR sudah diberikan." in page
    assert "Menunggu rekomendasi Dinas Lingkungan Hidup, terlambat 1 hari kerja." in page
    assert "Tidak merekomendasikan" not in page and "Merekomendasikan" not in page


def test_the_conditions_of_each_agency_go_on_the_permit(team):
    import subprocess

    from issuance.document import permit_html, permit_pdf_unsigned

    app = in_review(team)
    answered(
        team,
        app,
        "pupr",
        Verdict.WITH_CONDITIONS,
        conditions="Menyediakan sumur resapan 2 unit",
    )
    answered(team, app, "dlh")
    app = walk(team, fire(app, "finish_review", app.assigned_to), Stage.SIGNING)
    fire(app, "sign", app.assigned_to)
    app.refresh_from_db()
    html = permit_html(app.permit)
    assert "Menyediakan sumur resapan 2 unit (rekomendasi Dinas PUPR)." in html
    assert "rekomendasi Dinas Lingkungan Hidup" not in html  # recommended without conditions
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=permit_pdf_unsigned(app.permit),
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "sumur resapan 2 unit" in text
