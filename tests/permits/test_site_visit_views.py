"""The field inspection's appointment on the pages (issue 22.2): the lead proposes on the
back-office file page, the applicant answers on their own file page, the tracking page says
where the appointment stands. Every role, anonymous included; bad input keeps what was
typed; a double click changes nothing; with Redis down the act lands and its messages wait
in the outbox."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from outbox.models import Message, MessageStatus
from permits.event_names import SITE_VISIT_CONFIRMED
from permits.models import SiteVisit, VisitStatus
from tests.factories import OPDFactory, UserFactory, fire
from tests.permits.test_site_visits import at, in_inspection, monday, propose  # noqa: F401

pytestmark = pytest.mark.django_db

WHEN = {"day": "2026-12-15", "hour": "10:00"}


def staff_post(client, user, app, act_name, data=None):
    if user is not None:
        client.force_login(user)
    return client.post(reverse("backoffice:site_visit", args=[app.public_id, act_name]), data or {})


def applicant_post(client, user, app, data):
    if user is not None:
        client.force_login(user)
    return client.post(reverse("applicant:site_visit", args=[app.public_id]), data)


def text(response) -> str:
    """The page's words, tags removed and spaces folded."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# --- the lead, in the back office ------------------------------------------------------------


def test_the_lead_proposes_from_the_file_page(client, office):
    app = in_inspection(office)
    client.force_login(app.assigned_to)
    page = client.get(reverse("backoffice:file", args=[app.public_id]))
    assert "Usulkan jadwal peninjauan" in text(page)
    assert "Jl. Merdeka 1, Sukamaju" in page.content.decode()  # the address, filled in
    answer = staff_post(
        client, None, app, "propose", {**WHEN, "address": "Jl. Merdeka 1 (depan masjid)"}
    )
    assert answer.status_code == 302 and answer["Location"].endswith("#peninjauan")
    visit = SiteVisit.objects.get()
    assert visit.address == "Jl. Merdeka 1 (depan masjid)"
    shown = text(client.get(reverse("backoffice:file", args=[app.public_id])))
    assert "Selasa, 15 Desember 2026, 10.00" in shown
    assert "Menunggu konfirmasi pemohon" in shown
    assert "Jadwal peninjauan lapangan diusulkan" in shown  # the timeline
    for member in visit.members.all():
        assert member.officer.display_name in shown


def test_bad_input_is_refused_in_words_and_what_was_typed_stays(client, office):
    app = in_inspection(office)
    for data, problem in [
        ({"hour": "10:00"}, "Pilih tanggal peninjauan."),
        ({"day": "2026-12-15"}, "Pilih jam peninjauan."),
        ({"day": "15 Desember", "hour": "10:00"}, "Tulis tanggal seperti 14-12-2026."),
        ({"day": "2026-12-19", "hour": "10:00"}, "Sabtu, 19 Desember 2026 bukan hari kerja"),
        ({"day": "2026-12-15", "hour": "16:00"}, "Pilih jam antara 08.00 dan 14.30"),
    ]:
        answer = staff_post(
            client, app.assigned_to, app, "propose", {**data, "note": "Bawa IMB lama."}
        )
        assert answer.status_code == 400, data
        assert problem in text(answer)
        assert "Bawa IMB lama." in answer.content.decode()
    assert not SiteVisit.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, office):
    app = in_inspection(office)
    answer = staff_post(client, None, app, "propose", WHEN)
    assert answer.status_code == 302 and "/akun/masuk/" in answer["Location"]
    assert not SiteVisit.objects.exists()


def test_roles_that_lead_no_visit_are_refused(client, office):
    app = in_inspection(office)
    for who in ["applicant", "counter", "cashier", "supervisor", "auditor"]:
        assert staff_post(client, getattr(office, who), app, "propose", WHEN).status_code == 403
    assert not SiteVisit.objects.exists()


def test_a_technical_officer_not_holding_the_file_is_told_and_nothing_changes(client, office):
    app = in_inspection(office)
    other = office.technical2 if app.assigned_to == office.technical else office.technical
    answer = staff_post(client, other, app, "propose", WHEN)
    assert answer.status_code == 400
    assert "Hanya petugas pemegang berkas" in text(answer)
    assert not SiteVisit.objects.exists()


