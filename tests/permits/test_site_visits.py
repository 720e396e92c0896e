"""The field inspection's appointment and team (issue 22.2): the holder in the inspection
stage proposes a time in working hours, a team of two officers of the type's unit is drawn
so that the same pair does not keep visiting the same applicant, the applicant confirms or
asks for another time (online, or by telephone recorded by the lead), the lead takes that
time or proposes again. Every act under the file's guards, with its event, its field
history and its messages through the outbox.

The clock stands on Monday 14 December 2026, 08.30 WIB (office hours Mon-Thu 08.00-15.30,
Fri 08.00-15.00; Christmas on Friday the 25th, cuti bersama on Thursday the 24th)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine

from accounts.models import Role
from outbox.models import Message
from permits.event_names import (
    INTEGRITY_HELD_ATTEMPT,
    SITE_VISIT_CONFIRMED,
    SITE_VISIT_MOVE_ASKED,
    SITE_VISIT_PROPOSED,
)
from permits.models import AnswerChannel, SiteVisit, Stage, VisitStatus
from permits.services.context import ActionRefused, HeldRefused
from permits.services.site_visits import site_visit_answer, site_visit_propose, visit_team_draw
from tests.factories import UserFactory, act, hold, new_file, walk

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=WIB)


TUESDAY_10 = at(2026, 12, 15, 10)


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(at(2026, 12, 14, 8, 30), tick=True):
        yield


def in_inspection(office, permit_type=None):
    return walk(office, new_file(office, permit_type or office.full_type), Stage.INSPECTION)


def propose(app, user=None, when=TUESDAY_10, **kwargs) -> SiteVisit:
    return site_visit_propose(
        application=app, actor=act(user or app.assigned_to), appointment_at=when, **kwargs
    )


def messages_of(kind: str) -> list[Message]:
    return list(Message.objects.filter(kind=kind).order_by("pk"))


# --- proposing -------------------------------------------------------------------------------


def test_the_holder_proposes_a_time_and_a_team_of_two_is_drawn(office):
    app = in_inspection(office)
    lead = app.assigned_to
    visit = propose(app, note="Siapkan sertifikat tanah asli.")
    assert visit.status == VisitStatus.PROPOSED
    assert visit.lead == lead
    team = [m.officer for m in visit.members.all()]
    assert team == [lead, ({office.technical, office.technical2} - {lead}).pop()]
    assert visit.address == "Jl. Merdeka 1, Sukamaju"  # the type names no place: the applicant's
    assert visit.history.first().history_user == lead
    event = app.events.get(action=SITE_VISIT_PROPOSED)
    assert event.actor == lead and event.note == "Siapkan sertifikat tanah asli."
    assert event.data["team"] == [o.pk for o in team]
    (message,) = messages_of("site_visit.proposal")
    assert message.address == "+6281234567890" or message.recipient == office.applicant
    assert "Selasa, 15 Desember 2026, 10.00" in message.body
    assert "Jl. Merdeka 1, Sukamaju" in message.body
    assert "Siapkan sertifikat tanah asli." in message.body


def test_only_the_holder_proposes(office):
    app = in_inspection(office)
    other = office.technical2 if app.assigned_to == office.technical else office.technical
    for user in [other, office.counter, office.supervisor, office.head, office.applicant]:
        with pytest.raises(ActionRefused):
            propose(app, user)
    assert not SiteVisit.objects.exists()


def test_no_appointment_before_the_file_reaches_inspection(office):
    app = walk(office, new_file(office), Stage.TECHNICAL_REVIEW)
    with pytest.raises(ActionRefused, match="tahap peninjauan lapangan"):
        propose(app)


def test_a_held_file_refuses_and_the_attempt_is_recorded(office):
    app = in_inspection(office)
    hold(office, app)
    with pytest.raises(HeldRefused):
        propose(app)
    assert app.events.filter(action=INTEGRITY_HELD_ATTEMPT).exists()
    assert not SiteVisit.objects.exists()


def test_the_holder_declares_before_proposing(office):
    app = in_inspection(office)
    other = office.technical2 if app.assigned_to == office.technical else office.technical
    app.assigned_to = other  # a new holder, who has not declared on the file
    app.save(update_fields=["assigned_to"])
    with pytest.raises(ActionRefused, match="konflik kepentingan"):
        propose(app, other)
    assert not SiteVisit.objects.exists()


def test_an_appointment_outside_working_hours_is_refused(office):
    """One file, every case: a refusal changes nothing."""
    app = in_inspection(office)
    for when, problem in [
        (at(2026, 12, 15, 14, 31), "Pilih jam antara 08.00 dan 14.30"),  # closes 15.30
        (at(2026, 12, 15, 7, 59), "Pilih jam antara 08.00 dan 14.30"),
        (at(2026, 12, 18, 14, 1), "Pilih jam antara 08.00 dan 14.00"),  # Friday closes 15.00
        (at(2026, 12, 19, 10), "Sabtu, 19 Desember 2026 bukan hari kerja"),
        (at(2026, 12, 25, 10), "Jumat, 25 Desember 2026 bukan hari kerja"),  # Christmas
        (at(2026, 12, 14, 8, 0), "waktu yang akan datang"),  # this morning, already past
    ]:
        with pytest.raises(ActionRefused, match=problem):
            propose(app, when=when)
    assert not SiteVisit.objects.exists()


def test_an_appointment_at_the_edges_of_service_hours_is_accepted(office):
    app = in_inspection(office)
    for when in [at(2026, 12, 15, 14, 30), at(2026, 12, 15, 8, 0)]:
        assert propose(app, when=when).appointment_at == when  # the second moves the first


def test_a_unit_with_one_officer_cannot_send_a_team(office):
    app = in_inspection(office)
    companion = office.technical2 if app.assigned_to == office.technical else office.technical
    companion.is_active = False
    companion.save()
    with pytest.raises(ActionRefused, match="sekurang-kurangnya 2 petugas"):
        propose(app)


# --- the team --------------------------------------------------------------------------------


def _visited_before(office, days_ago: int):
    """A third officer; a visit to Siti's file ``days_ago`` days ago (since done: no
    load), and her next file in the same lead's hands. Returns (file, lead, companion)."""
    UserFactory(role=Role.TECHNICAL, username="teknis3", unit=office.dinkes)
    first = in_inspection(office)
    lead = first.assigned_to
    visit = propose(first)
    before = [m.officer for m in visit.members.all()][1]
    SiteVisit.objects.filter(pk=visit.pk).update(
        status=VisitStatus.CANCELLED,
        proposed_at=visit.proposed_at - datetime.timedelta(days=days_ago),
    )
    second = walk(office, new_file(office), Stage.TECHNICAL_REVIEW)
    return second, lead, before


