"""The completeness check's own deadline, before the SOP clock starts and after each
resubmission, on real 2026 dates (office hours Mon–Thu 08.00–15.30, Fri 08.00–15.00)."""

import datetime
import zoneinfo

import pytest
import time_machine

from accounts.models import Role
from permits.catalogue.loader import catalogue_load
from permits.models import PermitType, Stage
from permits.sla import CheckState
from tests.factories import fire, new_file, return_file, step, walk

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db


def at(*args):
    return datetime.datetime(*args, tzinfo=WIB)


def submitted(office, moment, permit_type=None):
    with time_machine.travel(moment, tick=False):
        return walk(office, new_file(office, permit_type or office.simple_type), Stage.SUBMITTED)


def test_a_permit_type_gives_its_check_one_working_day_by_default(office):
    assert office.simple_type.check_duration == 1


def test_a_file_submitted_on_friday_afternoon_is_due_for_its_check_on_monday(office):
    app = submitted(office, at(2026, 11, 13, 14))  # Friday 14.00
    assert app.waiting_since == at(2026, 11, 13, 14)
    assert app.check_due_at == at(2026, 11, 16, 14)  # Monday 14.00
    event = app.events.get(action="application.submitted")
    assert event.data["check_due"] == at(2026, 11, 16, 14).isoformat()


def test_a_file_submitted_after_friday_closing_is_due_by_monday_closing(office):
    # 16.00 is after Friday's 15.00 closing: the day counts from Monday's opening, and one
    # working day from Monday 08.00 is Monday's closing, 15.30.
    app = submitted(office, at(2026, 11, 13, 16))
    assert app.check_due_at == at(2026, 11, 16, 15, 30)


def test_christmas_and_its_cuti_bersama_do_not_count(office):
    # Thursday 24 December is cuti bersama, Friday 25 Christmas, then the weekend.
    app = submitted(office, at(2026, 12, 23, 10))
    assert app.check_due_at == at(2026, 12, 28, 10)


def test_the_check_state_turns_due_soon_in_its_last_two_working_hours_then_late(office):
    app = submitted(office, at(2026, 11, 13, 14))
    with time_machine.travel(at(2026, 11, 16, 11, 59), tick=False):
        assert app.check_clock.state == CheckState.ON_TIME
    with time_machine.travel(at(2026, 11, 16, 12), tick=False):
        assert app.check_clock.state == CheckState.DUE_SOON
    with time_machine.travel(at(2026, 11, 16, 14), tick=False):
        assert app.check_clock.state == CheckState.DUE_SOON  # due "by 14.00"
    with time_machine.travel(at(2026, 11, 16, 14, 1), tick=False):
        assert app.check_clock.state == CheckState.LATE


def test_starting_the_check_keeps_the_deadline_and_declaring_complete_ends_it(office):
    app = submitted(office, at(2026, 11, 13, 14))
    with time_machine.travel(at(2026, 11, 16, 9), tick=False):
        app = walk(office, app, Stage.VERIFICATION)
        assert app.check_due_at == at(2026, 11, 16, 14)
        app = step(office, app)  # declared complete
    assert app.state == Stage.APPROVAL
    assert app.check_due_at is None and app.waiting_since is None
    assert app.check_clock.state == CheckState.NONE
    assert app.clock_started_at == at(2026, 11, 16, 9)


def test_a_return_ends_the_check_and_the_resubmission_starts_a_new_one(office):
    office.full_type.check_duration = 2
    office.full_type.save()
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        app = walk(office, new_file(office), Stage.VERIFICATION)
        assert app.check_due_at == at(2026, 11, 25, 9)
        app = return_file(office, app)
        assert app.check_due_at is None and app.waiting_since is None
    with time_machine.travel(at(2026, 11, 27, 10, 30), tick=False):  # Friday
        app = fire(app, "resubmit", office.applicant)
    assert app.state == Stage.VERIFICATION
    assert app.waiting_since == at(2026, 11, 27, 10, 30)
    assert app.check_due_at == at(2026, 12, 1, 10, 30)  # Tuesday: two working days on
    event = app.events.get(action="application.resubmitted")
    assert event.data["check_due"] == at(2026, 12, 1, 10, 30).isoformat()


