"""FLIP reads content: an "ok" on a document byte-identical to one found wanting, or with
nothing new since it was found wanting, is the flag; a real new document is not. How fast
the file then moved (working time) raises the severity. Files move through the real
services only: the counter's checklist, the return, uploads and the resubmission gate."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine

from integrity.models import RuleSetting, Severity
from permits.models import CheckStatus, Stage
from permits.services.applications import application_resubmit, application_return
from permits.services.checks import ChecklistRefused, checklist_save
from permits.services.context import ActionRefused
from permits.services.documents import document_upload
from tests.factories import PDF, act, declare_clear, fire, mark_all_ok, new_file, pdf, walk
from tests.integrity.kit import evaluate_all, rule_flags

pytestmark = [pytest.mark.django_db, pytest.mark.judged_once]  # see tests/conftest.py

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
WEDNESDAY_9 = datetime.datetime(2026, 11, 18, 9, 0, tzinfo=JAKARTA)
NEW_STR = PDF + b"% STR baru 2026\n"
NEW_KTP = PDF + b"% KTP jelas\n"


def at(minutes: float):
    return time_machine.travel(WEDNESDAY_9 + datetime.timedelta(minutes=minutes), tick=False)


def verdicts(app, **overrides):
    """Every requirement ok, except ``overrides`` (code: (status, note))."""
    return {
        check.pk: overrides.get(check.requirement.code, (CheckStatus.OK, ""))
        for check in app.checks.select_related("requirement")
    }


def save(app, **overrides):
    app.refresh_from_db()
    declare_clear(app, app.assigned_to)
    return checklist_save(
        application=app, verdicts=verdicts(app, **overrides), actor=act(app.assigned_to)
    )


def upload(office, app, code, content):
    requirement = app.checks.get(requirement__code=code).requirement
    return document_upload(
        application=app,
        requirement=requirement,
        uploaded=pdf(content=content),
        actor=act(office.applicant),
    )


def give_back(app, code, note):
    check = app.checks.get(requirement__code=code)
    return application_return(
        application=app,
        actor=act(app.assigned_to),
        findings={check.pk: (CheckStatus.INVALID, note)},
    )


def in_verification(office):
    with at(0):
        return walk(office, new_file(office), Stage.VERIFICATION)


def str_sent_again(office, content: bytes):
    """STR v1 found invalid at 9.10; the applicant sends ``content`` as v2 and resubmits
    at 10.00."""
    app = in_verification(office)
    with at(10):
        app = give_back(app, "STR", "STR kedaluwarsa.")
    with at(60):
        upload(office, app, "STR", content)
        return application_resubmit(application=app, actor=act(office.applicant))


def test_an_ok_on_the_returned_bytes_brought_back_raises_flip(office):
    """STR v1 found invalid, replaced by a real v2 and passed; the file comes back for its
    KTP and the applicant puts v1's bytes back as STR v3 (the requirement stood "ok", so
    the upload is taken, marked as identical). The officer passes STR again, with the
    reason the checklist asks for: FLIP, content ``same_hash``."""
    app = str_sent_again(office, NEW_STR)
    with at(70):
        save(app)
        app = give_back(app, "KTP", "KTP buram.")
    with at(120):
        upload(office, app, "KTP", NEW_KTP)
        back = upload(office, app, "STR", PDF)
        app = application_resubmit(application=app, actor=act(office.applicant))
    assert back.version == 3
    assert app.events.get(action="document.uploaded", data__version=3).data["same_as_version"] == 1
    with at(130):
        with pytest.raises(ChecklistRefused, match="sama persis dengan versi yang sebelumnya"):
            save(app)
        save(app, STR=(CheckStatus.OK, "Pemohon bersikeras STR lama masih berlaku."))
    ok = app.events.filter(action="check.updated", data__requirement="STR").latest("seq")
    assert ok.data["same_content"] is True and ok.data["content"] == "same_hash"
    evaluate_all()
    flag = rule_flags("FLIP").get()
    assert flag.application == app
    assert flag.detail == {"requirement": "STR", "content": "same_hash"}
    assert flag.severity == Severity.MEDIUM
    assert list(flag.evidence.order_by("seq").values_list("action", flat=True)) == [
        "check.updated",  # v1 found invalid
        "document.uploaded",  # v3, v1's bytes
        "check.updated",  # the ok on them
    ]


def test_an_ok_with_no_new_document_since_raises_flip(office):
    app = in_verification(office)
    with at(10):
        save(app, STR=(CheckStatus.MISSING, "Halaman kedua STR tidak ada."))
    with at(40):
        with pytest.raises(ChecklistRefused, match="belum ada dokumen baru"):
            save(app)
        save(app, STR=(CheckStatus.OK, "Asli diperlihatkan di loket."))
    ok = app.events.filter(action="check.updated", data__requirement="STR").latest("seq")
    assert ok.data["same_content"] is True and ok.data["content"] == "no_new_document"
    evaluate_all()
    flag = rule_flags("FLIP").get()
    assert flag.detail == {"requirement": "STR", "content": "no_new_document"}
    assert flag.officer == app.assigned_to


def test_a_real_new_document_then_ok_raises_nothing(office):
    """The legitimate return: found invalid, replaced with new content, passed, and the
    file moves on at once."""
    app = str_sent_again(office, NEW_STR)
    with at(70):
        save(app)
        fire(app, "declare_complete", app.assigned_to)
    ok = app.events.filter(action="check.updated", data__requirement="STR").latest("seq")
    assert "same_content" not in ok.data
    evaluate_all()
    assert not rule_flags("FLIP").exists()


def test_an_ok_changing_only_its_note_is_not_a_second_flip(office):
    app = in_verification(office)
    with at(10):
        save(app, STR=(CheckStatus.INVALID, "Buram."))
    with at(40):
        save(app, STR=(CheckStatus.OK, "Asli dilihat."))
    with at(50):
        save(app, STR=(CheckStatus.OK, "Asli dilihat dan difotokopi."))
    evaluate_all()
    assert rule_flags("FLIP").count() == 1


def test_the_applicant_sending_the_returned_bytes_again_is_told_so(office):
    app = in_verification(office)
    with at(10):
        app = give_back(app, "STR", "STR kedaluwarsa.")
    with at(60), pytest.raises(ActionRefused, match="sama persis dengan yang dikembalikan"):
        upload(office, app, "STR", PDF)


def flipped_then_moved(office, minutes_later: float):
    """STR found invalid at 09.10 and passed without a new document at 09.40, the file
    declared complete later."""
    app = in_verification(office)
    with at(10):
        save(app, STR=(CheckStatus.INVALID, "Buram."))
    with at(40):
        save(app, STR=(CheckStatus.OK, "Asli dilihat."))
    with at(40 + minutes_later):
        fire(app, "declare_complete", app.assigned_to)
    evaluate_all()
    return rule_flags("FLIP").get()


@pytest.mark.parametrize(
    ("minutes_later", "severity"), [(119, Severity.HIGH), (121, Severity.MEDIUM)]
)
def test_a_move_within_fast_move_hours_makes_it_high(office, minutes_later, severity):
    RuleSetting.objects.create(code="FLIP", params={"fast_move_hours": 2})
    flag = flipped_then_moved(office, minutes_later)
    assert flag.severity == severity
    assert flag.detail.get("fast_move", False) is (severity == Severity.HIGH)


def test_fast_move_counts_working_time_not_the_clock(office):
    """Passed at 09.40 Wednesday, completed at 08.50 Thursday: 23 hours on the clock, but
    within the default seven working hours (service closes 15.30 and opens 08.00)."""
    flag = flipped_then_moved(office, minutes_later=23 * 60 + 10)
    assert flag.severity == Severity.HIGH
    assert flag.detail["moved_after_hours"] == pytest.approx(6.67, abs=0.01)


@pytest.mark.parametrize(("minutes", "flagged"), [(14, False), (16, True)])
def test_a_mis_click_its_author_corrects_at_once_is_not_a_flip(office, minutes, flagged):
    """Marked invalid at 09.10 by the counter officer and turned back to ok by the same
    officer: within 15 minutes, with the file not returned, a mis-click put right."""
    app = in_verification(office)
    with at(10):
        save(app, STR=(CheckStatus.INVALID, "Buram."))
    with at(10 + minutes):
        save(app, STR=(CheckStatus.OK, "Salah klik: STR jelas."))
    evaluate_all()
    assert rule_flags("FLIP").exists() is flagged


def test_a_quick_ok_by_another_officer_is_a_flip(office):
    """Another counter officer turns a colleague's verdict within minutes: not a
    correction of one's own click."""
    app = in_verification(office)
    with at(10):
        save(app, STR=(CheckStatus.INVALID, "Buram."))
    app.assigned_to = office.counter2
    app.save(update_fields=["assigned_to"])
    with at(15):
        save(app, STR=(CheckStatus.OK, "Asli dilihat."))
    evaluate_all()
    assert rule_flags("FLIP").get().officer == office.counter2