def test_the_same_pair_does_not_keep_visiting_the_same_applicant(office):
    second, lead, before = _visited_before(office, days_ago=364)
    drawn = visit_team_draw(second, lead)
    assert drawn[0] == lead
    assert drawn[1] != before  # every other thing equal, the pair that went is not sent again


def test_a_pair_that_went_more_than_a_year_ago_may_go_again(office):
    second, lead, before = _visited_before(office, days_ago=366)
    assert visit_team_draw(second, lead)[1] == before  # the earliest account, as then


def test_another_applicant_gets_the_least_busy_companion(office):
    UserFactory(role=Role.TECHNICAL, username="teknis3", unit=office.dinkes)
    first = in_inspection(office)
    lead = first.assigned_to
    busy = [m.officer for m in propose(first).members.all()][1]
    other = new_file(office)
    other.applicant_nik = "3201014101900099"
    other.save(update_fields=["applicant_nik"])
    drawn = visit_team_draw(other, lead)
    assert drawn[1] != busy  # one open visit already: the free officer goes


# --- the applicant's answer ------------------------------------------------------------------


def test_the_applicant_confirms_and_the_team_is_told(office):
    app = in_inspection(office)
    visit = propose(app)
    visit = site_visit_answer(application=app, actor=act(office.applicant), confirm=True)
    assert visit.status == VisitStatus.CONFIRMED
    assert visit.answer_channel == AnswerChannel.ACCOUNT
    assert visit.history.first().history_user == office.applicant
    event = app.events.get(action=SITE_VISIT_CONFIRMED)
    assert event.actor == office.applicant
    (to_applicant,) = messages_of("site_visit.agreed")
    assert "Selasa, 15 Desember 2026, 10.00" in to_applicant.body
    team = {m.officer for m in visit.members.all()}
    assert {m.recipient for m in messages_of("site_visit.team")} == team


