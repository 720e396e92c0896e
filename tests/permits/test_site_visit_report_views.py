"""The site visit's report on the pages (issue 22.2): the lead writes it on the file page,
the team signs there, the applicant signs on their own page (or the lead records a
signature given on site), and the signed PDF is downloaded by staff and the applicant.
Bad input keeps what was typed; other people are refused; with Redis down the last
signature lands and the PDF is made when first asked for."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.urls import reverse

from integrity.conflicts.services.declarations import file_declare
from permits.models import DEFAULT_CHECKLIST, SiteVisit, VisitStatus
from tests.factories import act
from tests.permits.test_site_visit_reports import (
    AFTER_THE_VISIT,
    agreed,
    companion_of,
    report,
)
from tests.permits.test_site_visits import monday  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def after_visit(monday):  # noqa: F811
    with time_machine.travel(AFTER_THE_VISIT, tick=True):
        yield


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def staff_post(client, user, app, act_name, data=None):
    if user is not None:
        client.force_login(user)
    return client.post(reverse("backoffice:site_visit", args=[app.public_id, act_name]), data or {})


def report_data(**changes) -> dict:
    data = {f"result_{i}": "matches" for i in range(len(DEFAULT_CHECKLIST))}
    data |= {"conclusion": "matches", "summary": "Lokasi sesuai permohonan."}
    return data | changes


def test_the_lead_writes_the_report_on_the_file_page(client, office):
    app = agreed(office)
    client.force_login(app.assigned_to)
    page = text(client.get(reverse("backoffice:file", args=[app.public_id])))
    assert "Tulis berita acara" in page and str(DEFAULT_CHECKLIST[0]) in page
    assert "Selesaikan peninjauan lapangan" not in page  # not while the visit is open
    answer = staff_post(client, None, app, "report", report_data())
    assert answer.status_code == 302
    page = text(client.get(reverse("backoffice:file", args=[app.public_id])))
    assert "Berita acara peninjauan lapangan" in page
    assert "Lokasi dan kegiatan sesuai dengan permohonan" in page
    assert "belum menandatangani" in page
    assert "Tandatangani berita acara" in page  # the lead signs too


def test_a_bad_report_is_refused_and_what_was_typed_stays(client, office):
    app = agreed(office)
    for changes, problem in [
        ({"result_1": "differs"}, "Tuliskan apa yang tidak sesuai pada butir"),
        ({"result_0": ""}, "Pilih hasil butir ini."),
        ({"conclusion": ""}, "Pilih kesimpulan peninjauan."),
        ({"summary": ""}, "Uraikan hasil peninjauan."),
    ]:
        data = report_data(note_2="Parkir hanya 2 mobil.", **changes)
        answer = staff_post(client, app.assigned_to, app, "report", data)
        assert answer.status_code == 400, changes
        assert problem in text(answer)
        assert "Parkir hanya 2 mobil." in answer.content.decode()
    assert SiteVisit.objects.get().status == VisitStatus.CONFIRMED


def test_the_companion_declares_then_signs_on_the_file_page(client, office):
    app = agreed(office)
    report(app)
    companion = companion_of(app).officer
    client.force_login(companion)
    page = text(client.get(reverse("backoffice:file", args=[app.public_id])))
    assert "konflik kepentingan" in page  # asked to declare first
    refused = staff_post(client, None, app, "sign")
    assert refused.status_code == 302
    assert companion_of(app).signed_at is None
    file_declare(application=app, actor=act(companion), has_conflict=False)
    assert staff_post(client, None, app, "sign").status_code == 302
    assert companion_of(app).signed_at is not None


def test_other_roles_cannot_sign_or_report(client, office):
    app = agreed(office)
    report(app)
    for who in ["counter", "applicant", "supervisor"]:
        assert staff_post(client, getattr(office, who), app, "sign").status_code == 403
        assert staff_post(client, None, app, "report", report_data()).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, office):
    app = agreed(office)
    answer = staff_post(client, None, app, "report", report_data())
    assert answer.status_code == 302 and "/akun/masuk/" in answer["Location"]


def test_an_on_site_signature_needs_a_name_and_the_tick(client, office):
    app = agreed(office)
    report(app)
    for data, problem in [
        ({"read": "on"}, "Tuliskan nama yang menandatangani di lokasi."),
        ({"signer": "Ahmad"}, "Centang bahwa pihak pemohon sudah menandatangani."),
    ]:
        answer = staff_post(
            client, app.assigned_to, app, "applicant_sign", {**data, "objection": "Catatan saya."}
        )
        assert answer.status_code == 400, data
        assert problem in text(answer)
        assert "Catatan saya." in answer.content.decode()
    assert SiteVisit.objects.get().applicant_signed_at is None


def test_the_applicant_signs_on_their_page_and_downloads_the_pdf(
    client, office, django_capture_on_commit_callbacks
):
    app = agreed(office)
    report(app)
    lead, companion = app.assigned_to, companion_of(app).officer
    from permits.services.site_visit_reports import site_visit_sign

    site_visit_sign(application=app, actor=act(lead))
    file_declare(application=app, actor=act(companion), has_conflict=False)
    site_visit_sign(application=app, actor=act(companion))
    client.force_login(office.applicant)
    url = reverse("applicant:site_visit_sign", args=[app.public_id])
    refused = client.post(url, {"objection": "Ruang belakang itu gudang."})
    assert refused.status_code == 400
    assert "Centang bahwa Anda sudah membaca berita acara." in text(refused)
    assert "Ruang belakang itu gudang." in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        signed = client.post(url, {"read": "on", "objection": "Ruang belakang itu gudang."})
    assert signed.status_code == 302
    page = text(client.get(reverse("applicant:file", args=[app.public_id])))
    assert "Unduh berita acara (PDF)" in page and "Ruang belakang itu gudang." in page
    pdf = client.get(reverse("applicant:site_visit_report", args=[app.public_id]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    client.force_login(office.other_applicant)
    assert (
        client.get(reverse("applicant:site_visit_report", args=[app.public_id])).status_code == 404
    )
    client.force_login(office.counter)
    staff_pdf = client.get(reverse("backoffice:site_visit_report", args=[app.public_id]))
    assert staff_pdf.status_code == 200
    client.logout()
    anonymous = client.get(reverse("backoffice:site_visit_report", args=[app.public_id]))
    assert anonymous.status_code == 302


def test_no_pdf_before_every_signature(client, office):
    app = agreed(office)
    report(app)
    client.force_login(app.assigned_to)
    assert (
        client.get(reverse("backoffice:site_visit_report", args=[app.public_id])).status_code == 404
    )


def test_with_redis_down_the_last_signature_lands_and_the_pdf_is_made_when_asked(
    client, office, redis_down, django_capture_on_commit_callbacks
):
    app = agreed(office)
    report(app)
    lead, companion = app.assigned_to, companion_of(app).officer
    from permits.services.site_visit_reports import site_visit_sign

    site_visit_sign(application=app, actor=act(lead))
    file_declare(application=app, actor=act(companion), has_conflict=False)
    client.force_login(office.applicant)
    client.post(reverse("applicant:site_visit_sign", args=[app.public_id]), {"read": "on"})
    with django_capture_on_commit_callbacks(execute=True):
        answer = staff_post(client, companion, app, "sign")
    assert answer.status_code == 302
    visit = SiteVisit.objects.get()
    assert visit.status == VisitStatus.SIGNED and not visit.report_pdf  # the task never ran
    pdf = client.get(reverse("backoffice:site_visit_report", args=[app.public_id]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert SiteVisit.objects.get().report_sha256


def test_the_approver_is_warned_of_an_inspection_finished_without_a_report(
    client, office, django_capture_on_commit_callbacks
):
    from permits.models import Stage
    from tests.factories import fire, new_file, walk
    from tests.permits.test_site_visit_reports import signed_by_all

    warning = "Tahap peninjauan lapangan diselesaikan tanpa berita acara peninjauan"
    bare = walk(office, new_file(office), Stage.APPROVAL)  # inspection finished, no visit
    visited = agreed(office)
    report(visited)
    signed_by_all(visited, office, django_capture_on_commit_callbacks)
    visited = walk(office, fire(visited, "finish_inspection", visited.assigned_to), Stage.APPROVAL)
    client.force_login(bare.assigned_to)
    assert warning in text(client.get(reverse("backoffice:file", args=[bare.public_id])))
    client.force_login(visited.assigned_to)
    page = text(client.get(reverse("backoffice:file", args=[visited.public_id])))
    assert warning not in page
    assert "Unduh berita acara (PDF)" in page  # the approver reads the report