def returned_twice(office, first: bytes, then: bytes):
    """STR v1 found invalid; the applicant sends ``first`` (v2), found invalid again; then
    ``then`` (v3), which the officer passes at 10.10."""
    app = str_sent_again(office, first)
    with at(70):
        app = give_back(app, "STR", "Masih STR yang kedaluwarsa.")
    with at(120):
        upload(office, app, "STR", then)
        app = application_resubmit(application=app, actor=act(office.applicant))
    with at(130):
        save(app)
    evaluate_all()
    return app


def test_an_ok_on_the_refused_pdf_saved_again_raises_flip(office):
    """The refused certificate exported again (other bytes, the same words), passed: FLIP,
    content ``same_text``."""
    from bench.documents import page_pdf

    refused = page_pdf("STR 446.1/2021 berlaku sampai 2024")
    again = refused.replace(b"%PDF-1.4\n", b"%PDF-1.4\n% disimpan ulang\n")
    app = returned_twice(office, refused, again)
    v2, v3 = app.events.filter(action="document.uploaded", data__version__in=[2, 3]).order_by("seq")
    assert v2.data["sha256"] != v3.data["sha256"]
    assert v2.data["text_sha256"] == v3.data["text_sha256"]
    flag = rule_flags("FLIP").get()
    assert flag.detail == {"requirement": "STR", "content": "same_text"}
    assert "hanya disimpan ulang" in str(RULES_FLIP().explain(flag.detail))


