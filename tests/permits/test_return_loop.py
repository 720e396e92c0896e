"""The return loop: content found wanting is never a replacement.

A requirement found missing or invalid waits for a document with new content; the same
bytes again (the same SHA-256) are refused at upload, at resubmission and, without a
written note, at the counter's "ok". The counter's checklist has no default verdict.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from permits.event_names import CHECK_REAFFIRMED_WANTING
from permits.models import CheckStatus, Document, Stage
from permits.services.applications import application_resubmit
from permits.services.checks import (
    ChecklistRefused,
    check_update,
    checklist_save,
    checks_awaiting_replacement,
)
from permits.services.context import ActionRefused
from permits.services.documents import document_upload
from tests.factories import PDF, act, declare_clear, new_file, pdf, return_file, walk

pytestmark = pytest.mark.django_db

NEW_STR = PDF + b"% STR baru 2026\n"
SAME = "Berkas ini sama persis dengan yang dikembalikan petugas"


def returned(office):
    """An online file returned for an invalid STR (the STR uploaded was ``PDF``)."""
    app = walk(office, new_file(office), Stage.VERIFICATION)
    app = return_file(office, app)
    assert app.state == Stage.RETURNED
    return app


def upload(office, app, code, content, user=None):
    requirement = app.checks.get(requirement__code=code).requirement
    return document_upload(
        application=app,
        requirement=requirement,
        uploaded=pdf(content=content),
        actor=act(user or office.applicant),
    )


def test_the_same_file_again_is_refused_with_a_plain_message(office):
    app = returned(office)
    with pytest.raises(ActionRefused, match=SAME):
        upload(office, app, "STR", PDF)
    assert app.documents.filter(requirement__code="STR").count() == 1
    assert upload(office, app, "STR", NEW_STR).version == 2


def test_a_requirement_not_found_wanting_takes_any_file(office):
    app = returned(office)
    assert upload(office, app, "KTP", PDF).version == 2  # KTP was fine: no rule applies


def test_resubmission_waits_for_every_flagged_requirement(office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    from permits.services.applications import application_return

    checks = {c.requirement.code: c for c in app.checks.select_related("requirement")}
    app = application_return(
        application=app,
        actor=act(app.assigned_to),
        findings={
            checks["KTP"].pk: (CheckStatus.INVALID, "KTP buram."),
            checks["STR"].pk: (CheckStatus.MISSING, "STR tidak ada halaman kedua."),
        },
    )
    owner = act(office.applicant)
    with pytest.raises(ActionRefused) as refused:
        application_resubmit(application=app, actor=owner)
    ktp, str_ = checks["KTP"].requirement.name, checks["STR"].requirement.name
    assert ktp in refused.value.message and str_ in refused.value.message
    upload(office, app, "KTP", PDF + b"% KTP jelas\n")
    with pytest.raises(ActionRefused) as refused:
        application_resubmit(application=app, actor=owner)
    assert str_ in refused.value.message and ktp not in refused.value.message
    upload(office, app, "STR", NEW_STR)
    assert checks_awaiting_replacement(application=app) == []
    app = application_resubmit(application=app, actor=owner, expected_state=Stage.RETURNED)
    assert app.state == Stage.VERIFICATION


def test_a_version_found_wanting_earlier_does_not_count_as_new(office):
    """v1 invalid, v2 invalid too: bringing v1 back is refused, and old content smuggled
    in before this rule (a row written directly) does not open resubmission either."""
    app = returned(office)
    upload(office, app, "STR", NEW_STR)
    app = application_resubmit(application=app, actor=act(office.applicant))
    app = walk(office, app, Stage.VERIFICATION)
    app = return_file(office, app)  # v2 found invalid as well
    for content in (PDF, NEW_STR):
        with pytest.raises(ActionRefused, match=SAME):
            upload(office, app, "STR", content)
    first = app.documents.get(requirement__code="STR", version=1)
    Document.objects.create(
        application=app,
        requirement=first.requirement,
        version=3,
        file=first.file.name,
        original_name="lama.pdf",
        content_type=first.content_type,
        size=first.size,
        sha256=first.sha256,
        uploaded_by=office.applicant,
    )
    with pytest.raises(ActionRefused, match="Ganti dulu dokumen"):
        application_resubmit(application=app, actor=act(office.applicant))


def test_ok_over_content_found_wanting_needs_a_note_and_is_recorded(office):
    app = returned(office)
    # Before this rule an applicant could send the same bytes back (a row written directly).
    first = app.documents.get(requirement__code="STR")
    Document.objects.create(
        application=app,
        requirement=first.requirement,
        version=2,
        file=first.file.name,
        original_name="str-lagi.pdf",
        content_type=first.content_type,
        size=first.size,
        sha256=first.sha256,
        uploaded_by=office.applicant,
    )
    from tests.factories import fire

    app = fire(app, "resubmit", office.applicant)  # the old path, without the new rule
    officer = act(app.assigned_to)
    declare_clear(app, app.assigned_to)
    check = app.checks.get(requirement__code="STR")
    with pytest.raises(ActionRefused, match="sama persis dengan versi yang sebelumnya"):
        check_update(check=check, status=CheckStatus.OK, note="", actor=officer)
    check.refresh_from_db()
    assert check.status == CheckStatus.INVALID
    assert not app.events.filter(action=CHECK_REAFFIRMED_WANTING).exists()
    check_update(check=check, status=CheckStatus.OK, note="Asli dilihat di loket.", actor=officer)
    event = app.events.get(action=CHECK_REAFFIRMED_WANTING)
    assert event.note == "Asli dilihat di loket."
    assert event.data == {
        "requirement": "STR",
        "from": "invalid",
        "version": 2,
        "sha256": first.sha256,
    }
    assert event.actor == app.assigned_to


def test_ok_without_a_new_document_is_recorded_when_a_note_allows_it(office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    officer = act(app.assigned_to)
    check = app.checks.get(requirement__code="STR")
    check_update(check=check, status=CheckStatus.INVALID, note="Buram", actor=officer)
    check_update(check=check, status=CheckStatus.OK, note="Asli diperlihatkan", actor=officer)
    assert app.events.filter(action=CHECK_REAFFIRMED_WANTING).count() == 1


def test_ok_over_new_content_needs_no_note_and_records_nothing_more(office):
    app = returned(office)
    upload(office, app, "STR", NEW_STR)
    app = application_resubmit(application=app, actor=act(office.applicant))
    declare_clear(app, app.assigned_to)
    check = app.checks.get(requirement__code="STR")
    check_update(check=check, status=CheckStatus.OK, note="", actor=act(app.assigned_to))
    assert not app.events.filter(action=CHECK_REAFFIRMED_WANTING).exists()


def verdicts_all(app, status=CheckStatus.OK, note=""):
    return {c.pk: (status, note) for c in app.checks.all()}


def test_the_checklist_needs_a_verdict_for_every_requirement(office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    verdicts = verdicts_all(app)
    foto = app.checks.get(requirement__code="FOTO")
    verdicts[foto.pk] = ("", "")
    with pytest.raises(ChecklistRefused) as refused:
        checklist_save(application=app, verdicts=verdicts, actor=act(app.assigned_to))
    assert "Pilih hasil pemeriksaan untuk setiap persyaratan" in refused.value.message
    assert foto.requirement.name in refused.value.message
    assert list(refused.value.errors) == [foto.pk]
    assert set(app.checks.values_list("status", flat=True)) == {CheckStatus.PENDING}


def test_the_checklist_saves_everything_or_nothing(office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    officer = act(app.assigned_to)
    verdicts = verdicts_all(app)
    str_ = app.checks.get(requirement__code="STR")
    verdicts[str_.pk] = (CheckStatus.INVALID, "")  # no note: refused, nothing saved
    with pytest.raises(ChecklistRefused) as refused:
        checklist_save(application=app, verdicts=verdicts, actor=officer)
    assert refused.value.errors == {
        str_.pk: "Tuliskan catatan: apa yang kurang atau salah, dan cara memperbaikinya."
    }
    assert set(app.checks.values_list("status", flat=True)) == {CheckStatus.PENDING}
    verdicts[str_.pk] = (CheckStatus.INVALID, "STR kedaluwarsa.")
    checklist_save(application=app, verdicts=verdicts, actor=officer)
    assert dict(app.checks.values_list("requirement__code", "status")) == {
        "KTP": "ok",
        "STR": "invalid",
        "FOTO": "ok",
    }
    events = app.events.filter(action="check.updated").count()
    checklist_save(application=app, verdicts=verdicts, actor=officer)  # saved again unchanged
    assert app.events.filter(action="check.updated").count() == events


def test_the_return_reuses_the_saved_checklist_without_a_second_verdict(office):
    from permits.services.applications import application_return

    app = walk(office, new_file(office), Stage.VERIFICATION)
    officer = act(app.assigned_to)
    verdicts = verdicts_all(app)
    str_ = app.checks.get(requirement__code="STR")
    verdicts[str_.pk] = (CheckStatus.INVALID, "STR kedaluwarsa.")
    checklist_save(application=app, verdicts=verdicts, actor=officer)
    application_return(application=app, actor=officer, findings={str_.pk: verdicts[str_.pk]})
    assert app.events.filter(action="check.updated", data__requirement="STR").count() == 1


def test_a_walk_in_scan_identical_to_the_refused_one_is_refused_too(office):
    app = new_file(office, online=False)
    upload(office, app, "STR", PDF, user=office.counter)
    app = walk(office, app, Stage.VERIFICATION)
    officer = app.assigned_to
    check = app.checks.get(requirement__code="STR")
    check_update(check=check, status=CheckStatus.INVALID, note="Buram", actor=act(officer))
    with pytest.raises(ActionRefused, match=SAME):
        document_upload(
            application=app,
            requirement=check.requirement,
            uploaded=SimpleUploadedFile("scan.pdf", PDF),
            actor=act(officer),
        )