def test_an_officer_of_another_unit_cannot_reach_the_file(client, office):
    stranger = UserFactory(
        role="technical", username="teknis.dik", unit=OPDFactory(code="DISDIK", name_id="Disdik")
    )
    app = in_inspection(office)
    assert staff_post(client, stranger, app, "propose", WHEN).status_code == 404


def test_an_unknown_act_is_not_found(client, office):
    app = in_inspection(office)
    assert staff_post(client, app.assigned_to, app, "cancel", WHEN).status_code == 404


def test_the_lead_records_a_telephone_answer_and_a_second_click_changes_nothing(client, office):
    app = in_inspection(office)
    propose(app)
    data = {"answer": "confirm", "channel": "telephone"}
    answer = staff_post(client, app.assigned_to, app, "answer", data)
    assert answer.status_code == 302
    again = staff_post(client, None, app, "answer", data)
    assert again.status_code == 400
    assert "Tidak ada jadwal peninjauan yang menunggu jawaban." in text(again)
    assert app.events.filter(action=SITE_VISIT_CONFIRMED).count() == 1
    assert SiteVisit.objects.get().answer_channel == "telephone"


def test_a_telephone_answer_without_its_channel_is_refused(client, office):
    app = in_inspection(office)
    propose(app)
    answer = staff_post(client, app.assigned_to, app, "answer", {"answer": "confirm"})
    assert answer.status_code == 400
    assert "Sebutkan bagaimana pemohon menjawab." in text(answer)


def test_the_lead_takes_the_applicants_time(client, office):
    app = in_inspection(office)
    propose(app)
    applicant_post(
        client,
        office.applicant,
        app,
        {"answer": "move", "day": "2026-12-16", "hour": "13:00", "note": "Selasa saya pergi."},
    )
    client.force_login(app.assigned_to)
    page = text(client.get(reverse("backoffice:file", args=[app.public_id])))
    assert "Pemohon meminta jadwal lain" in page
    assert "Terima jadwal pemohon: Rabu, 16 Desember 2026, 13.00" in page
    assert "Selasa saya pergi." in page
    assert staff_post(client, None, app, "agree").status_code == 302
    visit = SiteVisit.objects.get()
    assert visit.status == VisitStatus.CONFIRMED
    assert visit.appointment_at == at(2026, 12, 16, 13)
    twice = staff_post(client, None, app, "agree")  # the double click
    assert twice.status_code == 302
    assert app.events.filter(action=SITE_VISIT_CONFIRMED).count() == 1


# --- the applicant, on their own page --------------------------------------------------------


def test_the_applicant_sees_the_proposal_and_confirms(client, office):
    app = in_inspection(office)
    propose(app, note="Siapkan sertifikat asli.")
    client.force_login(office.applicant)
    page = text(client.get(reverse("applicant:file", args=[app.public_id])))
    assert "Peninjauan lapangan" in page
    assert "Selasa, 15 Desember 2026, 10.00" in page and "Siapkan sertifikat asli." in page
    assert "Saya bersedia pada jadwal ini" in page
    assert "Menunggu konfirmasi Anda" in page  # the applicant is "Anda", not "pemohon"
    answer = applicant_post(client, None, app, {"answer": "confirm"})
    assert answer.status_code == 302
    assert SiteVisit.objects.get().status == VisitStatus.CONFIRMED
    page = text(client.get(reverse("applicant:file", args=[app.public_id])))
    assert "Jadwal disepakati" in page and "Saya bersedia" not in page


def test_the_applicant_s_bad_answer_is_refused_and_the_note_stays(client, office):
    app = in_inspection(office)
    propose(app)
    for data, problem in [
        ({}, "Pilih jawaban Anda."),
        ({"answer": "move"}, "Pilih tanggal peninjauan."),
        ({"answer": "move", "day": "2026-12-20", "hour": "10:00"}, "bukan hari kerja"),
    ]:
        answer = applicant_post(
            client, office.applicant, app, {**data, "note": "Hubungi saya dulu."}
        )
        assert answer.status_code == 400, data
        assert problem in text(answer)
        assert "Hubungi saya dulu." in answer.content.decode()
    assert SiteVisit.objects.get().status == VisitStatus.PROPOSED


