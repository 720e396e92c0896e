"""The survey from invitation to answer: one single-use link per ended file through the
outbox, the public form (no sign-in, no personal data), bad input per question, the
thank-you page, and the SURVEY flag a "yes" raises for the inspectorate only."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from integrity.models import Flag
from issuance.models import Permit
from issuance.services.issue import permit_render
from outbox.models import Message
from permits.models import Stage
from permits.services.applications import applications_expire_overdue
from permits.services.context import Actor
from permits.services.events import file_event
from public.models import SurveyInvitation, SurveyResponse
from public.models.survey import ELEMENT_FIELDS, INTEGRITY_FIELDS
from public.services.survey import SurveyRefused, survey_answer, survey_invite, token_digest
from tests.factories import fire, new_file, return_file, walk

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s]+/survei/([\w-]+)/")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def invitations(app):
    return Message.objects.filter(application=app, kind="survey.invitation")


def token_of(message) -> str:
    return LINK.search(message.body)[1]


def rejected(office, permit_type=None, **kwargs):
    app = walk(
        office, new_file(office, permit_type or office.simple_type, **kwargs), Stage.APPROVAL
    )
    return fire(app, "reject", app.assigned_to, reason="Tidak layak.", legal_basis="Perda 1/2024")


def invited(office) -> tuple[object, str]:
    """A file with an open invitation (made directly: fast) and its token."""
    app = walk(office, new_file(office, office.simple_type), Stage.APPROVAL)
    app = fire(app, "reject", app.assigned_to, reason="Tidak layak.", legal_basis="Perda 1/2024")
    (message,) = invitations(app)
    return app, token_of(message)


def full_answer(**overrides) -> dict:
    data = dict.fromkeys(ELEMENT_FIELDS, "3")
    data.update(dict.fromkeys(INTEGRITY_FIELDS, "tidak"))
    data["comment"] = ""
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def url(token):
    return reverse("survey:answer", args=[token])


# --- the invitation ---------------------------------------------------------------------------


def test_an_issued_file_invites_once_its_signed_permit_is_stored(
    office, signing_ca, django_capture_on_commit_callbacks
):
    app = walk(office, new_file(office, office.simple_type), Stage.SIGNING)
    with django_capture_on_commit_callbacks(execute=True):
        app = fire(app, "sign", app.assigned_to)
    assert app.events.filter(action="permit.pdf_stored").exists()
    (message,) = invitations(app)
    assert message.recipient == office.applicant
    token = token_of(message)
    assert SurveyInvitation.objects.get(application=app).token_hash == token_digest(token)
    assert "berlaku 30 hari" in message.body and app.registration_number in message.subject
    # Rendering again (a retried task) and another "end" event invite no second time.
    assert permit_render(Permit.objects.get(application=app)) is False
    file_event(application=app, action="permit.pdf_stored", actor=Actor.system())
    assert invitations(app).count() == 1
    assert SurveyInvitation.objects.filter(application=app).count() == 1


def test_an_issued_file_without_its_pdf_yet_is_not_invited(office):
    app = walk(office, new_file(office, office.simple_type), Stage.ISSUED)
    assert not invitations(app).exists()


def test_a_rejected_file_invites_exactly_once(office):
    app = rejected(office)
    assert invitations(app).count() == 1
    assert survey_invite(application=app) is None
    assert invitations(app).count() == 1


def test_a_withdrawn_file_is_not_invited(office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    app = fire(app, "withdraw", office.applicant)
    assert app.state == Stage.WITHDRAWN
    assert not invitations(app).exists() and not SurveyInvitation.objects.exists()


def test_an_expired_file_is_not_invited(office):
    app = return_file(office, walk(office, new_file(office), Stage.VERIFICATION))
    assert applications_expire_overdue(now=timezone.now() + datetime.timedelta(days=365)) == 1
    app.refresh_from_db()
    assert app.state == Stage.EXPIRED
    assert not invitations(app).exists() and not SurveyInvitation.objects.exists()


def test_a_walk_in_applicant_is_invited_on_the_files_phone(office):
    app = rejected(office, online=False)
    (message,) = invitations(app)
    assert message.recipient is None and message.address == "+6281234567890"


def test_an_applicant_without_any_contact_is_not_invited(office):
    app = walk(office, new_file(office, office.simple_type, online=False), Stage.APPROVAL)
    type(app).objects.filter(pk=app.pk).update(applicant_phone="", applicant_email="")
    app.refresh_from_db()
    fire(app, "reject", app.assigned_to, reason="Tidak layak.", legal_basis="Perda 1/2024")
    assert not invitations(app).exists() and not SurveyInvitation.objects.exists()


# --- the form ---------------------------------------------------------------------------------


def test_the_form_shows_the_type_and_unit_and_no_personal_data(office):
    app, token = invited(office)
    response = Client().get(url(token))
    assert response.status_code == 200
    page = response.content.decode()
    assert office.simple_type.name_id in page and office.dinkes.name_id in page
    for private in ("Siti Rahmawati", "3201014101900001", "81234567890", app.registration_number):
        assert private not in page
    assert page.count("<fieldset") == 12 and page.count("<legend") == 12
    assert page.count('type="radio"') == 9 * 4 + 3 * 2
    assert "hanya dibaca Inspektorat" in page
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"


def test_an_answer_is_stored_once_and_the_link_then_closes(office):
    app, token = invited(office)
    client = Client()
    data = full_answer(u1="4", u9="1", comment="  Loketnya nyaman.  ")
    response = client.post(url(token), data)
    assert response.status_code == 302 and response["Location"] == reverse("survey:thanks")
    stored = SurveyResponse.objects.get(application=app)
    assert (stored.u1, stored.u2, stored.u9) == (4, 3, 1)
    assert stored.unit == office.dinkes and stored.permit_type == office.simple_type
    assert stored.comment == "Loketnya nyaman." and not stored.reports_integrity_breach
    assert SurveyInvitation.objects.get(application=app).used_at is not None
    assert not Flag.objects.exists()

    again = client.post(url(token), data)  # the double submit
    assert again.status_code == 410 and "sudah diisi" in again.content.decode()
    assert SurveyResponse.objects.count() == 1
    assert client.get(url(token)).status_code == 410

    thanks = client.get(reverse("survey:thanks"))
    assert thanks.status_code == 200 and "Terima kasih" in thanks.content.decode()


def test_the_service_claims_the_invitation_so_a_racing_second_answer_stores_nothing(office):
    _app, token = invited(office)
    answers = {
        "scores": dict.fromkeys(ELEMENT_FIELDS, 3),
        "integrity": dict.fromkeys(INTEGRITY_FIELDS, False),
    }
    survey_answer(token=token, **answers)
    with pytest.raises(SurveyRefused) as refused:
        survey_answer(token=token, **answers)
    assert refused.value.reason == "used"
    assert SurveyResponse.objects.count() == 1


def test_an_expired_link_is_gone(office):
    app, token = invited(office)
    SurveyInvitation.objects.filter(application=app).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    for response in (Client().get(url(token)), Client().post(url(token), full_answer())):
        assert response.status_code == 410
        assert "sudah tidak berlaku" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_an_unknown_link_is_not_found(office):
    invited(office)
    for response in (Client().get(url("x" * 32)), Client().post(url("x" * 32), full_answer())):
        assert response.status_code == 404
        assert "tidak dikenal" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_guessing_links_is_slowed_down(office):
    client = Client(REMOTE_ADDR="198.51.100.9")
    statuses = {client.get(url(f"tebak{i:03d}")).status_code for i in range(31)}
    assert statuses == {404, 429}


@pytest.mark.parametrize("element", ELEMENT_FIELDS)
@pytest.mark.parametrize("bad", [None, "0", "5", "tiga"], ids=["missing", "0", "5", "text"])
def test_bad_input_per_element_names_the_question_and_keeps_the_other_answers(office, element, bad):
    app, token = invited(office)
    others = {name: "4" for name in ELEMENT_FIELDS if name != element}
    data = full_answer(**others, **{element: bad}, asked_money="ya", comment="Cukup baik.")
    response = Client().post(url(token), data)
    assert response.status_code == 400
    page = response.content.decode()
    number = ELEMENT_FIELDS.index(element) + 1
    assert f"pertanyaan {number}" in page
    assert f'<a href="#id_{element}_0">' in page  # the summary leads to its first answer
    for name in others:  # every other answer is still chosen
        assert re.search(rf'name="{name}" value="4"[^>]*checked', page), name
    assert re.search(r'name="asked_money" value="ya"[^>]*checked', page)
    assert "Cukup baik." in page
    assert not SurveyResponse.objects.exists()
    assert SurveyInvitation.objects.get(application=app).used_at is None


@pytest.mark.parametrize("bad", [None, "mungkin"])
@pytest.mark.parametrize("question", INTEGRITY_FIELDS)
def test_every_integrity_question_needs_yes_or_no(office, question, bad):
    _app, token = invited(office)
    response = Client().post(url(token), full_answer(**{question: bad}))
    assert response.status_code == 400
    number = 10 + INTEGRITY_FIELDS.index(question)
    assert f"Jawab ya atau tidak untuk pertanyaan {number}" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_too_long_comment_is_refused_with_the_answers_kept(office):
    _app, token = invited(office)
    response = Client().post(url(token), full_answer(comment="x" * 2001))
    assert response.status_code == 400 and "2000 karakter" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_the_form_needs_its_csrf_token(office):
    _app, token = invited(office)
    response = Client(enforce_csrf_checks=True).post(url(token), full_answer())
    assert response.status_code == 403
    assert not SurveyResponse.objects.exists()


def test_the_survey_answers_only_get_and_post(office):
    _app, token = invited(office)
    assert Client().put(url(token)).status_code == 405
    assert Client().post(reverse("survey:thanks")).status_code == 405


# --- integrity "yes" ---------------------------------------------------------------------------


def test_a_yes_raises_one_survey_flag_for_the_inspectorate_only(office, client):
    app, token = invited(office)
    response = Client().post(
        url(token),
        full_answer(asked_money="ya", sent_to_intermediary="ya", comment="Diminta 200 ribu."),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("survey:thanks") + "?lapor=1"
    (flag,) = Flag.objects.all()
    assert (flag.rule, flag.application) == ("SURVEY", app)
    assert flag.officer is None
    assert "di luar retribusi resmi" in flag.detail["summary"]
    assert flag.detail["answers"] == ["asked_money", "sent_to_intermediary"]

    client.force_login(office.auditor)
    queue = client.get(reverse("audit:queue") + "?rule=SURVEY")
    assert queue.status_code == 200 and app.registration_number in queue.content.decode()
    for person in (office.supervisor, office.head, office.counter, office.technical):
        client.force_login(person)
        assert client.get(reverse("audit:queue") + "?rule=SURVEY").status_code == 403


def test_the_thank_you_page_offers_a_complaint_after_a_yes(office):
    thanks = Client().get(reverse("survey:thanks") + "?lapor=1").content.decode()
    plain = Client().get(reverse("survey:thanks")).content.decode()
    assert "diteruskan ke Inspektorat" in thanks and "diteruskan ke Inspektorat" not in plain
    try:
        complaints = reverse("complaints:start")
    except NoReverseMatch:
        pytest.fail("complaints:start is not routed yet")
    assert f'href="{complaints}"' in thanks
    assert f'href="{complaints}"' not in plain


# --- the index overview (/kantor/indeks/) ------------------------------------------------------

OVERVIEW = "/kantor/indeks/"
COMMENT = "Petugas bernama Joko sangat membantu"


def answered(office, n, *, permit_type=None, at=None, yes_first=False, comment="", submitted=False):
    """``n`` stored answers (all 3s, the first optionally a "yes") on new files."""
    from tests.public.kit import answer

    at = at or timezone.now()
    apps = []
    for i in range(n):
        app = new_file(office, permit_type or office.simple_type)
        if submitted:  # numbered, as an ended file is
            app = walk(office, app, Stage.SUBMITTED)
        answer(
            app,
            (4,) * 9 if i % 2 else (3,) * 9,
            at=at,
            yes={"asked_money"} if yes_first and i == 0 else (),
            comment=comment,
        )
        apps.append(app)
    return apps


def test_reverse_overview():
    assert reverse("indexes:overview") == OVERVIEW


@pytest.mark.parametrize("role", ["supervisor", "head", "auditor", "admin"])
def test_the_overview_is_for_supervisors_heads_auditors_and_administrators(office, client, role):
    client.force_login(getattr(office, role))
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    assert "IKM dan indeks integritas" in response.content.decode()


@pytest.mark.parametrize("role", ["counter", "technical", "cashier", "applicant"])
def test_the_overview_is_refused_to_other_roles(office, client, role):
    client.force_login(getattr(office, role))
    assert client.get(OVERVIEW).status_code == 403


def test_the_overview_sends_anonymous_visitors_to_sign_in(office):
    response = Client().get(OVERVIEW)
    assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/")


def test_the_overview_answers_only_get(office, client):
    client.force_login(office.head)
    assert client.post(OVERVIEW).status_code == 405


def test_the_overview_shows_the_indexes_per_unit_and_type_for_the_current_year(office, client):
    apps = answered(office, 6, yes_first=True, submitted=True)
    # Six answers, three of 3s and three of 4s: every mean 3.50 → IKM 87.50 (B); one "yes"
    # of 18 → 17/18 = 94.44 terjaga. Shown the Indonesian way: 87,50 and 94,44.
    client.force_login(office.head)
    page = client.get(OVERVIEW).content.decode()
    assert "87,50" in page and "94,44" in page and "Terjaga" in page
    assert office.dinkes.name_id in page and office.simple_type.name_id in page
    assert str(timezone.localdate().year) in page
    assert apps[0].registration_number not in page


def test_the_units_staff_see_no_row_level_data(office, client):
    apps = answered(office, 6, yes_first=True, comment=COMMENT, submitted=True)
    for person in (office.supervisor, office.head, office.admin):
        client.force_login(person)
        page = client.get(OVERVIEW).content.decode()
        assert "87,50" in page
        assert COMMENT not in page
        for app in apps:
            assert app.registration_number not in page
            assert str(app.public_id) not in page
        assert "Laporan integritas" not in page and "rule=SURVEY" not in page


def test_small_groups_are_withheld_from_staff_but_shown_to_auditors(office, client):
    answered(office, 2, yes_first=True)  # 3s and 4s: 87,50; one yes in 6 → 83,33
    client.force_login(office.supervisor)
    page = client.get(OVERVIEW).content.decode()
    assert "Kurang dari 5 responden" in page
    assert "87,50" not in page and "83,33" not in page
    client.force_login(office.auditor)
    page = client.get(OVERVIEW).content.decode()
    assert "87,50" in page and "83,33" in page


def test_auditors_see_the_integrity_reports_and_a_link_to_the_survey_flags(office, client):
    answered(office, 5, yes_first=True)
    client.force_login(office.auditor)
    page = client.get(OVERVIEW + "?periode=" + timezone.localdate().strftime("%Y-%m"))
    html = page.content.decode()
    assert "Laporan integritas" in html
    links = re.findall(r'href="(/kantor/audit/\?[^"]+)"', html)
    assert links and all("rule=SURVEY" in link for link in links)
    assert any(f"opd={office.dinkes.pk}" in link for link in links)
    # The link opens the auditor's queue, filtered (the form takes "rule").
    from integrity.inspection.forms import QueueFilterForm

    assert "rule" in QueueFilterForm.base_fields
    queue = client.get(links[0].replace("&amp;", "&"))
    assert queue.status_code == 200


def test_a_month_shows_only_its_answers(office, client):
    last_year = timezone.now().replace(month=6, day=15) - datetime.timedelta(days=366)
    answered(office, 6, at=last_year)  # 87,50 in that June only
    client.force_login(office.auditor)
    month = last_year.strftime("%Y-%m")
    assert "87,50" in client.get(OVERVIEW, {"periode": month}).content.decode()
    assert "87,50" in client.get(OVERVIEW, {"periode": last_year.strftime("%Y")}).content.decode()
    other = (last_year - datetime.timedelta(days=31)).strftime("%Y-%m")
    page = client.get(OVERVIEW, {"periode": other}).content.decode()
    assert "87,50" not in page and "Belum ada jawaban survei" in page
    # The current year (the default) does not include it.
    assert "87,50" not in client.get(OVERVIEW).content.decode()


@pytest.mark.parametrize("bad", ["2026-13", "2026-00", "26", "maret", "1999", "2026-3"])
def test_a_bad_period_is_explained_and_the_current_year_shown(office, client, bad):
    client.force_login(office.head)
    response = client.get(OVERVIEW, {"periode": bad})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tulis periode sebagai tahun" in page
    assert f"Ditampilkan periode {timezone.localdate().year}" in page


@pytest.mark.parametrize("later", [str(timezone.localdate().year + 1), "9999-12", "9999"])
def test_a_period_not_begun_is_refused(office, client, later):
    client.force_login(office.head)
    response = client.get(OVERVIEW, {"periode": later})
    assert response.status_code == 400 and "belum dimulai" in response.content.decode()


@pytest.mark.parametrize("role", ["supervisor", "auditor"])
def test_the_overview_runs_a_constant_number_of_queries(
    office, client, role, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import OPDFactory, PermitTypeFactory

    client.force_login(getattr(office, role))
    answered(office, 1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(OVERVIEW).status_code == 200
    for i in range(4):
        unit = OPDFactory(code=f"OPD{i}", name_id=f"Dinas {i}")
        for j in range(3):
            answered(office, 2, permit_type=PermitTypeFactory(code=f"T{i}-{j}", opd=unit))
    with django_assert_max_num_queries(len(few)):
        page = client.get(OVERVIEW).content.decode()
    assert "Dinas 3" in page
