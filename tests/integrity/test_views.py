"""Every integrity page for every role: the dashboard, the register, declaring on a file,
opening a case, the case page with its review and decision, and the integrity panel of the
back-office file page."""

from __future__ import annotations

from html import escape

import pytest
from django.urls import reverse

from accounts.models import Role
from integrity.conflicts.services.cases import case_decide, case_open, case_review
from integrity.conflicts.services.declarations import file_declare
from integrity.conflicts.services.register import register_declare
from integrity.models import AffiliationDeclaration, CaseState, ConflictCase, FileDeclaration
from permits.models import Application, Stage
from permits.services.applications import application_submit
from tests.factories import OPDFactory, act, new_file, upload_mandatory, walk

pytestmark = pytest.mark.django_db

STAFF = ["counter", "technical", "supervisor", "head", "cashier", "admin", "auditor"]
DECLARING = ["counter", "technical", "supervisor", "head", "cashier"]
NIK = "3201014101900001"
CONFLICT = {
    "has_conflict": "1",
    "nature": "actual",
    "source": "business",
    "related_party": "CV Sumber Rejeki",
    "description": "Saya pemegang saham usaha pemohon.",
}


def shows(body: str, text: str) -> bool:
    text = str(text)
    return text in body or escape(text) in body


def submitted(office) -> Application:
    """A submitted file held by the counter officer, who has not declared yet."""
    app = new_file(office)
    upload_mandatory(office, app)
    return application_submit(application=app, actor=act(office.applicant))


def declared_case(office) -> ConflictCase:
    app = submitted(office)
    file_declare(
        application=app,
        actor=act(app.assigned_to),
        has_conflict=True,
        nature="potential",
        source="family",
        related_party="Siti Rahmawati",
        description="Pemohon sepupu istri saya.",
    )
    return ConflictCase.objects.get(application=app)


REVIEW_NOTE = "Hubungan sepupu dekat; rawan tidak objektif."
DECISION_REASON = "Konflik nyata; berkas dialihkan ke petugas lain."


def reviewed(office, case) -> ConflictCase:
    return case_review(
        case=case,
        actor=act(office.supervisor),
        real=True,
        impact="Verifikasi tidak objektif.",
        recommendation="reassign",
        note=REVIEW_NOTE,
    )


def decided(office, case) -> ConflictCase:
    return case_decide(
        case=case,
        actor=act(office.head),
        decision="conflict",
        measure="reassign",
        reason=DECISION_REASON,
    )


def file_url(app) -> str:
    return reverse("backoffice:file", args=[app.public_id])


def case_url(case) -> str:
    return reverse("integrity:case", args=[case.public_id])


# --- the dashboard -----------------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF)
def test_staff_and_auditors_open_the_dashboard(client, office, role):
    client.force_login(getattr(office, role))
    response = client.get(reverse("integrity:dashboard"))
    assert response.status_code == 200
    assert shows(response.content.decode(), "Kasus konflik kepentingan")