def test_an_ok_on_a_renewed_pdf_with_other_words_raises_nothing(office):
    """The renewed certificate: the same form, new dates. Its words differ: a fix."""
    from bench.documents import page_pdf

    returned_twice(
        office,
        page_pdf("STR 446.1/2021 berlaku sampai 2024"),
        page_pdf("STR 446.1/2026 berlaku sampai 2031"),
    )
    assert not rule_flags("FLIP").exists()


def test_a_pdf_without_words_or_an_image_has_no_text_digest():
    from bench.documents import page_pdf
    from permits.document_text import text_sha256
    from tests.factories import PNG

    assert text_sha256(PDF, "pdf") == ""  # no page at all
    assert text_sha256(page_pdf("KTP"), "pdf") == ""  # too few words to tell
    assert text_sha256(PNG, "png") == ""
    assert len(text_sha256(page_pdf("Surat keterangan domisili nomor 12"), "pdf")) == 64


def RULES_FLIP():
    from integrity.inspection.flags.registry import RULES

    return RULES["FLIP"]


# --- the file's details (issue 19) --------------------------------------------------------


def data_in_verification(office, places):
    from permits.details.values import details_clean
    from tests.permits.kit import SPEC, good

    with at(0):
        app = new_file(office)
        app.details = details_clean(SPEC, good(places), places=places, complete=True).values
        app.save()
        return walk(office, app, Stage.VERIFICATION)


def data_verdict(app, status, note="", fields=()):
    from permits.services.data_checks import data_check_update

    app.refresh_from_db()
    declare_clear(app, app.assigned_to)
    return data_check_update(
        application=app, status=status, note=note, fields=list(fields), actor=act(app.assigned_to)
    )


@pytest.mark.parametrize(("minutes", "flagged"), [(14, False), (16, True)])
def test_details_found_wrong_then_passed_unchanged_is_a_flip(
    office, fielded, places, minutes, flagged
):
    """The data line found the floors wrong at 9.05; passed as right, nothing corrected, with
    the written reason the counter asks for: a mis-click if within 15 minutes, else FLIP."""
    app = data_in_verification(office, places)
    with at(5):
        data_verdict(app, "wrong", "Lantai tidak sesuai gambar.", ["floors"])
    with at(5 + minutes):
        data_verdict(app, "ok", "Sudah sesuai, dicek ulang.")
    evaluate_all()
    flags = rule_flags("FLIP")
    assert flags.exists() is flagged
    if flagged:
        flag = flags.get()
        assert flag.detail["content"] == "uncorrected_data" and flag.detail["fields"] == [
            "Jumlah lantai"
        ]
        assert flag.severity == Severity.MEDIUM


def test_details_corrected_by_the_applicant_then_passed_are_no_flip(office, fielded, places):
    from permits.services.data_checks import data_correct

    app = data_in_verification(office, places)
    with at(5):
        app = application_return(
            application=app,
            actor=act(app.assigned_to),
            findings={},
            data=("Lantai tidak sesuai gambar.", ["floors"]),
        )
    with at(30):
        data_correct(application=app, actor=act(office.applicant), values={"floors": 3})
        app = application_resubmit(application=app, actor=act(office.applicant))
    with at(120):
        app.refresh_from_db()
        mark_all_ok(app, app.assigned_to)  # the requirements and the corrected data
        fire(app, "declare_complete", app.assigned_to)
    evaluate_all()
    assert not rule_flags("FLIP").exists()


def test_details_passed_unchanged_and_pushed_on_at_once_is_a_high_flip(office, fielded, places):
    app = data_in_verification(office, places)
    with at(5):
        data_verdict(app, "wrong", "Lantai tidak sesuai gambar.", ["floors"])
    with at(60):
        for check in app.checks.all():
            check.status = CheckStatus.OK
            check.save()
        data_verdict(app, "ok", "Dicek ulang.")
    with at(70):
        fire(app, "declare_complete", app.assigned_to)
    evaluate_all()
    assert rule_flags("FLIP").filter(severity=Severity.HIGH).exists()
