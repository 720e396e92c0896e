"""The per-day figures (issue 20.5): counted by the transitions as they fire, on the office's
day, equal to what the files say, nothing counted by a refused or undone act, and read back
for a period in a fixed number of queries."""

from __future__ import annotations

import datetime
import importlib
import zoneinfo

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from integrity.inspection.selectors.monev import monev_data
from permits.models import Application, DailyPlaceFigures, DailyTypeFigures, Stage
from permits.selectors.figures import TypeFigures, figures_for
from permits.services.applications import ActionRefused
from permits.services.documents import document_upload
from permits.services.figures import figures_differences, figures_rebuild
from public.selectors.transparency import dashboard_compute, period_month
from tests.factories import PDF, act, at_once, fire, new_file, pdf, return_file, step, walk

pytestmark = pytest.mark.django_db

JKT = zoneinfo.ZoneInfo("Asia/Jakarta")
H = datetime.timedelta(hours=1)


def jkt(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=JKT)


def moved(office, app, until, moment: str):
    with time_machine.travel(jkt(moment), tick=False):
        return walk(office, app, until)


def stepped(office, app, moment: str):
    with time_machine.travel(jkt(moment), tick=False):
        return step(office, app)


def kept(day: str, permit_type) -> DailyTypeFigures:
    return DailyTypeFigures.objects.get(day=day, permit_type=permit_type)


def returned_and_fixed(office, app, moment: str):
    """The counter returns the file (its STR found invalid); the applicant uploads a new one."""
    with time_machine.travel(jkt(moment), tick=False):
        app = return_file(office, app)
    with time_machine.travel(jkt(moment) + H, tick=False):
        requirement = app.checks.get(requirement__code="STR").requirement
        document_upload(
            application=app,
            requirement=requirement,
            uploaded=pdf(content=PDF + b"% the renewed STR\n"),
            actor=act(office.applicant),
        )
    return app


def month(text: str):
    return period_month(datetime.date.fromisoformat(text + "-01"))


