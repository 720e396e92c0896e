"""The site visit's report (berita acara, issue 22.2): written by the lead once the agreed
time has come, a result for every checklist item; signed by each officer of the team (who
declares on the file first) and by the applicant's side (in their account, with an
objection if they have one, or on site, recorded by the lead); then its PDF is stored and
the inspection may be finished. Every act under the file's guards.

The clock: Monday 14 December 2026, 08.30 WIB; the visit is agreed for Tuesday 10.00."""

from __future__ import annotations

import subprocess

import pytest
import time_machine

from integrity.conflicts.services.declarations import file_declare
from outbox.models import Message
from permits.event_names import (
    INTEGRITY_HELD_ATTEMPT,
    SITE_VISIT_APPLICANT_SIGNED,
    SITE_VISIT_REPORTED,
    SITE_VISIT_SIGNED,
)
from permits.models import (
    DEFAULT_CHECKLIST,
    ApplicantSignature,
    Conclusion,
    FindingResult,
    SiteVisit,
    Stage,
    VisitStatus,
)
from permits.services.context import ActionRefused, HeldRefused
from permits.services.site_visit_reports import (
    checklist_of,
    site_visit_applicant_sign,
    site_visit_report,
    site_visit_sign,
)
from permits.services.site_visits import site_visit_answer
from tests.factories import act, fire, hold
from tests.permits.test_site_visits import at, in_inspection, monday, propose  # noqa: F401

pytestmark = pytest.mark.django_db

OK = [(FindingResult.MATCHES, "")] * len(DEFAULT_CHECKLIST)
AFTER_THE_VISIT = at(2026, 12, 15, 11, 30)


def agreed(office):
    """A file in inspection whose visit was agreed on Monday for Tuesday 10.00."""
    with time_machine.travel(at(2026, 12, 14, 8, 30), tick=True):
        app = in_inspection(office)
        propose(app)
        site_visit_answer(application=app, actor=act(office.applicant), confirm=True)
    return app


def report(app, results=None, conclusion=Conclusion.MATCHES, summary="Lokasi sesuai.", by=None):
    return site_visit_report(
        application=app,
        actor=act(by or app.assigned_to),
        results=OK if results is None else results,
        conclusion=conclusion,
        summary=summary,
    )


def companion_of(app):
    return SiteVisit.objects.get(application=app).members.exclude(officer=app.assigned_to).get()


@pytest.fixture
def after_visit():
    with time_machine.travel(AFTER_THE_VISIT, tick=True):
        yield


# --- writing it ------------------------------------------------------------------------------


def test_the_report_waits_for_the_agreed_time(office):
    app = agreed(office)
    with pytest.raises(ActionRefused, match="sesudah jadwal peninjauan tiba"):
        report(app)
    assert SiteVisit.objects.get().status == VisitStatus.CONFIRMED


def test_the_lead_writes_the_report_and_the_team_and_the_applicant_are_asked_to_sign(
    office, after_visit
):
    app = agreed(office)
    visit = report(
        app,
        results=[
            (FindingResult.MATCHES, ""),
            (FindingResult.DIFFERS, "Ada tambahan satu ruang di belakang."),
            (FindingResult.NOT_APPLICABLE, ""),
            (FindingResult.MATCHES, ""),
        ],
        conclusion=Conclusion.WITH_NOTES,
        summary="Bangunan sesuai kecuali satu ruang tambahan.",
    )
    assert visit.status == VisitStatus.REPORTED
    assert [(f.item, f.result) for f in visit.findings.all()] == [
        (str(DEFAULT_CHECKLIST[0]), "matches"),
        (str(DEFAULT_CHECKLIST[1]), "differs"),
        (str(DEFAULT_CHECKLIST[2]), "na"),
        (str(DEFAULT_CHECKLIST[3]), "matches"),
    ]
    assert visit.history.first().history_user == app.assigned_to
    event = app.events.get(action=SITE_VISIT_REPORTED)
    assert event.data == {"visit": visit.pk, "conclusion": "with_notes", "differs": True}
    (to_sign,) = Message.objects.filter(kind="site_visit.report_to_sign")
    assert to_sign.recipient == companion_of(app).officer
    assert Message.objects.filter(kind="site_visit.report_written").count() == 1


