"""Who may hold a file, who reports instead, and where pressure from a superior goes.

Issue 16: only the officer holding a file and officers who acted on it declare a conflict
(which holds the file); anyone else reports a suspicion to a supervisor or the
inspectorate, who may open a case. A conflict about pressure from the direct supervisor is
reviewed one level higher, one about the head of office by the inspectorate, and the
person named never sees it.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from integrity.conflicts.selectors import cases_visible_to, suspicions_visible_to
from integrity.conflicts.services.cases import (
    case_decide,
    case_open,
    case_review,
    escalate_overdue_cases,
    may_decide,
    may_review,
)
from integrity.conflicts.services.declarations import file_declare, may_declare_conflict
from integrity.conflicts.services.suspicions import suspicion_report
from integrity.models import CaseOrigin, CaseRoute, CaseState, ConflictCase, Suspicion
from outbox.models import Message
from permits.models import Application, Stage
from permits.services.context import ActionRefused
from tests.factories import act, new_file, walk

pytestmark = pytest.mark.django_db

CONFLICT = {
    "nature": "potential",
    "source": "family",
    "related_party": "Siti Rahmawati",
    "description": "Pemohon adalah sepupu istri saya.",
}
PRESSURE = {
    "nature": "actual",
    "source": "pressure",
    "related_party": "Atasan",
    "description": "Saya diminta menyelesaikan berkas ini hari ini juga.",
}


def in_verification(office) -> Application:
    """A file the counter officer holds in verification (declared clear, checks ahead)."""
    return walk(office, new_file(office), Stage.VERIFICATION)


def kinds_to(user) -> list[str]:
    return list(Message.objects.filter(recipient=user).values_list("kind", flat=True))


def held(app) -> bool:
    return Application.objects.get(pk=app.pk).held_since is not None


# --- point 3: who declares a conflict -------------------------------------------------------


@pytest.mark.parametrize("who", ["cashier", "counter2", "supervisor", "head", "technical"])
def test_someone_who_neither_holds_nor_acted_on_a_file_cannot_hold_it(office, who):
    app = in_verification(office)
    user = getattr(office, who)
    assert not may_declare_conflict(app, user)
    with pytest.raises(ActionRefused, match="Laporkan dugaan"):
        file_declare(application=app, actor=act(user), has_conflict=True, **CONFLICT)
    assert not held(app)
    assert not ConflictCase.objects.exists()


def test_the_holder_declares_a_conflict_and_the_file_is_held(office):
    app = in_verification(office)
    assert may_declare_conflict(app, office.counter)
    file_declare(application=app, actor=act(office.counter), has_conflict=True, **CONFLICT)
    assert held(app)


def test_an_officer_who_acted_on_the_file_may_still_declare_after_handing_it_on(office):
    app = walk(office, new_file(office), Stage.TECHNICAL_REVIEW)
    assert app.assigned_to == office.technical
    # The counter officer checked and completed the file: they acted on it.
    assert may_declare_conflict(app, office.counter)
    file_declare(application=app, actor=act(office.counter), has_conflict=True, **CONFLICT)
    assert held(app)
    case = ConflictCase.objects.get(application=app)
    assert case.officer == office.counter


def test_a_refused_attempt_or_a_declaration_is_not_acting_on_the_file(office):
    app = in_verification(office)
    # The cashier's refused declaration leaves no act behind that would let them hold it.
    with pytest.raises(ActionRefused):
        file_declare(application=app, actor=act(office.cashier), has_conflict=True, **CONFLICT)
    assert not may_declare_conflict(app, office.cashier)


def test_nobody_declares_on_a_finished_file(office):
    app = walk(office, new_file(office, office.simple_type), Stage.ISSUED)
    assert not may_declare_conflict(app, office.counter)


# --- point 3: reporting a suspicion ----------------------------------------------------------


def test_a_colleague_reports_a_suspicion_to_the_holders_supervisor_without_a_hold(office):
    app = in_verification(office)
    report = suspicion_report(
        application=app,
        actor=act(office.cashier),
        route="supervisor",
        description="Pemohon menitipkan amplop kepada petugas loket.",
        officer=office.counter,
    )
    assert report.recipient == office.supervisor and report.route == "supervisor"
    assert not held(app) and not ConflictCase.objects.exists()
    assert kinds_to(office.supervisor) == ["integrity.suspicion_reported"]
    assert not kinds_to(office.counter)
    event = app.events.get(action="integrity.suspicion_reported")
    assert event.actor == office.cashier and event.data == {"suspicion": str(report.public_id)}
    # The recipient may open a case, which holds the file.
    case = case_open(
        application=app,
        officer=office.counter,
        actor=act(office.supervisor),
        origin=CaseOrigin.SUPERVISOR,
        note="Menindaklanjuti laporan rekan kerja.",
    )
    assert held(app) and case.state == CaseState.REVIEW


def test_a_suspicion_about_a_supervisor_goes_one_level_up(office):
    app = in_verification(office)
    report = suspicion_report(
        application=app,
        actor=act(office.counter2),
        route="supervisor",
        description="Atasan meminta berkas ini didahulukan.",
        officer=None,
    )
    # Nobody named: the holder's supervisor.
    assert report.recipient == office.supervisor
    app.assigned_to = office.supervisor
    app.save(update_fields=["assigned_to"])
    report = suspicion_report(
        application=app,
        actor=act(office.counter2),
        route="supervisor",
        description="Atasan meminta berkas ini didahulukan.",
        officer=office.supervisor,
    )
    assert report.recipient == office.head and report.route == "supervisor"


def test_a_suspicion_about_the_head_goes_to_the_inspectorate(office):
    app = in_verification(office)
    app.assigned_to = office.head
    app.save(update_fields=["assigned_to"])
    report = suspicion_report(
        application=app,
        actor=act(office.counter2),
        route="supervisor",
        description="Kepala Dinas menelepon pemohon.",
        officer=office.head,
    )
    assert report.route == "inspectorate" and report.recipient is None
    assert kinds_to(office.auditor) == ["integrity.suspicion_reported"]
    assert not kinds_to(office.head) and not kinds_to(office.head2)


def test_a_suspicion_straight_to_the_inspectorate(office):
    app = in_verification(office)
    suspicion_report(
        application=app,
        actor=act(office.cashier),
        route="inspectorate",
        description="Ada pungutan di luar retribusi.",
        officer=office.counter,
    )
    assert kinds_to(office.auditor) == ["integrity.suspicion_reported"]
    assert not kinds_to(office.supervisor)


def test_a_suspicion_may_only_name_someone_who_holds_or_acted_on_the_file(office):
    app = in_verification(office)
    with pytest.raises(ActionRefused):
        suspicion_report(
            application=app,
            actor=act(office.cashier),
            route="supervisor",
            description="Dugaan.",
            officer=office.technical2,
        )
    with pytest.raises(ActionRefused):
        suspicion_report(
            application=app, actor=act(office.cashier), route="supervisor", description="  "
        )
    assert not Suspicion.objects.exists()


def test_the_officer_a_suspicion_is_about_never_sees_it(office, client):
    app = in_verification(office)
    report = suspicion_report(
        application=app,
        actor=act(office.cashier),
        route="supervisor",
        description="Pemohon menitipkan amplop.",
        officer=office.counter,
    )
    assert report not in suspicions_visible_to(office.counter)
    assert report in suspicions_visible_to(office.supervisor)
    assert report in suspicions_visible_to(office.auditor)
    url = reverse("backoffice:file", args=[app.public_id])
    client.force_login(office.counter)
    page = client.get(url).content.decode()
    assert "menitipkan amplop" not in page
    assert "Dugaan konflik kepentingan dilaporkan" not in page
    # The supervisor it reached reads it, without the reporter's name.
    client.force_login(office.supervisor)
    page = client.get(url).content.decode()
    assert "Pemohon menitipkan amplop." in page
    assert "dilaporkan oleh" not in page
    assert "Dugaan konflik kepentingan dilaporkan rekan kerja" in page
    # The inspectorate sees who reported it.
    client.force_login(office.auditor)
    page = client.get(url).content.decode()
    assert f"dilaporkan oleh {office.cashier.display_name}" in page


# --- point 3: the pages ----------------------------------------------------------------------


def test_the_file_page_offers_the_holder_a_declaration_and_others_a_report(office, client):
    app = in_verification(office)
    url = reverse("backoffice:file", args=[app.public_id])
    client.force_login(office.counter)
    page = client.get(url).content.decode()
    assert "Nyatakan dan tahan berkas" in page
    client.force_login(office.cashier)
    page = client.get(url).content.decode()
    assert "Nyatakan dan tahan berkas" not in page
    assert "Kirim laporan dugaan" in page


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("cashier", 302),
        ("counter2", 302),
        ("supervisor", 302),
        ("head", 302),
        ("auditor", 403),
        ("admin", 403),
        ("applicant", 403),
    ],
)
def test_reporting_a_suspicion_by_role(office, client, who, status):
    app = in_verification(office)
    client.force_login(getattr(office, who))
    response = client.post(
        reverse("integrity:report_suspicion", args=[app.public_id]),
        {"route": "supervisor", "officer": office.counter.pk, "description": "Dugaan titipan."},
    )
    assert response.status_code == status
    assert Suspicion.objects.exists() == (status == 302)
    assert not held(app)


def test_reporting_a_suspicion_anonymously_signs_in_first(office):
    from django.test import Client

    app = in_verification(office)
    response = Client().post(
        reverse("integrity:report_suspicion", args=[app.public_id]),
        {"route": "supervisor", "description": "Dugaan."},
    )
    assert response.status_code == 302 and "/masuk" in response["Location"]
    assert not Suspicion.objects.exists()


def test_a_bad_report_comes_back_with_what_was_typed(office, client):
    app = in_verification(office)
    client.force_login(office.cashier)
    response = client.post(
        reverse("integrity:report_suspicion", args=[app.public_id]),
        {"route": "ke-mana-saja", "officer": office.counter.pk, "description": "Titipan amplop"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Titipan amplop" in page
    assert not Suspicion.objects.exists()


def test_the_cashiers_declaration_through_the_page_holds_nothing(office, client):
    app = in_verification(office)
    client.force_login(office.cashier)
    response = client.post(
        reverse("integrity:declare", args=[app.public_id]),
        {"has_conflict": "1", **CONFLICT},
        follow=True,
    )
    assert "Laporkan dugaan Anda kepada atasan atau Inspektorat" in response.content.decode()
    assert not held(app)


# --- point 16: pressure from a superior ------------------------------------------------------


def declare_pressure(app, officer, source_person: str) -> ConflictCase:
    file_declare(
        application=app,
        actor=act(officer),
        has_conflict=True,
        pressure_from=source_person,
        **PRESSURE,
    )
    return ConflictCase.objects.get(application=app, officer=officer)


def test_pressure_from_the_direct_supervisor_is_reviewed_one_level_higher(office, client):
    app = in_verification(office)
    case = declare_pressure(app, office.counter, "supervisor")
    assert case.named == office.supervisor
    assert case.route == CaseRoute.OFFICE and case.reviewer == office.head
    assert held(app)
    assert kinds_to(office.head) == ["integrity.case_review"]
    assert not kinds_to(office.supervisor)
    assert case not in cases_visible_to(office.supervisor)
    assert not may_review(case, office.supervisor)
    assert may_review(case, office.head)
    # The supervisor named sees neither the case page nor its events on the file page.
    client.force_login(office.supervisor)
    assert client.get(reverse("integrity:case", args=[case.public_id])).status_code == 404
    page = client.get(reverse("backoffice:file", args=[app.public_id])).content.decode()
    assert "Petugas menyatakan konflik kepentingan" not in page
    assert "Kasus konflik kepentingan dibuka" not in page
    assert "diminta menyelesaikan berkas ini" not in page
    # The head who reviews reads who was named and who handles the case.
    client.force_login(office.head)
    page = client.get(reverse("integrity:case", args=[case.public_id])).content.decode()
    assert "Atasan yang disebut" in page and office.supervisor.display_name in page
    assert "Atasan dan Kepala Dinas" in page
    # The head reviews; the heads decide (the supervisor is never asked).
    case = case_review(
        case=case,
        actor=act(office.head),
        real=True,
        impact="Verifikasi tidak objektif.",
        recommendation="reassign",
        note="Tekanan nyata.",
    )
    assert may_decide(case, office.head2) and not may_decide(case, office.supervisor)
    assert "integrity.case_decide" not in kinds_to(office.supervisor)


def test_pressure_from_the_head_goes_to_the_inspectorate(office, client):
    app = in_verification(office)
    case = declare_pressure(app, office.counter, "head")
    assert case.named == office.head and case.route == CaseRoute.INSPECTORATE
    assert case.reviewer is None
    assert kinds_to(office.auditor) == ["integrity.case_review"]
    assert not kinds_to(office.head) and not kinds_to(office.supervisor)
    assert case not in cases_visible_to(office.head)
    assert not may_review(case, office.head) and not may_review(case, office.supervisor)
    assert may_review(case, office.auditor)
    client.force_login(office.head)
    assert client.get(reverse("integrity:case", args=[case.public_id])).status_code == 404
    case = case_review(
        case=case,
        actor=act(office.auditor),
        real=True,
        impact="",
        recommendation="reassign",
        note="Tekanan nyata dari Kepala Dinas.",
    )
    assert case.state == CaseState.DECISION
    assert kinds_to(office.auditor).count("integrity.case_decide") == 1
    assert "integrity.case_decide" not in kinds_to(office.head)
    assert not may_decide(case, office.head) and not may_decide(case, office.head2)
    assert may_decide(case, office.auditor)
    case_decide(
        case=case,
        actor=act(office.auditor),
        decision="conflict",
        measure="reassign",
        reason="Berkas dialihkan.",
    )
    assert not held(app)


def test_pressure_from_a_direct_supervisor_who_is_the_head_goes_to_the_inspectorate(office):
    app = in_verification(office)
    office.counter.supervisor = office.head
    office.counter.save(update_fields=["supervisor"])
    case = declare_pressure(app, office.counter, "supervisor")
    assert case.named == office.head and case.route == CaseRoute.INSPECTORATE


def test_an_overdue_review_of_a_case_naming_the_head_goes_to_the_inspectorate(office):
    app = in_verification(office)
    case = declare_pressure(app, office.counter, "head")
    Message.objects.all().delete()
    with time_machine.travel(case.review_due + datetime.timedelta(hours=1)):
        escalate_overdue_cases(now=timezone.now())
    assert kinds_to(office.auditor) == ["integrity.case_overdue"]
    assert not kinds_to(office.head) and not kinds_to(office.head2)


def test_pressure_needs_to_say_from_whom(office, client):
    app = in_verification(office)
    with pytest.raises(ActionRefused, match="dari siapa"):
        file_declare(application=app, actor=act(office.counter), has_conflict=True, **PRESSURE)
    client.force_login(office.counter)
    response = client.post(
        reverse("integrity:declare", args=[app.public_id]), {"has_conflict": "1", **PRESSURE}
    )
    assert response.status_code == 400
    assert "Sebutkan dari siapa tekanan itu datang." in response.content.decode()
    assert "diminta menyelesaikan berkas ini hari ini juga" in response.content.decode()
    assert not held(app)


def test_other_sources_keep_the_direct_supervisor_as_reviewer(office):
    app = in_verification(office)
    file_declare(
        application=app,
        actor=act(office.counter),
        has_conflict=True,
        pressure_from="head",  # ignored: the source is not pressure
        **CONFLICT,
    )
    case = ConflictCase.objects.get(application=app)
    assert case.named is None and case.route == CaseRoute.OFFICE
    assert case.reviewer == office.supervisor
    assert case.declaration.pressure_from == ""
