"""The register of affiliations: versions kept for ever, matching new and open files
against it, assignment keeping matched officers away, and the yearly renewal."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from integrity.conflicts.matching import Party, party_match
from integrity.conflicts.services.register import (
    register_declare,
    register_reminders_send,
    registers_overdue,
)
from integrity.models import Affiliation, AffiliationDeclaration, ConflictMatch, MatchReason
from integrity.tasks import send_register_reminders
from outbox.models import Message
from permits.assignment import officer_may_take
from permits.models import Stage
from permits.services.applications import application_draft_update, application_submit
from tests.factories import act, new_file, upload_mandatory, walk

pytestmark = pytest.mark.django_db

NIK = "3201014101900001"  # the applicant NIK of ``new_file``
FILE_NAME, FILE_ADDRESS = "Siti Rahmawati", "Jl. Merdeka 1, Sukamaju"  # ditto
REGISTER_NAME, REGISTER_ADDRESS = "Hj. Siti Rahmawati, S.E.", "Jl. Merdeka No. 1 Sukamaju"
ELSEWHERE = "Jl. Sudirman No. 45, Cibeunying, Kota Bandung"


def relative(name="Siti Rahmawati", **fields) -> dict:
    return {"kind": "relative", "name": name, "relationship": "sibling", **fields}


def declare(officer, *items, note="") -> AffiliationDeclaration:
    return register_declare(officer=officer, items=list(items), note=note, actor=act(officer))


def submit(office, app):
    upload_mandatory(office, app)
    return application_submit(application=app, actor=act(office.applicant))


def matches(app) -> set[tuple[int, str]]:
    return set(ConflictMatch.objects.filter(application=app).values_list("officer", "reason"))


# --- versions ----------------------------------------------------------------------------


def test_each_declaration_is_a_new_version_and_old_ones_stay(office):
    first = declare(
        office.counter,
        relative(nik=NIK, address="Jl. Merdeka 1"),
        {"kind": "business", "name": "CV Sumber Rejeki", "role": "owner", "nib": "1234567890123"},
        note="Istri pemilik CV.",
    )
    assert first.version == 1 and first.officer == office.counter
    assert first.nothing_to_declare is False and first.note == "Istri pemilik CV."
    assert first.renew_by > first.declared_at.date()
    assert sorted(first.items.values_list("name", flat=True)) == [
        "CV Sumber Rejeki",
        "Siti Rahmawati",
    ]
    before = list(first.items.order_by("pk").values())

    second = declare(office.counter, {"kind": "organisation", "name": "Koperasi Maju"})
    assert second.version == 2
    assert list(second.items.values_list("name", flat=True)) == ["Koperasi Maju"]
    first = AffiliationDeclaration.objects.get(pk=first.pk)
    assert first.version == 1 and list(first.items.order_by("pk").values()) == before

    third = declare(office.counter)  # nothing to declare is a declaration too
    assert third.version == 3 and third.nothing_to_declare and not third.items.exists()
    assert AffiliationDeclaration.objects.filter(officer=office.counter).count() == 3
    assert Affiliation.objects.filter(declaration__officer=office.counter).count() == 3


def test_rows_without_a_name_are_dropped(office):
    declaration = declare(office.counter, relative(), {"kind": "business", "name": "   "})
    assert declaration.items.count() == 1


def test_versions_and_their_items_are_never_edited_or_deleted(office):
    declaration = declare(office.counter, relative(nik=NIK))
    item = declaration.items.get()
    declaration.note = "diubah"
    item.name = "Orang lain"
    for row in (declaration, item):
        with pytest.raises(RuntimeError, match="append-only"):
            row.save()
        with pytest.raises(RuntimeError, match="append-only"):
            row.delete()
    assert AffiliationDeclaration.objects.get(pk=declaration.pk).note == ""
    assert Affiliation.objects.get(pk=item.pk).name == "Siti Rahmawati"


def test_versions_are_numbered_per_officer(office):
    declare(office.counter)
    assert declare(office.counter2).version == 1
    assert declare(office.counter).version == 2


@pytest.mark.parametrize("who", ["supervisor", "head", "admin", "auditor", "counter2"])
def test_only_the_officer_declares_their_register(office, who):
    with pytest.raises(PermissionDenied):
        register_declare(
            officer=office.counter, items=[relative()], actor=act(getattr(office, who))
        )
    assert not AffiliationDeclaration.objects.exists()


# --- matching into assignment --------------------------------------------------------------


def test_a_relative_by_nik_keeps_the_officer_off_the_new_file(office):
    declare(office.counter, relative(name="Adik ipar", nik=NIK))
    app = new_file(office)
    match = ConflictMatch.objects.get(application=app)
    assert (match.officer, match.reason) == (office.counter, MatchReason.NIK)
    assert match.affiliation.name == "Adik ipar"
    event = app.events.get(action="integrity.match_found")
    assert event.data["officer"] == office.counter.pk and event.data["reason"] == "nik"
    assert event.actor is None
    app = submit(office, app)
    assert app.assigned_to == office.counter2
    assert not officer_may_take(office.counter, app)
    assert officer_may_take(office.counter2, app)


def test_with_every_counter_officer_matched_nobody_is_assigned(office):
    declare(office.counter, relative(nik=NIK))
    declare(office.counter2, relative(nik=NIK))
    app = submit(office, new_file(office))
    assert app.state == Stage.SUBMITTED and app.assigned_to is None


def test_a_relative_written_differently_matches_by_name_and_address(office):
    applicant = Party(FILE_NAME, NIK, "", "", FILE_ADDRESS)
    found = party_match(applicant, Party(REGISTER_NAME, "", "", "", REGISTER_ADDRESS))
    assert found is not None and found.reason == MatchReason.NAME_ADDRESS
    declare(office.counter, relative(name=REGISTER_NAME, address=REGISTER_ADDRESS))
    app = new_file(office)
    match = ConflictMatch.objects.get(application=app)
    assert (match.officer, match.reason) == (office.counter, MatchReason.NAME_ADDRESS)
    assert 0 < match.score <= 1 and match.detail.startswith("name ")
    assert submit(office, app).assigned_to == office.counter2


def test_the_same_name_at_another_address_does_not_match(office):
    declare(office.counter, relative(name=REGISTER_NAME, address=ELSEWHERE))
    declare(office.counter2, relative(name=REGISTER_NAME))  # no address: never on a name alone
    app = new_file(office)
    assert not ConflictMatch.objects.filter(application=app).exists()
    assert not app.events.filter(action="integrity.match_found").exists()
    assert submit(office, app).assigned_to == office.counter


def test_an_officer_who_is_the_applicant_matches_themself(office):
    office.counter.nik = NIK
    office.counter.save()
    app = new_file(office)
    assert matches(app) == {(office.counter.pk, MatchReason.SELF)}
    assert submit(office, app).assigned_to == office.counter2


def test_a_business_and_a_representative_are_matched_too(office):
    declare(
        office.technical,
        {"kind": "business", "name": "Apotek Sehat Sentosa", "nib": "9120001234567"},
    )
    declare(office.cashier, relative(name="Budi Santoso", nik="3201010101800009"))
    app = new_file(office)
    assert matches(app) == set()
    app.applicant_nib, app.business_name = "9120001234567", "Apotek Sehat Sentosa"
    app.save(update_fields=["applicant_nib", "business_name"])
    assert matches(app) == {(office.technical.pk, MatchReason.NIB)}
    application_draft_update(
        application=app,
        actor=act(office.applicant),
        representative_name="Budi Santoso",
        representative_nik="3201010101800009",
    )
    assert matches(app) == {
        (office.technical.pk, MatchReason.NIB),
        (office.cashier.pk, MatchReason.NIK),
    }


def test_a_register_declared_later_matches_the_open_files(office):
    app = walk(office, new_file(office), Stage.TECHNICAL_REVIEW)
    finished = walk(office, new_file(office, office.simple_type), Stage.ISSUED)
    assert not ConflictMatch.objects.exists()
    declare(office.technical2, relative(nik=NIK))
    assert matches(app) == {(office.technical2.pk, MatchReason.NIK)}
    assert app.events.filter(action="integrity.match_found").count() == 1
    assert not ConflictMatch.objects.filter(application=finished).exists()
    # A later version without the relative lifts the match.
    declare(office.technical2)
    assert matches(app) == set()


def test_a_draft_created_before_the_register_is_matched_when_submitted(office):
    app = new_file(office)
    declare(office.counter, relative(nik=NIK))
    app = submit(office, app)
    assert matches(app) == {(office.counter.pk, MatchReason.NIK)}
    assert app.assigned_to == office.counter2


def test_changing_the_drafts_applicant_data_rematches(office):
    declare(office.counter, relative(name=REGISTER_NAME, address=REGISTER_ADDRESS))
    app = new_file(office)
    assert matches(app) == {(office.counter.pk, MatchReason.NAME_ADDRESS)}
    application_draft_update(
        application=app, actor=act(office.applicant), applicant_address=ELSEWHERE
    )
    assert matches(app) == set()
    application_draft_update(
        application=app, actor=act(office.applicant), applicant_address=FILE_ADDRESS
    )
    assert matches(app) == {(office.counter.pk, MatchReason.NAME_ADDRESS)}
    assert app.events.filter(action="integrity.match_found").count() == 2
    # Fields that say nothing of the applicant do not rematch (and change nothing here).
    application_draft_update(application=app, actor=act(office.applicant), applicant_phone="+62")
    assert matches(app) == {(office.counter.pk, MatchReason.NAME_ADDRESS)}
    assert submit(office, app).assigned_to == office.counter2


# --- renewal -----------------------------------------------------------------------------

T0 = datetime.datetime(2027, 1, 4, 9, tzinfo=datetime.UTC)


def reminders(user) -> int:
    return Message.objects.filter(recipient=user, kind="integrity.register_renewal").count()


def test_staff_without_a_register_or_past_renewal_are_overdue(office, settings):
    settings.AFFILIATION_RENEWAL_DAYS = 365
    staff = [office.counter, office.counter2, office.technical]
    with time_machine.travel(T0, tick=False):
        fresh = declare(office.counter)
        assert registers_overdue(staff) == [(office.counter2, None), (office.technical, None)]
    with time_machine.travel(T0 + datetime.timedelta(days=200), tick=False):
        declare(office.technical)
    with time_machine.travel(T0 + datetime.timedelta(days=366), tick=False):
        assert registers_overdue(staff) == [(office.counter, fresh), (office.counter2, None)]
        renewed = declare(office.counter)
        assert registers_overdue(staff) == [(office.counter2, None)]
        assert renewed.version == 2 and not renewed.overdue


def test_renewal_reminders_go_once_per_version(office, settings):
    settings.AFFILIATION_RENEWAL_DAYS = 365
    declared = [office.counter, office.counter2, office.technical, office.supervisor]
    declared += [office.head, office.cashier]
    never = [office.technical2, office.supervisor2, office.head2]
    with time_machine.travel(T0, tick=False):
        for officer in declared:
            declare(officer)
        # The periodic task, in process: those who never declared are reminded at once.
        assert send_register_reminders.delay().get() == len(never)
        assert register_reminders_send() == 0
    with time_machine.travel(T0 + datetime.timedelta(days=320), tick=False):  # due in 45 days
        assert register_reminders_send() == len(never)  # those who never declared: monthly
        assert reminders(office.counter) == 0
    with time_machine.travel(T0 + datetime.timedelta(days=340), tick=False):  # due in 25 days
        assert register_reminders_send() == len(declared)
        assert register_reminders_send() == 0
    assert all(reminders(o) == 1 for o in declared)
    assert all(reminders(o) == 2 for o in never)
    message = Message.objects.filter(recipient=office.counter).get()
    assert message.kind == "integrity.register_renewal"
    with time_machine.travel(T0 + datetime.timedelta(days=370), tick=False):  # overdue now
        assert registers_overdue([office.counter]) != []
        assert register_reminders_send() == len(never)  # again a month on; not the others
        assert reminders(office.counter) == 1  # the same version: no second reminder
        declare(office.counter)
    with time_machine.travel(T0 + datetime.timedelta(days=370 + 340), tick=False):
        register_reminders_send()
    assert reminders(office.counter) == 2  # the new version fell due soon: reminded again
    assert reminders(office.counter2) == 1  # overdue since, same version: not again
    assert reminders(office.admin) == 0 and reminders(office.auditor) == 0
    assert reminders(office.applicant) == 0


# --- the place a file is about (issue 19.6) ----------------------------------------------


@pytest.mark.parametrize(
    ("affiliated_address", "matched"),
    [
        ("Jl. Merdeka No. 10 RT 02/RW 03, Sukamaju", True),  # the site, written another way
        ("Jalan Merdeka 10", True),
        ("Jl. Merdeka No. 12, Sukamaju", False),  # a neighbour
        ("Jl. Merdeka, Sukamaju", False),  # the road, not a dwelling
        ("", False),
    ],
)
def test_a_relative_living_at_the_site_matches_the_officer(
    office, fielded, places, affiliated_address, matched
):
    from permits.details.values import details_clean
    from tests.permits.kit import SPEC, good

    declare(office.counter, relative(name="Bambang Wijaya", address=affiliated_address))
    app = new_file(office)
    values = details_clean(SPEC, good(places), places=places, complete=True).values
    values["site"]["street"] = "Jl. Merdeka No. 10, RT 02/RW 03"
    application_draft_update(application=app, actor=act(office.applicant), details=values)
    found = (office.counter.pk, MatchReason.SITE) in matches(app)
    assert found is matched
    if matched:  # the automatic assignment keeps the officer away from the file
        assert not officer_may_take(office.counter, app)