def test_applicants_are_refused_and_visitors_sent_to_sign_in(client, office):
    for name in ("integrity:dashboard", "integrity:register"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    client.force_login(office.applicant)
    assert client.get(reverse("integrity:dashboard")).status_code == 403
    assert client.get(reverse("integrity:register")).status_code == 403


def test_the_dashboard_lists_the_cases_each_may_see(client, office):
    case = declared_case(office)
    number = case.application.registration_number
    for user, sees in [
        (office.supervisor, True),  # the reviewer
        (office.head, True),
        (office.auditor, True),
        (office.counter, True),  # their own case
        (office.counter2, False),
        (office.supervisor2, False),
        (office.technical, False),
    ]:
        client.force_login(user)
        body = client.get(reverse("integrity:dashboard")).content.decode()
        assert (number in body) is sees, user.username


def test_the_dashboard_tells_a_supervisor_whose_register_is_missing(client, office):
    register_declare(officer=office.counter, items=[], actor=act(office.counter))
    client.force_login(office.supervisor)
    body = client.get(reverse("integrity:dashboard")).content.decode()
    assert shows(body, office.counter2.display_name)  # never declared
    assert not shows(body, office.counter.display_name)
    assert "Anda belum menyatakan register afiliasi." in body


# --- the register ------------------------------------------------------------------------


def formset(rows, note="") -> dict:
    data = {
        "a-TOTAL_FORMS": str(len(rows)),
        "a-INITIAL_FORMS": "0",
        "a-MIN_NUM_FORMS": "0",
        "a-MAX_NUM_FORMS": "1000",
        "note": note,
    }
    for i, row in enumerate(rows):
        data.update({f"a-{i}-{k}": v for k, v in row.items()})
    return data


ROWS = [
    {"kind": "relative", "name": "Siti Rahmawati", "relationship": "sibling", "nik": NIK},
    {"kind": "business", "name": "CV Sumber Rejeki", "role": "owner", "nib": "9120001234567"},
    {"kind": "relative", "name": ""},  # an unused row
]


@pytest.mark.parametrize("role", STAFF)
def test_declaring_roles_open_the_register(client, office, role):
    client.force_login(getattr(office, role))
    response = client.get(reverse("integrity:register"))
    assert response.status_code == (200 if role in DECLARING else 403)
    if role in DECLARING:
        assert 'name="a-TOTAL_FORMS"' in response.content.decode()


def test_posting_the_register_creates_a_version(client, office):
    client.force_login(office.counter)
    url = reverse("integrity:register")
    response = client.post(url, formset(ROWS, note="Istri pemilik CV."))
    assert response.status_code == 302 and response["Location"] == url
    declaration = AffiliationDeclaration.objects.get(officer=office.counter)
    assert declaration.version == 1 and declaration.note == "Istri pemilik CV."
    items = {i.name: i for i in declaration.items.all()}
    assert set(items) == {"Siti Rahmawati", "CV Sumber Rejeki"}
    assert items["Siti Rahmawati"].nik == NIK and items["CV Sumber Rejeki"].role == "owner"
    body = client.get(url).content.decode()
    assert "Versi berlaku: 1" in body and 'value="CV Sumber Rejeki"' in body
    client.post(url, formset(ROWS[:1]))
    assert AffiliationDeclaration.objects.filter(officer=office.counter).count() == 2


def test_a_bad_nik_keeps_every_typed_row(client, office):
    client.force_login(office.counter)
    rows = [{**ROWS[0], "nik": "320101410190"}, ROWS[1]]
    response = client.post(reverse("integrity:register"), formset(rows, note="catatan saya"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "NIK terdiri dari 16 angka." in body
    assert 'value="CV Sumber Rejeki"' in body and 'value="9120001234567"' in body
    assert 'value="320101410190"' in body and "catatan saya" in body
    assert not AffiliationDeclaration.objects.exists()


def test_a_relative_needs_the_relationship(client, office):
    client.force_login(office.counter)
    rows = [{"kind": "relative", "name": "Siti Rahmawati", "relationship": ""}]
    response = client.post(reverse("integrity:register"), formset(rows))
    assert response.status_code == 400 and "Pilih hubungan keluarga." in response.content.decode()
    assert not AffiliationDeclaration.objects.exists()


# --- declaring on a file -----------------------------------------------------------------


def declare_url(app) -> str:
    return reverse("integrity:declare", args=[app.public_id])


def test_the_holder_declares_no_conflict(client, office):
    app = submitted(office)
    client.force_login(app.assigned_to)
    response = client.post(declare_url(app), {"has_conflict": "0"})
    assert response.status_code == 302 and response["Location"] == file_url(app)
    declaration = FileDeclaration.objects.get(application=app)
    assert declaration.officer == app.assigned_to and not declaration.has_conflict
    assert not ConflictCase.objects.exists()


def test_declaring_is_post_only(client, office):
    app = submitted(office)
    client.force_login(app.assigned_to)
    assert client.get(declare_url(app)).status_code == 405


def test_someone_who_cannot_see_the_file_gets_404(client, office, make_user):
    outsider = make_user(Role.TECHNICAL, username="pupr", unit=OPDFactory(code="DPUPR"))
    app = submitted(office)
    client.force_login(outsider)
    assert client.post(declare_url(app), CONFLICT).status_code == 404
    assert client.post(declare_url(new_file(office)), CONFLICT).status_code == 404  # a draft
    assert not FileDeclaration.objects.exists()


@pytest.mark.parametrize("role", ["applicant", "auditor", "admin"])
def test_people_who_do_not_declare_are_refused(client, office, role):
    app = submitted(office)
    client.force_login(getattr(office, role))
    assert client.post(declare_url(app), {"has_conflict": "0"}).status_code == 403
    assert not FileDeclaration.objects.exists()


def test_anonymous_declarations_go_to_sign_in(client, office):
    response = client.post(declare_url(submitted(office)), {"has_conflict": "0"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_declared_conflict_opens_a_case_and_holds_the_file(client, office):
    app = submitted(office)
    client.force_login(app.assigned_to)
    response = client.post(declare_url(app), CONFLICT, follow=True)
    assert response.redirect_chain[0] == (file_url(app), 302)
    body = response.content.decode()
    assert "Berkas ditahan dan atasan Anda diminta menelaah." in body
    assert "Berkas ditahan" in body
    case = ConflictCase.objects.get(application=app)
    assert case.officer == office.counter and case.declaration.source == "business"
    assert Application.objects.get(pk=app.pk).held_since is not None


@pytest.mark.parametrize("missing", ["nature", "source", "related_party", "description"])
def test_a_conflict_without_its_details_is_refused_with_a_message(client, office, missing):
    app = submitted(office)
    client.force_login(app.assigned_to)
    response = client.post(declare_url(app), {**CONFLICT, missing: ""})
    # The file page again: the summary on top links to the field, what was typed is kept.
    assert response.status_code == 400
    body = response.content.decode()
    assert 'class="error-summary"' in body and f'href="#conflict-{missing}"' in body
    kept = CONFLICT["description" if missing == "related_party" else "related_party"]
    assert kept in body
    assert not ConflictCase.objects.exists() and not FileDeclaration.objects.exists()
    assert Application.objects.get(pk=app.pk).held_since is None


def test_a_non_holder_declaring_no_conflict_is_told_why(client, office):
    app = submitted(office)
    client.force_login(office.counter2)
    response = client.post(declare_url(app), {"has_conflict": "0"}, follow=True)
    assert "Hanya petugas yang memegang berkas" in response.content.decode()
    assert not FileDeclaration.objects.exists()


# --- opening a case ----------------------------------------------------------------------


def open_url(app) -> str:
    return reverse("integrity:open_case", args=[app.public_id])


@pytest.mark.parametrize(
    ("role", "origin"),
    [("supervisor", "supervisor"), ("head", "supervisor"), ("auditor", "auditor")],
)
def test_supervisors_heads_and_auditors_open_a_case(client, office, role, origin):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    client.force_login(getattr(office, role))
    response = client.post(open_url(app), {"officer": app.assigned_to.pk, "note": "Dugaan."})
    case = ConflictCase.objects.get(application=app)
    assert response.status_code == 302 and response["Location"] == case_url(case)
    assert case.origin == origin and case.officer == app.assigned_to
    assert Application.objects.get(pk=app.pk).held_since is not None


@pytest.mark.parametrize("role", ["counter", "technical", "cashier", "admin", "applicant"])
def test_others_cannot_open_a_case(client, office, role):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    client.force_login(getattr(office, role))
    response = client.post(open_url(app), {"officer": app.assigned_to.pk, "note": "Dugaan."})
    assert response.status_code == 403
    assert not ConflictCase.objects.exists()


def test_a_case_needs_a_note_and_an_officer_of_the_file(client, office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    client.force_login(office.supervisor)
    response = client.post(open_url(app), {"officer": app.assigned_to.pk, "note": ""})
    assert response.status_code == 400
    assert 'href="#case-note"' in response.content.decode()  # the summary links to it
    stranger = office.technical2  # never touched this file
    response = client.post(open_url(app), {"officer": stranger.pk, "note": "Dugaan tetap."})
    assert response.status_code == 400
    assert 'href="#case-officer"' in response.content.decode()
    assert "Dugaan tetap." in response.content.decode()
    assert not ConflictCase.objects.exists()
    assert client.get(open_url(app)).status_code == 405


def test_a_second_open_case_is_refused_with_a_message(client, office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    client.force_login(office.supervisor)
    data = {"officer": app.assigned_to.pk, "note": "Dugaan."}
    client.post(open_url(app), data)
    response = client.post(open_url(app), data, follow=True)
    assert "Sudah ada kasus terbuka" in response.content.decode()
    assert ConflictCase.objects.count() == 1


# --- the case page -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["supervisor", "head", "head2", "auditor", "counter"])
def test_the_reviewer_heads_auditors_and_the_officer_open_the_case(client, office, role):
    case = declared_case(office)
    client.force_login(getattr(office, role))
    response = client.get(case_url(case))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Kasus konflik kepentingan</h1>" in page
    assert case.application.registration_number in page
    # What the officer declared is for those who review and decide; the officer concerned
    # reads the case's state and decision.
    assert ("Pemohon sepupu istri saya." in page) is (role != "counter")


@pytest.mark.parametrize("role", ["counter2", "supervisor2", "technical", "cashier", "admin"])
def test_other_staff_do_not_find_the_case(client, office, role):
    case = declared_case(office)
    client.force_login(getattr(office, role))
    assert client.get(case_url(case)).status_code == 404
    assert client.post(case_url(case), {"note": "x", "real": "0"}).status_code == 404


def test_applicants_and_visitors_are_kept_out_of_the_case(client, office):
    case = declared_case(office)
    response = client.get(case_url(case))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    client.force_login(office.applicant)
    assert client.get(case_url(case)).status_code == 403


def test_the_officer_concerned_sees_the_decision_not_who_reviewed(client, office):
    case = reviewed(office, declared_case(office))
    client.force_login(office.counter)
    body = client.get(case_url(case)).content.decode()
    assert shows(body, case.state_label)
    assert not shows(body, office.supervisor.display_name)
    assert not shows(body, REVIEW_NOTE)
    assert "Telaah awal" not in body  # neither the review nor its form
    case = decided(office, case)
    body = client.get(case_url(case)).content.decode()
    assert shows(body, DECISION_REASON) and "Ada konflik kepentingan" in body
    assert not shows(body, office.supervisor.display_name)
    assert not shows(body, office.head.display_name)
    assert not shows(body, REVIEW_NOTE)
    client.force_login(office.auditor)
    body = client.get(case_url(case)).content.decode()
    assert shows(body, office.supervisor.display_name) and shows(body, REVIEW_NOTE)
    assert shows(body, office.head.display_name)


def test_the_reviewer_reviews_and_the_head_decides_on_the_page(client, office):
    case = declared_case(office)
    client.force_login(office.supervisor)
    body = client.get(case_url(case)).content.decode()
    assert "Simpan telaah awal" in body and "Putuskan" not in body
    review = {"real": "1", "impact": "", "recommendation": "reassign", "note": REVIEW_NOTE}
    response = client.post(case_url(case), review)
    assert response.status_code == 302 and response["Location"] == case_url(case)
    assert ConflictCase.objects.get(pk=case.pk).state == CaseState.DECISION

    client.force_login(office.head)
    assert "Putuskan" in client.get(case_url(case)).content.decode()
    decision = {"decision": "conflict", "measure": "reassign", "reason": DECISION_REASON}
    response = client.post(case_url(case), decision)
    assert response.status_code == 302 and response["Location"] == case_url(case)
    case = ConflictCase.objects.get(pk=case.pk)
    assert case.state == CaseState.CLOSED and case.decider == office.head
    app = Application.objects.get(pk=case.application_id)
    assert app.held_since is None and app.assigned_to == office.counter2


def test_a_review_without_a_note_is_shown_again(client, office):
    case = declared_case(office)
    client.force_login(office.supervisor)
    response = client.post(case_url(case), {"real": "0", "note": ""})
    assert response.status_code == 400
    assert ConflictCase.objects.get(pk=case.pk).state == CaseState.REVIEW
    response = client.post(case_url(case), {"real": "1", "note": "Nyata.", "recommendation": ""})
    assert response.status_code == 400
    assert "tindakan yang disarankan" in response.content.decode()
    assert ConflictCase.objects.get(pk=case.pk).state == CaseState.REVIEW


@pytest.mark.parametrize("role", ["auditor", "counter", "head2"])
def test_a_review_posted_by_someone_who_may_not_is_refused(client, office, role):
    case = declared_case(office)
    user = getattr(office, role)
    if role == "head2":  # a head may review: so the case is already with the heads
        case = reviewed(office, case)
        user = office.counter
    client.force_login(user)
    data = {"real": "0", "note": "Tidak nyata."}
    state = ConflictCase.objects.get(pk=case.pk).state
    assert client.post(case_url(case), data).status_code == 403
    assert ConflictCase.objects.get(pk=case.pk).state == state


@pytest.mark.parametrize("role", ["supervisor", "auditor", "counter"])
def test_a_decision_posted_by_someone_not_a_head_is_refused(client, office, role):
    case = reviewed(office, declared_case(office))
    client.force_login(getattr(office, role))
    data = {"decision": "no_conflict", "reason": "Tidak ada."}
    assert client.post(case_url(case), data).status_code == 403
    assert ConflictCase.objects.get(pk=case.pk).state == CaseState.DECISION


# --- the integrity panel of the file page ---------------------------------------------------

NOT_DECLARED = "Saya tidak punya konflik kepentingan"


def test_the_holder_is_asked_to_declare_until_they_do(client, office):
    app = submitted(office)
    client.force_login(app.assigned_to)
    body = client.get(file_url(app)).content.decode()
    assert NOT_DECLARED in body and "Nyatakan konflik kepentingan" in body
    client.post(declare_url(app), {"has_conflict": "0"})
    body = client.get(file_url(app)).content.decode()
    assert NOT_DECLARED not in body
    assert "Nyatakan konflik kepentingan" in body  # a conflict may still arise later


def test_others_are_not_asked_to_declare(client, office):
    app = submitted(office)
    for user in (office.counter2, office.supervisor, office.auditor):
        client.force_login(user)
        assert NOT_DECLARED not in client.get(file_url(app)).content.decode()


def test_a_held_file_says_so_and_offers_no_action(client, office):
    case = declared_case(office)
    app = case.application
    for user in (office.counter, office.supervisor, office.auditor):
        client.force_login(user)
        body = client.get(file_url(app)).content.decode()
        assert "Berkas ditahan" in body
        assert "Mulai verifikasi" not in body
        assert "Nyatakan dan tahan berkas" not in body
    client.force_login(office.supervisor)
    assert case_url(case) in client.get(file_url(app)).content.decode()


def with_matches(office, count) -> Application:
    """A submitted file matching the registers of ``count`` officers who do not hold it."""
    for officer in [office.technical2, office.cashier, office.supervisor2][:count]:
        register_declare(
            officer=officer,
            items=[{"kind": "relative", "name": "Saudara", "relationship": "sibling", "nik": NIK}],
            actor=act(officer),
        )
    app = submitted(office)
    assert app.conflict_matches.count() == count
    return app


SEES_MATCHES = {"supervisor": True, "head": True, "auditor": True}
SEES_MATCHES |= {"counter": False, "counter2": False, "cashier": False, "technical": False}


@pytest.mark.parametrize(("role", "sees"), list(SEES_MATCHES.items()))
def test_matches_are_shown_to_supervisors_and_auditors_only(client, office, role, sees):
    app = with_matches(office, 2)
    client.force_login(getattr(office, role))
    body = client.get(file_url(app)).content.decode()
    assert ("Cocok dengan register afiliasi" in body) is sees
    assert shows(body, office.technical2.display_name) is sees


@pytest.mark.parametrize("viewer", ["supervisor", "auditor", "counter"])
@pytest.mark.parametrize("count", [0, 3])
def test_the_file_page_queries_do_not_grow_with_matches(
    client, office, count, viewer, django_assert_max_num_queries
):
    app = with_matches(office, count)
    case = case_open(  # a case too, so the panel shows all it can
        application=app,
        officer=office.counter2,
        actor=act(office.auditor),
        origin="auditor",
        note="Dugaan.",
    )
    client.force_login(getattr(office, viewer))  # the counter holds it, undeclared
    client.get(file_url(app))  # warm the session and the caches
    # Measured: 26, 21, 18 (supervisor, auditor, counter), the same with 0 or 3 matches; and
    # 5 (6 on PostgreSQL) to seal the staff view the page records (re-read it, lock the file
    # and the heads, insert, move the head).
    with django_assert_max_num_queries(32):
        response = client.get(file_url(app))
    body = response.content.decode()
    assert response.status_code == 200 and "Berkas ditahan" in body
    assert (case_url(case) in body) is (viewer != "counter")


def test_the_officer_concerned_does_not_learn_the_reviewer_from_the_file_page(client, office):
    case = reviewed(office, declared_case(office))
    client.force_login(office.counter)
    body = client.get(file_url(case.application)).content.decode()
    assert not shows(body, office.supervisor.display_name)