def test_another_applicant_cannot_reach_the_file(client, office):
    app = in_inspection(office)
    propose(app)
    assert (
        applicant_post(client, office.other_applicant, app, {"answer": "confirm"}).status_code
        == 404
    )
    assert SiteVisit.objects.get().status == VisitStatus.PROPOSED


def test_staff_and_anonymous_cannot_answer_as_the_applicant(client, office):
    app = in_inspection(office)
    propose(app)
    anonymous = applicant_post(client, None, app, {"answer": "confirm"})
    assert anonymous.status_code == 302 and "/akun/masuk/" in anonymous["Location"]
    assert applicant_post(client, app.assigned_to, app, {"answer": "confirm"}).status_code == 403
    assert SiteVisit.objects.get().status == VisitStatus.PROPOSED


# --- the tracking page -----------------------------------------------------------------------


def test_the_tracking_page_says_where_the_appointment_stands(client, office):
    app = in_inspection(office)
    url = reverse("tracking:file", args=[app.tracking_code])
    propose(app)
    assert (
        "Petugas mengusulkan peninjauan lapangan pada Selasa, 15 Desember 2026, 10.00; "
        "menunggu konfirmasi Anda." in text(client.get(url))
    )
    applicant_post(client, office.applicant, app, {"answer": "confirm"})
    client.logout()
    assert "Peninjauan lapangan disepakati pada Selasa, 15 Desember 2026, 10.00." in text(
        client.get(url)
    )


def test_once_the_inspection_is_done_the_appointment_leaves_the_tracking_page(
    client, office, django_capture_on_commit_callbacks
):
    import time_machine

    from tests.permits.test_site_visit_reports import (
        AFTER_THE_VISIT,
        agreed,
        report,
        signed_by_all,
    )

    app = agreed(office)
    url = reverse("tracking:file", args=[app.tracking_code])
    with time_machine.travel(AFTER_THE_VISIT, tick=True):
        report(app)
        reported = text(client.get(url))
        assert "berita acaranya menunggu tanda tangan tim dan pemohon" in reported
        signed_by_all(app, office, django_capture_on_commit_callbacks)
        fire(app, "finish_inspection", app.assigned_to)
        page = text(client.get(url))
    assert "Peninjauan lapangan selesai" in page  # the timeline
    assert "disepakati pada" not in page and "menunggu tanda tangan" not in page


# --- outages ---------------------------------------------------------------------------------


def test_with_redis_down_the_proposal_lands_and_its_message_waits(
    client, office, redis_down, django_capture_on_commit_callbacks
):
    office.applicant.email = "siti@contoh.id"  # reached by e-mail, through the broker
    office.applicant.save(update_fields=["email"])
    app = in_inspection(office)
    with django_capture_on_commit_callbacks(execute=True):
        answer = staff_post(client, app.assigned_to, app, "propose", WHEN)
    assert answer.status_code == 302
    assert SiteVisit.objects.get().status == VisitStatus.PROPOSED
    message = Message.objects.get(kind="site_visit.proposal")
    assert message.address == "siti@contoh.id"
    assert message.status == MessageStatus.PENDING  # delivered by the sweep once Redis is back


# --- the admin -------------------------------------------------------------------------------


def test_the_admin_shows_a_visit_and_its_team_read_only(client, office, make_user):
    app = in_inspection(office)
    visit = propose(app)
    client.force_login(make_user("admin", is_staff=True, is_superuser=True))
    url = reverse("admin:permits_sitevisit_change", args=[visit.pk])
    page = text(client.get(url))
    assert "Menunggu konfirmasi pemohon" in page
    for member in visit.members.all():
        assert str(member.officer) in page
    client.post(url, {"status": "cancelled"})
    assert SiteVisit.objects.get().status == VisitStatus.PROPOSED