def test_a_type_s_own_checklist_is_used(office, after_visit):
    office.full_type.inspection_checklist = ["Apoteker penanggung jawab ada di tempat", "  "]
    office.full_type.save()
    app = agreed(office)
    assert checklist_of(app) == ["Apoteker penanggung jawab ada di tempat"]
    visit = report(app, results=[(FindingResult.MATCHES, "")])
    assert visit.findings.get().item == "Apoteker penanggung jawab ada di tempat"


def test_an_incomplete_report_is_refused(office, after_visit):
    app = agreed(office)
    for results, conclusion, summary, problem in [
        (OK[:-1], Conclusion.MATCHES, "Sesuai.", "setiap butir periksa"),
        ([("maybe", "")] * 4, Conclusion.MATCHES, "Sesuai.", "setiap butir periksa"),
        (
            [(FindingResult.DIFFERS, " "), *OK[1:]],
            Conclusion.DIFFERS,
            "Tidak sesuai.",
            "Tuliskan apa yang tidak sesuai pada butir",
        ),
        (
            [(FindingResult.DIFFERS, "Alamat lain."), *OK[1:]],
            Conclusion.MATCHES,
            "Sesuai.",
            "kesimpulannya tidak dapat",
        ),
        (OK, "perhaps", "Sesuai.", "Pilih kesimpulan"),
        (OK, Conclusion.MATCHES, "  ", "Uraikan hasil peninjauan"),
    ]:
        with pytest.raises(ActionRefused, match=problem):
            report(app, results=results, conclusion=conclusion, summary=summary)
    assert SiteVisit.objects.get().status == VisitStatus.CONFIRMED


def test_only_the_lead_writes_it(office, after_visit):
    app = agreed(office)
    with pytest.raises(ActionRefused):
        report(app, by=companion_of(app).officer)
    with pytest.raises(ActionRefused):
        report(app, by=office.counter)


def test_a_held_file_refuses_the_report_and_the_attempt_is_recorded(office, after_visit):
    app = agreed(office)
    hold(office, app)
    with pytest.raises(HeldRefused):
        report(app)
    assert app.events.filter(action=INTEGRITY_HELD_ATTEMPT).exists()


def test_the_report_may_be_corrected_until_someone_signs(office, after_visit):
    app = agreed(office)
    report(app, summary="Pertama.")
    assert report(app, summary="Kedua.").summary == "Kedua."
    assert SiteVisit.objects.get().findings.count() == len(DEFAULT_CHECKLIST)
    site_visit_sign(application=app, actor=act(app.assigned_to))
    with pytest.raises(ActionRefused, match="sudah ditandatangani"):
        report(app, summary="Ketiga.")


def test_once_visited_the_time_cannot_be_proposed_again(office, after_visit):
    app = agreed(office)
    report(app)
    with pytest.raises(ActionRefused, match="sudah dilakukan"):
        propose(app, when=at(2026, 12, 16, 10))


# --- signing it ------------------------------------------------------------------------------


def test_the_companion_declares_before_signing_and_signs_once(office, after_visit):
    app = agreed(office)
    report(app)
    companion = companion_of(app).officer
    with pytest.raises(ActionRefused, match="konflik kepentingan"):
        site_visit_sign(application=app, actor=act(companion))
    file_declare(application=app, actor=act(companion), has_conflict=False)
    site_visit_sign(application=app, actor=act(companion))
    assert companion_of(app).signed_at is not None
    assert app.events.get(action=SITE_VISIT_SIGNED).actor == companion
    with pytest.raises(ActionRefused, match="sudah menandatangani"):
        site_visit_sign(application=app, actor=act(companion))


def test_an_officer_not_on_the_team_cannot_sign(office, after_visit, make_user):
    from accounts.models import Role

    app = agreed(office)
    report(app)
    outsider = make_user(Role.TECHNICAL, unit=office.dinkes)
    with pytest.raises(ActionRefused):
        site_visit_sign(application=app, actor=act(outsider))