def test_a_file_returned_from_technical_review_gets_a_check_deadline_again(office):
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        app = walk(office, new_file(office), Stage.TECHNICAL_REVIEW)
        app = return_file(office, app)
    with time_machine.travel(at(2026, 11, 24, 9), tick=False):
        app = fire(app, "resubmit", office.applicant)
    # The SOP clock stands still while the counter checks again, but the check has a limit.
    assert app.clock_running_since is None
    assert app.check_due_at == at(2026, 11, 25, 9)


def test_a_rejected_file_no_longer_waits(office):
    app = submitted(office, at(2026, 11, 13, 14))
    with time_machine.travel(at(2026, 11, 16, 9), tick=False):
        app = walk(office, app, Stage.VERIFICATION)
        app = fire(app, "reject", app.assigned_to, reason="Bukan wewenang", legal_basis="Perda 1")
    assert app.check_due_at is None and app.waiting_since is None


def _admin_post_data(client, permit_type):
    """The admin change form's current values, as the browser would post them back."""
    response = client.get(f"/admin/permits/permittype/{permit_type.pk}/change/")
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = getattr(value, "pk", value)
    # The requirements inline posts no rows: the type's requirements stay as they are.
    for formset in response.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    return data


def test_the_administrator_edits_a_types_check_duration(client, make_user, office):
    admin = make_user(Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    permit_type = office.simple_type
    data = _admin_post_data(client, permit_type)
    assert data["check_duration"] == 1
    response = client.post(
        f"/admin/permits/permittype/{permit_type.pk}/change/", {**data, "check_duration": 3}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    permit_type.refresh_from_db()
    assert permit_type.check_duration == 3
    assert permit_type.history.first().history_user == admin
    app = submitted(office, at(2026, 11, 13, 14), permit_type)
    assert app.check_due_at == at(2026, 11, 18, 14)  # Wednesday: three working days


def test_the_admin_refuses_a_check_duration_of_zero(client, make_user, office):
    client.force_login(make_user(Role.ADMIN, is_staff=True, is_superuser=True))
    permit_type = office.simple_type
    data = _admin_post_data(client, permit_type)
    response = client.post(
        f"/admin/permits/permittype/{permit_type.pk}/change/", {**data, "check_duration": 0}
    )
    assert response.status_code == 200
    assert "Waktu pemeriksaan kelengkapan minimal 1 hari kerja." in response.content.decode()
    permit_type.refresh_from_db()
    assert permit_type.check_duration == 1


def test_the_catalogue_loader_gives_a_type_without_a_check_duration_one_day(db):
    row = {
        "code": "UJI-1",
        "name_id": "Izin Uji",
        "name_en": "Test permit",
        "opd": "DPMPTSP",
        "family": "trade",
        "sop_duration": 3,
        "sop_unit": "days",
        "fee": 0,
        "needs_technical_review": False,
        "needs_inspection": False,
        "validity_months": None,
        "legal_basis": "Perda 1/2026",
        "number_pattern": "503/{seq:04d}/UJI/{year}",
        "requirements": [],
    }
    opds = [{"code": "DPMPTSP", "name_id": "DPMPTSP"}]
    catalogue_load(data={"opds": opds, "permit_types": [row]})
    assert PermitType.objects.get(code="UJI-1").check_duration == 1
    catalogue_load(data={"opds": opds, "permit_types": [{**row, "check_duration": 2}]})
    assert PermitType.objects.get(code="UJI-1").check_duration == 2


def test_the_migration_gives_files_already_waiting_their_check_deadline(office):
    import importlib

    from django.apps import apps

    from permits.models import Application

    migration = importlib.import_module("permits.migrations.0013_check_deadline")
    app = submitted(office, at(2026, 11, 13, 14))
    with time_machine.travel(at(2026, 11, 16, 9), tick=False):
        back = walk(office, new_file(office), Stage.VERIFICATION)
        back = return_file(office, back)
    with time_machine.travel(at(2026, 11, 17, 10), tick=False):
        back = fire(back, "resubmit", office.applicant)
    Application.objects.update(waiting_since=None, check_due_at=None)
    migration.waiting_files_backfill(apps, None)
    app.refresh_from_db()
    back.refresh_from_db()
    assert (app.waiting_since, app.check_due_at) == (at(2026, 11, 13, 14), at(2026, 11, 16, 14))
    assert (back.waiting_since, back.check_due_at) == (at(2026, 11, 17, 10), at(2026, 11, 18, 10))
