"""TEAM (issue 22.2): the same pair of officers visiting the same applicant again and again
while their unit had someone else who could go. Visits are made through the real services
(proposed by the file's holder, the team drawn by ``visit_team_draw``); the draw is bent
the way a pair would bend it, by keeping the third officer off the list (inactive for the
day of the draw). Each parameter at its edges: ``min_visits`` (3) with 2 and 3 visits,
``window_days`` (365) with a visit 300 and 400 days old (within 30% either way), and the
exact year."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from accounts.models import Role
from integrity.inspection.flags.engine import Context
from integrity.inspection.flags.registry import RULES
from permits.event_names import SITE_VISIT_PROPOSED
from permits.models import SiteVisit, Stage
from tests.factories import UserFactory, new_file, walk
from tests.permits.test_site_visits import TUESDAY_10, at, propose

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(at(2026, 12, 14, 8, 30), tick=True):
        yield


@pytest.fixture
def third(office):
    return UserFactory(role=Role.TECHNICAL, username="teknis3", unit=office.dinkes)


def visit(office, lead, *, kept_off=None, nik="3201014101900001", days_ago=0):
    """A visit to applicant ``nik``'s site led by ``lead``; ``kept_off`` is inactive while
    the team is drawn. ``days_ago``: the visit is moved back in time afterwards."""
    app = walk(office, new_file(office), Stage.TECHNICAL_REVIEW)
    app.applicant_nik = nik
    app.save(update_fields=["applicant_nik"])
    from tests.factories import declare_clear, fire

    app = fire(app, "finish_review", app.assigned_to)
    app.assigned_to = lead
    app.save(update_fields=["assigned_to"])
    declare_clear(app, lead)
    if kept_off is not None:
        kept_off.is_active = False
        kept_off.save(update_fields=["is_active"])
    made = propose(app, lead, when=TUESDAY_10)
    if kept_off is not None:
        kept_off.is_active = True
        kept_off.save(update_fields=["is_active"])
    if days_ago:
        SiteVisit.objects.filter(pk=made.pk).update(
            proposed_at=made.proposed_at - datetime.timedelta(days=days_ago)
        )
    return made


def judged(made):
    event = made.application.events.filter(action=SITE_VISIT_PROPOSED).latest("pk")
    return RULES["TEAM"].on_event(event, dict(RULES["TEAM"].params), Context.load())


def test_the_draw_alone_never_repeats_a_pair(office, third):
    lead = office.technical
    for _ in range(4):
        made = visit(office, lead)
        assert not judged(made)
    companions = [
        m.officer for v in SiteVisit.objects.all() for m in v.members.all() if m.officer != lead
    ]
    assert {office.technical2, third} == set(companions)


def test_min_visits_edges(office, third):
    """Two visits by the same pair are no case; the third is."""
    visit(office, office.technical, kept_off=third)
    second = visit(office, office.technical, kept_off=third)
    assert not judged(second)
    (hit,) = judged(visit(office, office.technical, kept_off=third))
    assert hit.detail["visits"] == 3 and hit.detail["unit_officers"] == 3
    assert len(hit.evidence) == 3
    assert sorted(hit.detail["officers"]) == sorted([office.technical.pk, office.technical2.pk])


def test_window_edges(office, third):
    """Three visits; the first moved back in time: counted up to a year, not beyond."""
    first = visit(office, office.technical, kept_off=third)
    visit(office, office.technical, kept_off=third)
    made = visit(office, office.technical, kept_off=third)
    proposed = first.proposed_at
    for age, flagged in [(300, True), (364, True), (366, False), (400, False)]:
        SiteVisit.objects.filter(pk=first.pk).update(
            proposed_at=proposed - datetime.timedelta(days=age)
        )
        assert bool(judged(made)) is flagged, age


def test_another_applicant_does_not_count(office, third):
    visit(office, office.technical, kept_off=third, nik="3201014101900077")
    visit(office, office.technical, kept_off=third)
    made = visit(office, office.technical, kept_off=third)
    assert not judged(made)


def test_a_unit_of_two_repeats_its_pair_by_necessity(office):
    made = None
    for _ in range(3):
        made = visit(office, office.technical)
    assert not judged(made)


def test_a_visit_proposed_again_is_judged_once(office, third):
    for _ in range(3):
        made = visit(office, office.technical, kept_off=third)
    assert judged(made)
    again = propose(made.application, office.technical, when=at(2026, 12, 16, 10))
    assert not judged(again)