def test_the_applicant_signs_in_their_account_with_an_objection(office, after_visit):
    app = agreed(office)
    report(app)
    with pytest.raises(ActionRefused):
        site_visit_applicant_sign(application=app, actor=act(office.other_applicant))
    visit = site_visit_applicant_sign(
        application=app, actor=act(office.applicant), objection="Ruang belakang itu gudang."
    )
    assert visit.applicant_signed_how == ApplicantSignature.ACCOUNT
    assert visit.applicant_signer == office.applicant.display_name
    assert visit.applicant_objection == "Ruang belakang itu gudang."
    event = app.events.get(action=SITE_VISIT_APPLICANT_SIGNED)
    assert event.actor == office.applicant and event.data["objection"] is True
    with pytest.raises(ActionRefused, match="sudah ditandatangani pihak pemohon"):
        site_visit_applicant_sign(application=app, actor=act(office.applicant))


def test_the_lead_records_a_signature_given_on_site(office, after_visit):
    app = agreed(office)
    report(app)
    lead = app.assigned_to
    with pytest.raises(ActionRefused, match="nama yang menandatangani"):
        site_visit_applicant_sign(application=app, actor=act(lead), signer=" ")
    with pytest.raises(ActionRefused):  # the companion does not record it
        site_visit_applicant_sign(
            application=app, actor=act(companion_of(app).officer), signer="Siti"
        )
    visit = site_visit_applicant_sign(
        application=app, actor=act(lead), signer="Ahmad (kuasa pemohon)"
    )
    assert visit.applicant_signed_how == ApplicantSignature.ON_SITE
    assert visit.applicant_signer == "Ahmad (kuasa pemohon)"


def test_nothing_is_signed_before_the_report_is_written(office, after_visit):
    app = agreed(office)
    with pytest.raises(ActionRefused, match="belum ditulis"):
        site_visit_sign(application=app, actor=act(app.assigned_to))
    with pytest.raises(ActionRefused, match="belum ditulis"):
        site_visit_applicant_sign(application=app, actor=act(office.applicant))


# --- complete: the PDF, and the inspection finished ------------------------------------------


def signed_by_all(app, office, capture):
    lead, companion = app.assigned_to, companion_of(app).officer
    site_visit_sign(application=app, actor=act(lead))
    file_declare(application=app, actor=act(companion), has_conflict=False)
    site_visit_sign(application=app, actor=act(companion))
    with capture(execute=True):
        site_visit_applicant_sign(
            application=app, actor=act(office.applicant), objection="Ruang belakang itu gudang."
        )
    return SiteVisit.objects.get(application=app)


def test_the_inspection_is_finished_only_once_every_signature_is_in(
    office, after_visit, django_capture_on_commit_callbacks
):
    app = agreed(office)
    with pytest.raises(ActionRefused, match="berita acaranya belum"):
        fire(app, "finish_inspection", app.assigned_to)
    report(
        app,
        results=[(FindingResult.DIFFERS, "Ada ruang tambahan."), *OK[1:]],
        conclusion=Conclusion.WITH_NOTES,
        summary="Sesuai dengan catatan.",
    )
    with pytest.raises(ActionRefused, match="berita acaranya belum"):
        fire(app, "finish_inspection", app.assigned_to)
    visit = signed_by_all(app, office, django_capture_on_commit_callbacks)
    assert visit.status == VisitStatus.SIGNED and visit.signed_at is not None
    assert visit.report_pdf and len(visit.report_sha256) == 64
    app = fire(app, "finish_inspection", app.assigned_to)
    assert app.state != Stage.INSPECTION


def test_the_report_pdf_says_what_was_found_and_who_signed(
    office, after_visit, django_capture_on_commit_callbacks, tmp_path
):
    app = agreed(office)
    report(
        app,
        results=[(FindingResult.DIFFERS, "Ada ruang tambahan."), *OK[1:]],
        conclusion=Conclusion.WITH_NOTES,
        summary="Sesuai dengan catatan.",
    )
    visit = signed_by_all(app, office, django_capture_on_commit_callbacks)
    path = tmp_path / "ba.pdf"
    path.write_bytes(visit.report_pdf.read())
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(text.split())
    assert "BERITA ACARA PENINJAUAN LAPANGAN" in text
    assert app.registration_number in text
    assert "Selasa, 15 Desember 2026, 10.00" in text  # the appointment, in WIB
    assert "Ada ruang tambahan." in text and "Tidak sesuai" in text
    assert "Sesuai, dengan catatan" in text
    for member in visit.members.all():
        assert member.officer.display_name in text
    assert "Ruang belakang itu gudang." in text  # the objection is printed