def test_the_applicant_asks_for_another_time_and_the_lead_takes_it(office):
    app = in_inspection(office)
    lead = app.assigned_to
    propose(app)
    wish = at(2026, 12, 16, 13)
    visit = site_visit_answer(
        application=app,
        actor=act(office.applicant),
        confirm=False,
        wished_at=wish,
        note="Selasa saya di luar kota.",
    )
    assert visit.status == VisitStatus.MOVE_ASKED and visit.wished_at == wish
    assert app.events.get(action=SITE_VISIT_MOVE_ASKED).note == "Selasa saya di luar kota."
    (to_lead,) = messages_of("site_visit.move_request")
    assert to_lead.recipient == lead
    assert "Rabu, 16 Desember 2026, 13.00" in to_lead.body

    visit = site_visit_propose(application=app, actor=act(lead), appointment_at=None, agreed=True)
    assert visit.status == VisitStatus.CONFIRMED
    assert visit.appointment_at == wish
    assert visit.proposals == 2
    agreed = app.events.filter(action=SITE_VISIT_CONFIRMED).get()
    assert agreed.actor == lead and agreed.data["agreed"] is True
    assert len(messages_of("site_visit.team")) == 2


def test_the_lead_proposes_again_after_a_move_and_the_answer_starts_over(office):
    app = in_inspection(office)
    propose(app)
    site_visit_answer(
        application=app,
        actor=act(office.applicant),
        confirm=False,
        wished_at=at(2026, 12, 16, 13),
    )
    visit = propose(app, when=at(2026, 12, 17, 9))
    assert visit.status == VisitStatus.PROPOSED and visit.proposals == 2
    assert visit.answered_at is None
    assert SiteVisit.objects.count() == 1  # the same visit, moved
    assert visit.members.count() == 2  # the team stays


def test_a_wish_outside_working_hours_is_refused_and_nothing_changes(office):
    app = in_inspection(office)
    propose(app)
    with pytest.raises(ActionRefused, match="bukan hari kerja"):
        site_visit_answer(
            application=app,
            actor=act(office.applicant),
            confirm=False,
            wished_at=at(2026, 12, 20, 10),  # Sunday
        )
    with pytest.raises(ActionRefused, match="tanggal dan jam"):
        site_visit_answer(application=app, actor=act(office.applicant), confirm=False)
    assert SiteVisit.objects.get().status == VisitStatus.PROPOSED


def test_the_lead_records_an_answer_given_by_telephone(office):
    app = in_inspection(office)
    lead = app.assigned_to
    propose(app)
    with pytest.raises(ActionRefused, match="telepon atau datang"):
        site_visit_answer(application=app, actor=act(lead), confirm=True)
    visit = site_visit_answer(
        application=app, actor=act(lead), confirm=True, channel=AnswerChannel.TELEPHONE
    )
    assert visit.status == VisitStatus.CONFIRMED
    assert visit.answer_channel == AnswerChannel.TELEPHONE
    assert app.events.get(action=SITE_VISIT_CONFIRMED).data["channel"] == "telephone"


def test_nobody_else_answers_for_the_applicant(office):
    app = in_inspection(office)
    visit = propose(app)
    companion = [m.officer for m in visit.members.all()][1]
    for user in [office.other_applicant, companion, office.counter, office.supervisor]:
        with pytest.raises(ActionRefused):
            site_visit_answer(
                application=app, actor=act(user), confirm=True, channel=AnswerChannel.TELEPHONE
            )
    assert SiteVisit.objects.get().status == VisitStatus.PROPOSED


def test_an_answer_needs_a_proposal_waiting_and_a_time_still_ahead(office):
    app = in_inspection(office)
    with pytest.raises(ActionRefused, match="menunggu jawaban"):
        site_visit_answer(application=app, actor=act(office.applicant), confirm=True)
    propose(app)
    site_visit_answer(application=app, actor=act(office.applicant), confirm=True)
    with pytest.raises(ActionRefused, match="menunggu jawaban"):  # a second click
        site_visit_answer(application=app, actor=act(office.applicant), confirm=True)
    assert app.events.filter(action=SITE_VISIT_CONFIRMED).count() == 1


def test_a_proposal_whose_time_passed_cannot_be_confirmed(office):
    app = in_inspection(office)
    propose(app)
    with (
        time_machine.travel(at(2026, 12, 15, 10, 5), tick=True),
        pytest.raises(ActionRefused, match="sudah lewat"),
    ):
        site_visit_answer(application=app, actor=act(office.applicant), confirm=True)
