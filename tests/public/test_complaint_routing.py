"""Where a complaint goes and who may read it: routing (officer with and without a
supervisor, money and conflicts of interest to the inspectorate only, a unit, a file), the
visibility matrix, the COMPLAINT flag, evidence checks and the notices sent."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from integrity.models import Flag
from outbox.models import Message
from permits.models import Stage
from permits.uploads import UploadRejected
from public.models import ComplaintCategory, ComplaintEvidence, ComplaintSubject, Route
from public.selectors.complaints import (
    complaint_file,
    complaints_visible_to,
    file_officers,
    handlers_of,
    may_see_complainant,
)
from public.services.complaints import ComplaintRefused, complaint_submit, evidence_check, route_for
from tests.factories import PDF, PNG, new_file, walk

pytestmark = pytest.mark.django_db

ROLES = ["applicant", "counter", "technical", "supervisor", "head", "cashier", "auditor", "admin"]


def submit(**fields):
    """A named complaint with the defaults filled in; returns it (the code is dropped)."""
    fields.setdefault("subject", ComplaintSubject.SERVICE)
    fields.setdefault("category", ComplaintCategory.DELAY)
    fields.setdefault("description", "Berkas saya tidak selesai sesuai janji SOP layanan.")
    fields.setdefault("contact_name", "Rahasia Pelapor")
    fields.setdefault("contact_email", "pelapor.rahasia@example.com")
    fields.setdefault("contact_phone", "+6289999000111")
    complaint, _code = complaint_submit(**fields)
    return complaint


def person(office, role: str):
    return getattr(office, role)


# --- routing ---------------------------------------------------------------------------------


def test_a_complaint_about_an_officer_goes_to_their_supervisor(office):
    complaint = submit(subject=ComplaintSubject.OFFICER, officer=office.counter)
    assert complaint.route == Route.SUPERVISOR
    assert complaint.handler == office.supervisor
    assert complaint.handler_unit == office.dpmptsp
    assert set(handlers_of(complaint)) == {office.supervisor, office.auditor}


def test_an_officer_without_a_supervisor_goes_to_a_head_of_their_unit(office):
    complaint = submit(subject=ComplaintSubject.OFFICER, officer=office.cashier)
    assert complaint.route == Route.SUPERVISOR
    assert complaint.handler.role in {Role.SUPERVISOR, Role.HEAD}
    assert complaint.handler.unit == office.dpmptsp


def test_an_officer_whose_unit_has_no_head_goes_to_the_inspectorate(office):
    complaint = submit(subject=ComplaintSubject.OFFICER, officer=office.technical)
    assert complaint.route == Route.INSPECTORATE
    assert complaint.handler is None
    assert handlers_of(complaint) == [office.auditor]


def test_an_inactive_supervisor_is_passed_over(office):
    office.supervisor.is_active = False
    office.supervisor.save()
    complaint = submit(subject=ComplaintSubject.OFFICER, officer=office.counter)
    assert complaint.handler not in {office.supervisor, office.counter, None}


@pytest.mark.parametrize("category", [ComplaintCategory.MONEY, ComplaintCategory.CONFLICT])
def test_money_and_conflicts_go_to_the_inspectorate_only(office, category):
    about_officer = submit(
        subject=ComplaintSubject.OFFICER, officer=office.counter, category=category
    )
    about_unit = submit(subject=ComplaintSubject.UNIT, unit=office.dpmptsp, category=category)
    for complaint in (about_officer, about_unit):
        assert complaint.route == Route.INSPECTORATE
        assert complaint.handler is None
        assert handlers_of(complaint) == [office.auditor]
    # Nobody in the unit is told.
    staff_told = Message.objects.filter(kind="complaint.received", recipient__isnull=False)
    told = set(staff_told.values_list("recipient", flat=True))
    assert told == {office.auditor.pk}


def test_a_complaint_about_a_unit_goes_to_its_heads(office):
    complaint = submit(subject=ComplaintSubject.UNIT, unit=office.dinkes)
    assert (complaint.route, complaint.handler_unit) == (Route.UNIT, office.dinkes)
    assert set(handlers_of(complaint)) == {office.auditor}  # Dinkes has no head in this office
    complaint = submit(subject=ComplaintSubject.UNIT, unit=office.dpmptsp)
    assert set(handlers_of(complaint)) == {
        office.head,
        office.head2,
        office.supervisor,
        office.supervisor2,
        office.auditor,
    }


def test_a_complaint_about_a_file_goes_to_the_unit_of_its_holder(office):
    app = walk(office, new_file(office), Stage.TECHNICAL_REVIEW)
    assert app.assigned_to.unit == office.dinkes
    complaint = submit(subject=ComplaintSubject.FILE, application=app)
    assert (complaint.route, complaint.handler_unit) == (Route.UNIT, office.dinkes)


def test_a_file_nobody_holds_goes_to_the_office_unit(office):
    app = new_file(office)  # a draft: nobody holds it yet
    assert app.assigned_to is None
    routing = route_for(category=ComplaintCategory.DELAY, officer=None, unit=None, application=app)
    assert (routing.route, routing.handler_unit) == (Route.UNIT, office.dpmptsp)


def test_only_officers_can_be_complained_about(office):
    with pytest.raises(ComplaintRefused):
        submit(subject=ComplaintSubject.OFFICER, officer=office.applicant)


def test_a_file_is_found_by_its_code_and_names_the_staff_who_acted_on_it(office):
    app = walk(office, new_file(office), Stage.VERIFICATION)
    assert complaint_file(app.tracking_code.lower()) == app
    assert complaint_file("ZZZZ-ZZZZ-ZZZZ") is None
    assert complaint_file(new_file(office).tracking_code) is None  # drafts are not named
    assert file_officers(app) == [office.counter]  # the applicant is no officer


# --- who sees what ---------------------------------------------------------------------------


def visible(office, complaint) -> set[str]:
    return {
        role
        for role in [*ROLES, "head2", "supervisor2"]
        if complaints_visible_to(person(office, role)).filter(pk=complaint.pk).exists()
    }


def test_an_officer_complaint_is_read_by_the_supervisor_and_auditors_only(office):
    complaint = submit(subject=ComplaintSubject.OFFICER, officer=office.counter)
    assert visible(office, complaint) == {"supervisor", "auditor"}


def test_the_officer_concerned_never_reads_it_even_as_a_supervisor_or_head(office):
    about_supervisor = submit(subject=ComplaintSubject.OFFICER, officer=office.supervisor)
    assert about_supervisor.handler == office.head
    assert "supervisor" not in visible(office, about_supervisor)
    about_head = submit(subject=ComplaintSubject.OFFICER, officer=office.head2)
    assert "head2" not in visible(office, about_head)
    assert office.head2 not in handlers_of(about_head)


def test_the_holder_of_a_file_never_reads_a_complaint_about_it(office):
    app = walk(office, new_file(office), Stage.APPROVAL)
    holder = app.assigned_to
    assert holder.role == Role.SUPERVISOR
    complaint = submit(subject=ComplaintSubject.FILE, application=app)
    readers = visible(office, complaint)
    assert {"head", "head2", "auditor"} <= readers
    assert holder not in handlers_of(complaint)
    assert not complaints_visible_to(holder).filter(pk=complaint.pk).exists()


def test_unit_heads_never_read_inspectorate_only_complaints(office):
    complaint = submit(
        subject=ComplaintSubject.UNIT, unit=office.dpmptsp, category=ComplaintCategory.MONEY
    )
    assert visible(office, complaint) == {"auditor"}


def test_a_unit_complaint_is_read_by_the_unit_heads_and_auditors(office):
    complaint = submit(subject=ComplaintSubject.UNIT, unit=office.dpmptsp)
    assert visible(office, complaint) == {"supervisor", "supervisor2", "head", "head2", "auditor"}


def test_auditors_read_every_complaint(office):
    complaints = [
        submit(subject=ComplaintSubject.OFFICER, officer=office.counter),
        submit(subject=ComplaintSubject.UNIT, unit=office.dinkes),
        submit(category=ComplaintCategory.MONEY),
    ]
    assert set(complaints_visible_to(office.auditor)) == set(complaints)


def test_whoever_it_was_escalated_to_reads_it(office):
    complaint = submit(subject=ComplaintSubject.OFFICER, officer=office.counter)
    complaint.escalated_to = office.head
    complaint.save()
    assert "head" in visible(office, complaint)


def test_an_inactive_handler_reads_nothing(office):
    complaint = submit(subject=ComplaintSubject.OFFICER, officer=office.counter)
    office.supervisor.is_active = False
    office.supervisor.save()
    assert not complaints_visible_to(office.supervisor).filter(pk=complaint.pk).exists()


def test_only_the_inspectorate_may_read_who_complained(office):
    assert [role for role in ROLES if may_see_complainant(person(office, role))] == ["auditor"]


# --- the COMPLAINT flag ----------------------------------------------------------------------


def test_a_complaint_about_an_officer_raises_a_flag_on_them(office):
    complaint = submit(subject=ComplaintSubject.OFFICER, officer=office.counter)
    flag = Flag.objects.get(rule="COMPLAINT")
    assert flag.officer == office.counter
    assert flag.key == f"COMPLAINT:{complaint.public_id}"
    assert "Rahasia" not in str(flag.detail)


def test_a_money_complaint_raises_a_flag(office):
    submit(subject=ComplaintSubject.UNIT, unit=office.dpmptsp, category=ComplaintCategory.MONEY)
    assert Flag.objects.filter(rule="COMPLAINT").count() == 1


def test_a_plain_unit_complaint_raises_no_flag(office):
    submit(subject=ComplaintSubject.UNIT, unit=office.dpmptsp)
    assert not Flag.objects.filter(rule="COMPLAINT").exists()


# --- evidence and notices --------------------------------------------------------------------


def upload(content: bytes, name="bukti.png"):
    return SimpleUploadedFile(name, content, content_type="image/png")


def test_evidence_is_checked_by_content(settings):
    assert evidence_check(upload(PNG))[0] == "png"
    assert evidence_check(upload(PDF, "bukti.pdf"))[0] == "pdf"
    with pytest.raises(UploadRejected, match="bukan PDF"):
        evidence_check(upload(b"MZ\x90\x00 not an image at all"))
    with pytest.raises(UploadRejected, match="kosong"):
        evidence_check(upload(b""))
    settings.COMPLAINT_EVIDENCE_MAX_KB = 1
    with pytest.raises(UploadRejected, match="terlalu besar"):
        evidence_check(upload(PNG + b"\x00" * 2048))


def test_evidence_is_stored_under_a_name_that_does_not_name_the_uploader(office):
    complaint = submit(evidence=[upload(PNG, "KTP Siti Rahmawati.png")])
    item = ComplaintEvidence.objects.get(complaint=complaint)
    assert item.format == "png"
    assert "Siti" not in item.file.name
    assert item.file.name.endswith(".png")


def test_staff_are_told_without_the_complainant_and_the_complainant_gets_the_code(office):
    complaint, code = complaint_submit(
        subject=ComplaintSubject.OFFICER,
        officer=office.counter,
        category=ComplaintCategory.IMPROPER,
        description="Petugas loket membentak saya ketika bertanya syarat.",
        contact_name="Rahasia Pelapor",
        contact_email="pelapor.rahasia@example.com",
    )
    staff = Message.objects.filter(kind="complaint.received", recipient__isnull=False)
    assert set(staff.values_list("recipient", flat=True)) == {
        office.supervisor.pk,
        office.auditor.pk,
    }
    for message in staff:
        assert "Rahasia" not in message.body + message.subject
        assert "pelapor.rahasia" not in message.body
        assert code not in message.body
        assert str(complaint.public_id) in message.body
    mine = Message.objects.get(kind="complaint.received", address="pelapor.rahasia@example.com")
    assert code in mine.body
    assert "/pengaduan/ikuti/" in mine.body
    assert office.counter.pk not in set(Message.objects.values_list("recipient", flat=True))


def test_an_anonymous_complaint_keeps_nothing_of_the_complainant(office):
    complaint = submit(anonymous=True, complainant=office.applicant)
    assert complaint.complainant is None
    assert (complaint.contact_name, complaint.contact_email, complaint.contact_phone) == (
        "",
        "",
        "",
    )
    assert not Message.objects.filter(recipient__isnull=True).exists()