def test_a_file_counts_on_the_office_day_of_each_act(office):
    """Submitted at 23:30 Jakarta on 30 March (16:30 UTC, still the 30th in Jakarta) and
    signed at 00:30 on 1 April (17:30 UTC on 31 March): received in March, finished in
    April, by the office's calendar and not by UTC's."""
    app = new_file(office, office.simple_type)
    app = moved(office, app, Stage.SUBMITTED, "2026-03-30 23:30")
    app = moved(office, app, Stage.SIGNING, "2026-03-31 09:00")
    app = stepped(office, app, "2026-04-01 00:30")
    assert app.state == Stage.ISSUED
    assert (
        kept("2026-03-30", office.simple_type).received,
        kept("2026-04-01", office.simple_type).finished,
    ) == (1, 1)
    assert not DailyTypeFigures.objects.filter(day="2026-03-31", finished__gt=0).exists()
    march, april = (
        figures_for(month("2026-03").start, month("2026-03").end),
        figures_for(month("2026-04").start, month("2026-04").end),
    )
    assert march.types[office.simple_type.pk].received == 1
    assert march.types[office.simple_type.pk].finished == 0
    assert april.types[office.simple_type.pk].finished == 1
    micro = datetime.timedelta(microseconds=1)
    assert april.types[office.simple_type.pk].times == [
        [app.work_used // micro, app.sop_budget // micro]
    ]
    assert april.types[office.simple_type.pk].shares() == [app.work_used / app.sop_budget]
    assert april.types[office.simple_type.pk].days(3) == [app.work_used / (app.sop_budget / 3)]
    assert figures_differences() == []


def test_returns_finishes_and_lateness_are_counted_as_the_files_say(office):
    """Three files of one type through the services: one returned and resubmitted, one
    finished late, one still open. The kept figures equal a rebuild from the files, and the
    monev and the dashboard read them."""
    files = [new_file(office, office.simple_type) for _ in range(3)]
    files = [moved(office, app, Stage.VERIFICATION, "2026-05-04 08:30") for app in files]
    returned_and_fixed(office, files[0], "2026-05-04 10:00")
    files[0] = moved(office, files[0], Stage.ISSUED, "2026-05-06 10:00")
    files[1] = moved(office, files[1], Stage.SIGNING, "2026-05-04 09:00")  # the clock runs
    files[1] = moved(office, files[1], Stage.ISSUED, "2026-05-29 10:00")  # SOP: 3 days
    row = kept("2026-05-04", office.simple_type)
    assert (row.received, row.returned, row.finished) == (3, 1, 0)
    assert kept("2026-05-29", office.simple_type).on_time == 0
    assert kept("2026-05-06", office.simple_type).on_time == 1
    assert figures_differences() == []

    report = monev_data(datetime.date(2026, 5, 1))
    [monev_row] = report.types
    assert (monev_row.finished, monev_row.on_time, monev_row.returns, monev_row.backlog) == (
        2,
        1,
        1,
        1,
    )
    data = dashboard_compute(month("2026-05"), now=jkt("2026-06-02 10:00"))
    [type_row] = [r for r in data["types"] if r["code"] == office.simple_type.code]
    assert (type_row["received"], type_row["finished"], type_row["on_time"]) == (3, 2, 1)
    done = Application.objects.filter(state=Stage.ISSUED)
    assert sorted(monev_row.hours) == sorted(a.work_used / H for a in done)


def test_a_refused_transition_counts_nothing(office):
    app = moved(
        office, new_file(office, office.simple_type), Stage.VERIFICATION, "2026-05-04 08:30"
    )
    before = list(DailyTypeFigures.objects.values_list("day", "received", "finished"))
    with pytest.raises(ActionRefused):  # the page showed an older stage: a double click
        fire(app, "declare_complete", app.assigned_to, expected_state=Stage.SUBMITTED)
    with pytest.raises(PermissionDenied), time_machine.travel(jkt("2026-05-04 09:00"), tick=False):
        fire(app, "withdraw", office.counter)  # not the counter's to fire
    assert list(DailyTypeFigures.objects.values_list("day", "received", "finished")) == before


def test_an_undone_transition_takes_its_count_back(office):
    app = new_file(office, office.simple_type)
    app = moved(office, app, Stage.SIGNING, "2026-05-04 08:30")
    with pytest.raises(RuntimeError), transaction.atomic():
        step(office, app)
        assert kept(str(datetime.date.today()), office.simple_type).finished == 1
        raise RuntimeError("the signature failed after the file moved")
    assert DailyTypeFigures.objects.filter(finished__gt=0).count() == 0
    assert figures_differences() == []


def test_a_draft_withdrawn_was_never_received(office):
    app = new_file(office, office.simple_type)
    fire(app, "withdraw", office.applicant)
    assert not DailyTypeFigures.objects.exists() and not DailyPlaceFigures.objects.exists()


def test_a_file_counts_where_its_site_was_at_each_act(office):
    """Received in one kecamatan, its site corrected on a return, finished in another: the
    place figures keep what was true at each act, and still add up per day."""
    app = new_file(office, office.simple_type)
    Application.objects.filter(pk=app.pk).update(site_kecamatan="320101")
    app = moved(office, app, Stage.VERIFICATION, "2026-05-04 08:30")
    returned_and_fixed(office, app, "2026-05-04 10:00")
    Application.objects.filter(pk=app.pk).update(site_kecamatan="320102")
    moved(office, app, Stage.ISSUED, "2026-05-05 10:00")
    places = figures_for(month("2026-05").start, month("2026-05").end).places
    assert (places["320101"]["received"], places["320101"]["finished"]) == (1, 0)
    assert (places["320102"]["received"], places["320102"]["finished"]) == (0, 1)
    assert figures_differences() == []


@pytest.mark.postgres  # SQLite's in-memory test database refuses concurrent writers outright
@pytest.mark.django_db(transaction=True)
def test_two_files_of_a_type_finished_at_once_both_count(office):
    """Two applicants withdraw two files of one type at the same moment, the first acts of
    the day: on PostgreSQL both transactions add to the one day row (one makes it, the
    other waits for its lock and adds), and both counts land."""
    files = iter(
        moved(office, new_file(office, office.simple_type), Stage.APPROVAL, "2026-05-04 08:30")
        for _ in range(2)
    )
    files = list(files)
    pending = iter(files)
    _done, errors = at_once(lambda: fire(next(pending), "withdraw", office.applicant), 2)
    assert errors == []
    row = DailyTypeFigures.objects.exclude(day="2026-05-04").get(permit_type=office.simple_type)
    assert (row.finished, len(row.times)) == (2, 2)
    assert figures_differences() == []


def test_the_check_names_a_day_whose_figures_were_changed(office):
    moved(office, new_file(office, office.simple_type), Stage.SUBMITTED, "2026-05-04 08:30")
    call_command("rebuild_figures", "--check")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE permits_dailytypefigures SET received = received + 1")
    with pytest.raises(CommandError, match="1 day figures differ"):
        call_command("rebuild_figures", "--check")
    assert figures_differences()[0].startswith("2026-05-04 type")
    call_command("rebuild_figures")
    assert figures_differences() == []


def test_the_migration_backfills_what_the_rebuild_writes(office):
    files = [new_file(office, office.simple_type) for _ in range(2)]
    moved(office, files[0], Stage.ISSUED, "2026-05-04 08:30")
    moved(office, files[1], Stage.VERIFICATION, "2026-05-05 08:30")
    figures_rebuild()
    rebuilt = sorted(DailyTypeFigures.objects.values_list("day", "received", "finished", "times"))
    DailyTypeFigures.objects.all().delete()
    DailyPlaceFigures.objects.all().delete()
    importlib.import_module("permits.migrations.0018_daily_figures").backfill(apps, None)
    assert (
        sorted(DailyTypeFigures.objects.values_list("day", "received", "finished", "times"))
        == rebuilt
    )
    assert figures_differences() == []


def test_a_period_reads_in_two_queries_whatever_its_size(office, django_assert_num_queries):
    for _ in range(3):
        moved(office, new_file(office, office.simple_type), Stage.ISSUED, "2026-05-04 08:30")
    with django_assert_num_queries(2):
        figures_for(month("2026-05").start, month("2026-05").end)


def test_a_period_must_run_from_office_midnight_to_midnight():
    start = jkt("2026-05-01 00:00")
    with pytest.raises(ValueError):
        figures_for(start + H, start + 24 * H)
    with pytest.raises(ValueError):
        figures_for(start.astimezone(datetime.UTC).replace(hour=0), start + 24 * H)


@given(
    used=st.integers(min_value=0, max_value=10**12),
    budget=st.integers(min_value=3_600_000_000, max_value=10**13),  # an hour to years
    days=st.integers(min_value=1, max_value=60),
)
def test_working_days_from_the_numbers_equal_the_clocks_own_arithmetic(used, budget, days):
    """What the figures compute from plain microseconds is what ``timedelta`` gives for the
    file's own values: ``work_used / (sop_budget / sop_duration)``, its rounding included."""
    figures = TypeFigures(times=[[used, budget]])
    used_delta, budget_delta = (datetime.timedelta(microseconds=v) for v in (used, budget))
    assert figures.days(days) == [used_delta / (budget_delta / days)]
    assert figures.shares() == [used_delta / budget_delta]
    assert figures.hours() == [used_delta / H]
