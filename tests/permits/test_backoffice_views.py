"""Every back-office view for every role: allowed, refused, anonymous."""

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from permits.models import Application, Stage
from permits.views.backoffice import PAGE_SIZE
from tests.factories import mark_all_ok, new_file, pdf, walk

pytestmark = pytest.mark.django_db
STAFF = ["counter", "technical", "supervisor", "head", "cashier", "admin", "auditor"]


def user_for(office, role):
    return {
        "counter": office.counter,
        "technical": office.technical,
        "supervisor": office.supervisor,
        "head": office.head,
        "cashier": office.cashier,
        "admin": office.admin,
        "auditor": office.auditor,
        "applicant": office.applicant,
    }[role]


@pytest.mark.parametrize("role", STAFF)
def test_staff_and_auditors_open_the_worklist(client, office, role):
    client.force_login(user_for(office, role))
    response = client.get(reverse("backoffice:worklist"))
    assert response.status_code == 200
    assert "<h1>Berkas saya</h1>" in response.content.decode()


def test_applicants_are_refused_the_back_office(client, office):
    client.force_login(office.applicant)
    assert client.get(reverse("backoffice:worklist")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, office):
    response = client.get(reverse("backoffice:worklist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_worklist_shows_my_files_earliest_deadline_first(client, office):
    files = [walk(office, new_file(office, office.simple_type), Stage.APPROVAL) for _ in range(3)]
    officer = files[0].assigned_to
    client.force_login(officer)
    body = client.get(reverse("backoffice:worklist")).content.decode()
    mine = [f for f in files if f.assigned_to == officer]
    for app in mine:
        assert app.registration_number in body
    positions = [
        body.index(a.registration_number) for a in sorted(mine, key=lambda a: a.sop_deadline)
    ]
    assert positions == sorted(positions)


def test_the_worklist_filters_and_searches(client, office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    client.force_login(app.assigned_to)
    url = reverse("backoffice:worklist")
    assert (
        app.registration_number in client.get(url, {"q": app.registration_number}).content.decode()
    )
    assert app.registration_number in client.get(url, {"q": "siti"}).content.decode()
    assert app.registration_number not in client.get(url, {"q": "zzz"}).content.decode()
    assert app.registration_number not in client.get(url, {"stage": "approval"}).content.decode()
    assert app.registration_number not in client.get(url, {"sla": "late"}).content.decode()


@pytest.mark.parametrize("count", [5, 60])  # 60: past two pages of 25
def test_the_worklist_runs_a_fixed_number_of_queries(
    client, office, count, django_assert_max_num_queries
):
    files = [
        walk(office, new_file(office, office.simple_type), Stage.SUBMITTED) for _ in range(count)
    ]
    client.force_login(office.supervisor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("backoffice:worklist"), {"scope": "all"})
    assert response.status_code == 200
    page = response.content.decode()
    shown = [f for f in files if f.registration_number in page]
    assert len(shown) == min(count, PAGE_SIZE)  # one page of rows, whatever the total


@pytest.mark.parametrize("role", ["counter", "supervisor", "head", "cashier", "admin", "auditor"])
def test_office_staff_and_auditors_open_any_file(client, office, role):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    client.force_login(user_for(office, role))
    response = client.get(reverse("backoffice:file", args=[app.public_id]))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<h1>{app.registration_number} · {app.permit_type.name}</h1>" in page
    assert "Siti Rahmawati" in page  # the applicant, named for the office


def test_opd_staff_open_only_their_opds_files(client, office, make_user):
    from tests.factories import OPDFactory

    app = walk(office, new_file(office), Stage.VERIFICATION)
    client.force_login(office.technical)
    response = client.get(reverse("backoffice:file", args=[app.public_id]))
    assert response.status_code == 200
    assert app.registration_number in response.content.decode()
    outsider = make_user(Role.TECHNICAL, username="pupr", unit=OPDFactory(code="DPUPR"))
    client.force_login(outsider)
    assert client.get(reverse("backoffice:file", args=[app.public_id])).status_code == 404


def test_an_online_draft_stays_private_to_its_applicant(client, office):
    app = new_file(office)
    client.force_login(office.counter)
    assert client.get(reverse("backoffice:file", args=[app.public_id])).status_code == 404


def test_the_file_page_shows_only_the_actions_the_user_may_take(client, office):
    app = walk(office, new_file(office), Stage.SUBMITTED)
    client.force_login(app.assigned_to)
    body = client.get(reverse("backoffice:file", args=[app.public_id])).content.decode()
    assert "Mulai verifikasi" in body
    assert "Setujui" not in body
    client.force_login(office.auditor)
    body = client.get(reverse("backoffice:file", args=[app.public_id])).content.decode()
    assert "Mulai verifikasi" not in body
    assert "Tidak ada tindakan" in body


@pytest.mark.parametrize("count", [1, 20])
def test_the_file_page_runs_a_fixed_number_of_queries(
    client, office, count, django_assert_max_num_queries
):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    client.force_login(app.assigned_to)
    from permits.services.documents import document_upload
    from tests.factories import act

    for _ in range(count):
        document_upload(
            application=app,
            requirement=app.checks.first().requirement,
            uploaded=pdf(),
            actor=act(app.assigned_to),
        )
    # 24 on SQLite; one more on PostgreSQL, where sealing the staff view the page records
    # also takes the file's key-share lock. Fixed whatever the number of versions.
    with django_assert_max_num_queries(25):
        response = client.get(reverse("backoffice:file", args=[app.public_id]))
    assert response.status_code == 200
    page = response.content.decode()
    assert app.registration_number in page
    assert all(f">v{version}</a>" in page for version in range(1, count + 2))  # every version


def test_an_action_moves_the_file_and_a_double_post_does_not(client, office):
    app = walk(office, new_file(office), Stage.SUBMITTED)
    client.force_login(app.assigned_to)
    url = reverse("backoffice:action", args=[app.public_id, "begin_verification"])
    data = {"expected_state": Stage.SUBMITTED, "note": "mulai"}
    first = client.post(url, data, follow=True)
    assert "Verifikasi dimulai." in first.content.decode()
    second = client.post(url, data, follow=True)
    assert "sudah berubah" in second.content.decode()
    assert app.events.filter(action="application.verification_started").count() == 1


@pytest.mark.parametrize("role", ["technical", "supervisor", "auditor", "cashier"])
def test_an_action_posted_by_someone_not_allowed_changes_nothing(client, office, role):
    app = walk(office, new_file(office), Stage.SUBMITTED)
    client.force_login(user_for(office, role))
    response = client.post(
        reverse("backoffice:action", args=[app.public_id, "begin_verification"]),
        {"expected_state": Stage.SUBMITTED},
        follow=True,
    )
    assert response.status_code in {200, 403, 404}
    app.refresh_from_db()
    assert app.state == Stage.SUBMITTED


def test_a_return_without_notes_keeps_the_form_and_explains(client, office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    check = app.checks.first()
    client.force_login(app.assigned_to)
    response = client.post(
        reverse("backoffice:action", args=[app.public_id, "return_to_applicant"]),
        {
            "expected_state": Stage.VERIFICATION,
            f"status_{check.pk}": "missing",
            f"note_{check.pk}": "",
            "note": "catatan umum tetap ada",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Jelaskan kepada pemohon" in body
    assert "catatan umum tetap ada" in body
    app.refresh_from_db()
    assert app.state == Stage.VERIFICATION


def test_a_return_with_findings_goes_back_to_the_applicant(client, office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    check = app.checks.first()
    client.force_login(app.assigned_to)
    client.post(
        reverse("backoffice:action", args=[app.public_id, "return_to_applicant"]),
        {
            "expected_state": Stage.VERIFICATION,
            f"status_{check.pk}": "invalid",
            f"note_{check.pk}": "KTP buram, unggah ulang hasil pindaian yang jelas.",
        },
    )
    app.refresh_from_db()
    assert app.state == Stage.RETURNED


def test_documents_are_served_only_to_those_who_may_see_the_file(client, office, make_user):
    from tests.factories import OPDFactory

    app = walk(office, new_file(office), Stage.VERIFICATION)
    document = app.documents.first()
    url = reverse("backoffice:document", args=[document.public_id])
    assert client.get(url).status_code == 302
    client.force_login(office.other_applicant)
    assert client.get(url).status_code == 403
    client.force_login(make_user(Role.TECHNICAL, username="pupr", unit=OPDFactory(code="DPUPR")))
    assert client.get(url).status_code == 404
    client.force_login(office.counter)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_failed_upload_explains_and_keeps_the_file(client, office):
    from django.core.files.uploadedfile import SimpleUploadedFile

    app = new_file(office, online=False)
    client.force_login(office.counter)
    requirement = app.checks.first().requirement
    response = client.post(
        reverse("backoffice:upload", args=[app.public_id]),
        {
            "requirement": requirement.pk,
            "file": SimpleUploadedFile("setup.pdf", b"MZ\x90\x00" + b"\x00" * 50),
        },
        follow=True,
    )
    assert "bukan PDF, JPEG atau PNG" in response.content.decode()
    assert not app.documents.exists()


@pytest.mark.parametrize("role", ["supervisor", "head"])
def test_supervisors_see_team_load_and_late_files(client, office, role):
    """Two files wait for approval in the supervisor's hands; two weeks on, the older one
    is past its three-day SOP and the newer one (resubmitted later) is not yet due: the
    page counts both as running, one late, and lists the late one only."""
    import datetime

    import time_machine
    from django.utils import timezone

    from permits.services.applications import application_reassign
    from tests.factories import act

    start = timezone.now()
    late = walk(office, new_file(office, office.simple_type), Stage.APPROVAL)
    with time_machine.travel(start + datetime.timedelta(days=14), tick=False):
        fresh = walk(office, new_file(office, office.simple_type), Stage.APPROVAL)
        for app in (late, fresh):
            app.refresh_from_db()
            if app.assigned_to != office.supervisor:  # two supervisors share approvals
                application_reassign(
                    application=app,
                    officer=office.supervisor,
                    actor=act(office.head),
                    reason="Satu meja persetujuan.",
                )
        client.force_login(user_for(office, role))
        page = client.get(reverse("backoffice:team")).content.decode()
    load = page.split("Beban kerja tim", 1)[1].split("Berkas terlambat", 1)[0]
    row = load.split(office.supervisor.display_name, 1)[1].split("</tr>", 1)[0]
    assert "<td>2</td>" in row  # running
    assert '<strong class="late">1</strong>' in row
    listed = page.split("Berkas terlambat", 1)[1]
    assert late.registration_number in listed
    assert fresh.registration_number not in listed
    assert "Tidak ada berkas terlambat." not in listed


@pytest.mark.parametrize("role", ["counter", "technical", "cashier", "auditor", "applicant"])
def test_others_are_refused_the_team_page(client, office, role):
    client.force_login(user_for(office, role))
    assert client.get(reverse("backoffice:team")).status_code == 403


def test_a_supervisor_reassigns_from_the_file_page(client, office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    other = office.counter2 if app.assigned_to == office.counter else office.counter
    client.force_login(office.supervisor)
    client.post(
        reverse("backoffice:reassign", args=[app.public_id]),
        {"officer": other.pk, "reason": "Cuti"},
    )
    app.refresh_from_db()
    assert app.assigned_to == other


def test_the_counter_registers_a_walk_in_file(client, office):
    client.force_login(office.counter)
    url = reverse("backoffice:walk_in")
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {
            "permit_type": office.simple_type.pk,
            "applicant_name": "Joko",
            "applicant_nik": "123",
            "applicant_address": "Jl. Melati 2",
        },
    )
    assert bad.status_code == 400
    assert "16 angka" in bad.content.decode()
    assert "Jl. Melati 2" in bad.content.decode()  # nothing typed is lost
    response = client.post(
        url,
        {
            "permit_type": office.simple_type.pk,
            "applicant_name": "Joko",
            "applicant_nik": "3201010101900003",
            "applicant_address": "Jl. Melati 2",
        },
    )
    assert response.status_code == 302
    app = office.simple_type.applications.get()
    assert app.channel == "counter" and app.created_by == office.counter


@pytest.mark.parametrize("role", ["technical", "supervisor", "auditor", "applicant"])
def test_only_counter_staff_register_walk_in_files(client, office, role):
    client.force_login(user_for(office, role))
    assert client.get(reverse("backoffice:walk_in")).status_code == 403


@pytest.mark.parametrize("officer", ["abc", "", "999999"])
def test_a_reassignment_to_nobody_is_refused_with_a_message(client, office, officer):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    holder = app.assigned_to
    client.force_login(office.supervisor)
    response = client.post(
        reverse("backoffice:reassign", args=[app.public_id]),
        {"officer": officer, "reason": "Cuti"},
    )
    assert response.status_code == 400
    assert "Pilih petugas yang akan menangani berkas ini." in response.content.decode()
    app.refresh_from_db()
    assert app.assigned_to == holder


def test_worklist_filters_with_tampered_values_fall_back_to_the_plain_list(client, office):
    app = walk(office, new_file(office), Stage.SUBMITTED)
    client.force_login(app.assigned_to)
    for bad in ({"permit_type": "abc"}, {"opd": "999999"}, {"stage": "nonsense"}):
        response = client.get(reverse("backoffice:worklist"), bad)
        assert response.status_code == 200
        assert app.registration_number in response.content.decode()


def test_the_type_filter_follows_catalogue_edits(client, office):
    client.force_login(office.counter)
    url = reverse("backoffice:worklist")
    assert office.simple_type.name_id in client.get(url).content.decode()
    office.simple_type.name_id = "Surat Izin Praktik Bidan"
    office.simple_type.save()
    assert "Surat Izin Praktik Bidan" in client.get(url).content.decode()
    office.simple_type.active = False
    office.simple_type.save()
    assert "Surat Izin Praktik Bidan" not in client.get(url).content.decode()


def test_the_type_filter_speaks_the_chosen_language(client, office):
    from django.conf import settings

    client.force_login(office.counter)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(reverse("backoffice:worklist")).content.decode()
    assert office.simple_type.name_en in body


# --- Every write endpoint of the file page, for those who may not use it --------------


def _verifying(office):
    """A file in verification with every check in order: only permission stands in the way."""
    app = walk(office, new_file(office), Stage.VERIFICATION)
    mark_all_ok(app, app.assigned_to)
    return app


def _other_counter(office, app):
    return office.counter2 if app.assigned_to == office.counter else office.counter


def _endpoints(office, app):
    check = app.checks.first()
    return {
        "action": (
            reverse("backoffice:action", args=[app.public_id, "declare_complete"]),
            {"expected_state": app.state},
        ),
        "checklist": (
            reverse("backoffice:checklist", args=[app.public_id]),
            {
                **{f"checklist-status_{c.pk}": "ok" for c in app.checks.all()},
                f"checklist-status_{check.pk}": "invalid",
                f"checklist-note_{check.pk}": "Buram",
            },
        ),
        "upload": (
            reverse("backoffice:upload", args=[app.public_id]),
            {"requirement": check.requirement_id, "file": pdf()},
        ),
        "reassign": (
            reverse("backoffice:reassign", args=[app.public_id]),
            {"officer": _other_counter(office, app).pk, "reason": "Beban kerja"},
        ),
    }


def _snapshot(app):
    app.refresh_from_db()
    return (
        app.state,
        app.assigned_to_id,
        app.events.count(),
        app.documents.count(),
        sorted(app.checks.values_list("status", flat=True)),
    )


@pytest.mark.parametrize("endpoint", ["action", "checklist", "upload", "reassign"])
def test_anonymous_posts_are_sent_to_sign_in_and_change_nothing(client, office, endpoint):
    app = _verifying(office)
    before = _snapshot(app)
    url, data = _endpoints(office, app)[endpoint]
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/")
    assert _snapshot(app) == before


@pytest.mark.parametrize("endpoint", ["action", "checklist", "upload", "reassign"])
@pytest.mark.parametrize("role", ["applicant", "technical", "cashier", "auditor", "counter2"])
def test_posts_by_people_without_the_right_change_nothing(client, office, endpoint, role):
    """The applicant, staff of another stage or unit, the auditor (read-only) and the
    counter officer who does not hold the file: refused, and nothing changes."""
    app = _verifying(office)
    person = _other_counter(office, app) if role == "counter2" else user_for(office, role)
    before = _snapshot(app)
    url, data = _endpoints(office, app)[endpoint]
    client.force_login(person)
    response = client.post(url, data, follow=True)
    assert response.status_code in {200, 403, 404}
    assert _snapshot(app) == before


@pytest.mark.parametrize("endpoint", ["action", "checklist", "upload", "reassign"])
def test_the_same_posts_by_the_right_person_do_change_the_file(client, office, endpoint):
    """The control for the two tests above: the same request succeeds for the holder
    (or, for reassignment, the supervisor)."""
    app = _verifying(office)
    before = _snapshot(app)
    url, data = _endpoints(office, app)[endpoint]
    client.force_login(office.supervisor if endpoint == "reassign" else app.assigned_to)
    client.post(url, data, follow=True)
    assert _snapshot(app) != before


def team_with_late_files(office, count: int):
    """``count`` files waiting for approval, made a day apart (so their deadlines differ)
    and shared by the two supervisors; returned three weeks on, when all are late."""
    import datetime

    from django.utils import timezone

    start = timezone.now() - datetime.timedelta(days=21 + count)
    files = []
    for day in range(count):
        with time_machine.travel(start + datetime.timedelta(days=day), tick=False):
            files.append(walk(office, new_file(office, office.simple_type), Stage.APPROVAL))
    return files


def test_the_teams_late_files_are_the_most_overdue_of_every_officer(office):
    """Each officer's most overdue files are cut at the limit before they are merged: the
    merge must still give the unit's most overdue files, in deadline order."""
    from permits.selectors.backoffice import late_files_of_team

    files = team_with_late_files(office, 7)
    holders = {app.assigned_to_id for app in files}
    assert len(holders) == 2  # both supervisors hold some
    every_late = sorted(
        (app for app in Application.objects.filter(pk__in=[a.pk for a in files])),
        key=lambda app: (app.sop_deadline, app.pk),
    )
    for limit in (1, 3, 5, 10):
        got = late_files_of_team(supervisor=office.supervisor, limit=limit)
        assert [app.pk for app in got] == [app.pk for app in every_late[:limit]]
        assert all(app.permit_type.code == "KES-SIP" for app in got)  # from the catalogue


@pytest.mark.parametrize("count", [2, 12])
def test_the_team_page_runs_a_fixed_number_of_queries(
    client, office, count, django_assert_max_num_queries
):
    files = team_with_late_files(office, count)
    client.force_login(office.supervisor)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("backoffice:team")).content.decode()
    for app in files:
        assert app.registration_number in page


def test_a_worklist_past_its_cap_says_more_than_and_pages_to_the_cap(client, office, monkeypatch):
    from permits.views import backoffice as views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    monkeypatch.setattr(views, "WORKLIST_COUNT_CAP", 5)
    for _ in range(8):
        walk(office, new_file(office, office.simple_type), Stage.SUBMITTED)
    client.force_login(office.supervisor)
    url = reverse("backoffice:worklist")
    first = client.get(url, {"scope": "all"}).content.decode()
    assert "Lebih dari 5 berkas" in first
    assert "Halaman 1 dari 3 lebih" in first
    last = client.get(url, {"scope": "all", "page": 9}).content.decode()
    assert "Halaman 3 dari 3 lebih" in last
    assert last.count("<tr") - 1 == 2  # rows five and six: the cap's last page
    narrowed = client.get(url, {"scope": "all", "stage": "approval"}).content.decode()
    assert "Lebih dari" not in narrowed and "0 berkas" in narrowed


def test_a_registration_number_searched_finds_that_file_only(client, office):
    """Typed as the office writes it (any case), the number is looked up by its unique
    index; a business named like a number is not matched by it."""
    app = walk(office, new_file(office, office.simple_type), Stage.SUBMITTED)
    other = walk(office, new_file(office, office.simple_type), Stage.SUBMITTED)
    Application.objects.filter(pk=other.pk).update(business_name=f"Toko {app.registration_number}")
    client.force_login(office.supervisor)
    url = reverse("backoffice:worklist")
    for typed in (app.registration_number, app.registration_number.lower()):
        body = client.get(url, {"scope": "all", "q": typed}).content.decode()
        assert body.count(f">{app.registration_number}<") == 1
        assert other.registration_number not in body
    by_name = client.get(url, {"scope": "all", "q": "Toko"}).content.decode()
    assert other.registration_number in by_name
