"""The public transparency dashboard: its numbers against a hand-computed fixture, periods
and their bounds, the backlog of a past period against now, the snapshots and the task that
refreshes them, the page (charts with text equivalents, constant queries, no personal data)
and the open-data CSV."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zoneinfo
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from permits.models import Application, Stage
from permits.services.figures import figures_rebuild
from public.models import DashboardSnapshot, SurveyResponse
from public.selectors.transparency import (
    CSV_COLUMNS,
    PeriodInvalid,
    dashboard_compute,
    period_choices,
    period_default,
    period_month,
    period_parse,
    period_year,
)
from public.services.transparency import (
    CLAIM_TTL,
    dashboard_get,
    dashboard_refresh,
    dashboard_refresh_claim,
    dashboard_store,
)
from public.tasks import refresh_dashboard
from public.views.transparency import BAR_AREA, LABEL_CHARS, _charts
from tests.factories import OPDFactory, PermitTypeFactory, at_once

pytestmark = pytest.mark.django_db

JKT = zoneinfo.ZoneInfo("Asia/Jakarta")
H = datetime.timedelta(hours=1)
NAME, NIK, PHONE = "Siti Rahmawati", "3201014101900001", "+6281234567890"
URL = reverse("transparency:dashboard")


def at(day: str, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=JKT)


def make_file(world, permit_type, *, submitted=None, finished=None, used=None, budget=None,
              late=None, started=True, nik=NIK, site_kecamatan=""):  # fmt: skip
    app = Application.objects.create(
        permit_type=permit_type,
        channel="online",
        created_by=world.applicant,
        applicant=world.applicant,
        applicant_name=NAME,
        applicant_nik=nik,
        applicant_phone=PHONE,
        state=Stage.ISSUED if finished else (Stage.VERIFICATION if submitted else Stage.DRAFT),
        submitted_at=submitted,
        finished_at=finished,
        clock_started_at=submitted if (started and submitted) else None,
        sop_budget=budget if started else None,
        work_used=used or datetime.timedelta(0),
        finished_late=late,
        site_kecamatan=site_kecamatan,
    )
    # The rows are written by hand, not moved by transitions: their figures are derived
    # as the backfill does (transitions counting as they fire: tests/permits/test_figures.py).
    figures_rebuild()
    return app


def answer(app, score: int, when: datetime.datetime) -> SurveyResponse:
    return SurveyResponse.objects.create(
        application=app,
        unit=app.permit_type.opd,
        permit_type=app.permit_type,
        answered_at=when,
        asked_money=False,
        offered_faster=False,
        sent_to_intermediary=False,
        **{f"u{i}": score for i in range(1, 10)},
    )


@pytest.fixture(autouse=True)
def _every_group_shown(settings):
    """The fixture's groups are small; the numbers are checked with nothing withheld (the
    default minimum group is tested on its own below)."""
    settings.SURVEY_MIN_GROUP = 1


@pytest.fixture
def world(make_user):
    """Two OPDs, three types, files with their SOP facts written on the rows; March 2025.

    SIP: 5 working days, a 40 h budget (8 h a day). LAB: 4 working hours. TRAYEK: 10 working
    days, a 75 h budget (7.5 h a day). Every number the tests expect is worked out by hand
    from these rows in the comments below.
    """
    w = SimpleNamespace()
    w.applicant = make_user("applicant", username="pemohon")
    w.dinkes = OPDFactory(code="DINKES", name_id="Dinas Kesehatan", name_en="Health Office")
    w.dishub = OPDFactory(code="DISHUB", name_id="Dinas Perhubungan", name_en="Transport Office")
    w.sip = PermitTypeFactory(code="KES-SIP", name_id="Izin Praktik", opd=w.dinkes, sop_duration=5)
    w.lab = PermitTypeFactory(
        code="KES-LAB", name_id="Izin Laboratorium", opd=w.dinkes, sop_duration=4, sop_unit="hours"
    )
    w.trayek = PermitTypeFactory(
        code="HUB-TRAYEK", name_id="Izin Trayek", opd=w.dishub, sop_duration=10
    )
    sip, lab, trayek = 40 * H, 4 * H, 75 * H
    # SIP: 2 days (40%) on time, 6 days (120%) late, 4 days (80%) on time (submitted in
    # February), one open since 25 March, one received 28 March and finished 2 April.
    w.a1 = make_file(w, w.sip, submitted=at("2025-03-03"), finished=at("2025-03-07"),
                     used=16 * H, budget=sip, late=False)  # fmt: skip
    w.a2 = make_file(w, w.sip, submitted=at("2025-03-04"), finished=at("2025-03-20"),
                     used=48 * H, budget=sip, late=True)  # fmt: skip
    w.a3 = make_file(w, w.sip, submitted=at("2025-02-25"), finished=at("2025-03-10"),
                     used=32 * H, budget=sip, late=False)  # fmt: skip
    w.a4 = make_file(w, w.sip, submitted=at("2025-03-25"), used=8 * H, budget=sip)
    w.a5 = make_file(w, w.sip, submitted=at("2025-03-28"), finished=at("2025-04-02"),
                     used=24 * H, budget=sip, late=False)  # fmt: skip
    # LAB: 3 h (75%) on time, 5 h (125%) late, a draft, and one rejected before its clock.
    w.b1 = make_file(w, w.lab, submitted=at("2025-03-05", 8), finished=at("2025-03-05", 11),
                     used=3 * H, budget=lab, late=False)  # fmt: skip
    w.b2 = make_file(w, w.lab, submitted=at("2025-03-06"), finished=at("2025-03-07"),
                     used=5 * H, budget=lab, late=True)  # fmt: skip
    w.b3 = make_file(w, w.lab)
    w.b4 = make_file(w, w.lab, submitted=at("2025-03-10"), finished=at("2025-03-11"),
                     started=False)  # fmt: skip
    # TRAYEK: 6 days (60%) on time, one open since January, one finished in February.
    w.c1 = make_file(w, w.trayek, submitted=at("2025-03-03"), finished=at("2025-03-14"),
                     used=45 * H, budget=trayek, late=False)  # fmt: skip
    w.c2 = make_file(w, w.trayek, submitted=at("2025-01-15"), used=30 * H, budget=trayek)
    w.d1 = make_file(w, w.trayek, submitted=at("2025-02-03"), finished=at("2025-02-20"),
                     used=60 * H, budget=trayek, late=False)  # fmt: skip
    # Survey answers in March: SIP 4 and 3 (IKM 87.50, B), LAB 3 (75.00, C), TRAYEK 4
    # (100.00, A); Dinas Kesehatan (4+3+3)/3 = 3.333 (83.33, B); all 3.5 (87.50, B).
    # February's answer (all 1) is outside the month.
    answer(w.a1, 4, at("2025-03-08"))
    answer(w.a2, 3, at("2025-03-21"))
    answer(w.b1, 3, at("2025-03-06"))
    answer(w.c1, 4, at("2025-03-15"))
    answer(w.d1, 1, at("2025-02-21"))
    return w


MARCH = {
    "total": {
        # received 4 + 3 + 1; finished 3 + 2 + 1, on time 2 + 1 + 1; shares pooled:
        # 0.4 0.6 0.75 0.8 1.2 1.25 -> median (0.75 + 0.8) / 2, p90 at rank 4.5: 1.2 + 0.05/2.
        "received": 8,
        "finished": 6,
        "on_time": 4,
        "on_time_share": 0.6667,
        "median_share": 0.775,
        "p90_share": 1.225,
        "backlog": 3,  # a4, a5 (finished after the month), c2
        "ikm": "87.50",
        "ikm_category": "B",
        "ikm_responses": 4,
        "types": 3,
    },
    "opds": {
        # shares 0.4 0.75 0.8 1.2 1.25: median 0.8, p90 at rank 3.6: 1.2 + 0.05 * 0.6.
        "DINKES": {
            "received": 7,
            "finished": 5,
            "on_time": 3,
            "on_time_share": 0.6,
            "median_share": 0.8,
            "p90_share": 1.23,
            "backlog": 2,
            "ikm": "83.33",
            "ikm_category": "B",
            "ikm_responses": 3,
            "types": 2,
        },
        "DISHUB": {
            "received": 1,
            "finished": 1,
            "on_time": 1,
            "on_time_share": 1.0,
            "median_share": 0.6,
            "p90_share": 0.6,
            "backlog": 1,
            "ikm": "100.00",
            "ikm_category": "A",
            "ikm_responses": 1,
            "types": 1,
        },
    },
    "types": {
        # days 2 4 6: median 4, p90 at rank 1.8: 4 + 2 * 0.8; shares 0.4 0.8 1.2.
        "KES-SIP": {
            "opd": "DINKES",
            "received": 4,
            "finished": 3,
            "on_time": 2,
            "on_time_share": 0.6667,
            "median": 4.0,
            "p90": 5.6,
            "median_share": 0.8,
            "p90_share": 1.12,
            "backlog": 2,
            "ikm": "87.50",
            "ikm_category": "B",
            "ikm_responses": 2,
        },
        # hours 3 5: median 4, p90 3 + 2 * 0.9; shares 0.75 1.25.
        "KES-LAB": {
            "opd": "DINKES",
            "received": 3,
            "finished": 2,
            "on_time": 1,
            "on_time_share": 0.5,
            "median": 4.0,
            "p90": 4.8,
            "median_share": 1.0,
            "p90_share": 1.2,
            "backlog": 0,
            "ikm": "75.00",
            "ikm_category": "C",
            "ikm_responses": 1,
        },
        "HUB-TRAYEK": {
            "opd": "DISHUB",
            "received": 1,
            "finished": 1,
            "on_time": 1,
            "on_time_share": 1.0,
            "median": 6.0,
            "p90": 6.0,
            "median_share": 0.6,
            "p90_share": 0.6,
            "backlog": 1,
            "ikm": "100.00",
            "ikm_category": "A",
            "ikm_responses": 1,
        },
    },
}


def subset(row: dict, expected: dict) -> dict:
    return {key: row[key] for key in expected}


# --- the numbers -----------------------------------------------------------------------------


def test_every_number_of_a_month_matches_the_hand_computed_fixture(world):
    data = dashboard_compute(period_parse("2025-03"))
    assert data["period"] == "2025-03"
    assert subset(data["total"], MARCH["total"]) == MARCH["total"]
    assert [row["code"] for row in data["opds"]] == ["DINKES", "DISHUB"]
    for row in data["opds"]:
        assert subset(row, MARCH["opds"][row["code"]]) == MARCH["opds"][row["code"]]
    # Within an OPD, types by name: Izin Laboratorium before Izin Praktik.
    assert [row["code"] for row in data["types"]] == ["KES-LAB", "KES-SIP", "HUB-TRAYEK"]
    for row in data["types"]:
        assert subset(row, MARCH["types"][row["code"]]) == MARCH["types"][row["code"]]
    assert data["backlog_at"] == at("2025-04-01", 0).isoformat()


def test_groups_under_the_minimum_show_their_count_but_no_ikm(world, settings):
    settings.SURVEY_MIN_GROUP = 4
    data = dashboard_compute(period_parse("2025-03"))
    assert (data["total"]["ikm"], data["total"]["ikm_responses"]) == ("87.50", 4)
    small = [row for row in data["types"] if row["ikm_responses"]]
    assert small and all(row["ikm"] is None and row["ikm_category"] == "" for row in small)


def test_a_year_counts_every_month_of_it(world):
    data = dashboard_compute(period_parse("2025"))
    total = data["total"]
    # received: March's 8 plus c2 (January), a3 and d1 (February); finished: March's 6,
    # a5 (April) and d1 (February), all on time but a2 and b2.
    assert (total["received"], total["finished"], total["on_time"]) == (11, 8, 6)
    assert total["backlog"] == 2  # a4 and c2 are still open at the year's end
    trayek = next(row for row in data["types"] if row["code"] == "HUB-TRAYEK")
    assert (trayek["median"], trayek["p90"]) == (7.0, 7.8)  # 6 and 8 working days
    # February's answer (all 1s) joins: TRAYEK (4 + 1) / 2 = 2.5 -> 62.50, D.
    assert (trayek["ikm"], trayek["ikm_category"]) == ("62.50", "D")


def test_an_empty_period_has_rows_and_no_values(world):
    data = dashboard_compute(period_parse("2024-06"))
    assert data["total"]["received"] == data["total"]["finished"] == 0
    assert data["total"]["on_time_share"] is None and data["total"]["median_share"] is None
    assert data["total"]["ikm"] is None and data["total"]["ikm_category"] == ""
    assert len(data["types"]) == 3  # active types are listed even without files


def test_an_inactive_type_without_files_is_left_out(world):
    PermitTypeFactory(code="OLD", opd=world.dishub, active=False)
    codes = [row["code"] for row in dashboard_compute(period_parse("2025-03"))["types"]]
    assert "OLD" not in codes and len(codes) == 3


def test_the_backlog_of_a_past_period_is_at_its_end_and_of_the_current_one_now(world):
    past = dashboard_compute(period_parse("2025-03"))
    current = dashboard_compute(period_default())
    # At the end of March a5 was still open; now only a4 and c2 are.
    assert past["total"]["backlog"] == 3
    assert current["total"]["backlog"] == 2
    assert datetime.datetime.fromisoformat(current["backlog_at"]) <= timezone.now()
    sip = next(row for row in current["types"] if row["code"] == "KES-SIP")
    assert sip["backlog"] == 1


# --- periods ---------------------------------------------------------------------------------


def test_a_month_and_a_year_are_bounded_in_jakarta_time():
    march = period_parse("2025-03")
    assert (march.start, march.end) == (at("2025-03-01", 0), at("2025-04-01", 0))
    assert march.start.utcoffset() == datetime.timedelta(hours=7)
    assert march.is_month and march.first == datetime.date(2025, 3, 1)
    year = period_parse("2025")
    assert (year.start, year.end) == (at("2025-01-01", 0), at("2026-01-01", 0))
    assert not year.is_month
    december = period_parse("2024-12")
    assert december.end == at("2025-01-01", 0)


def test_a_file_counts_in_the_month_of_its_jakarta_date(world):
    # 17:30 UTC on 28 February is 00:30 on 1 March in Jakarta; 16:59 UTC on 31 March is
    # still March; 17:00 UTC is April.
    utc = datetime.UTC
    make_file(world, world.trayek, submitted=datetime.datetime(2025, 2, 28, 17, 30, tzinfo=utc))
    make_file(world, world.trayek, submitted=datetime.datetime(2025, 3, 31, 16, 59, tzinfo=utc))
    make_file(world, world.trayek, submitted=datetime.datetime(2025, 3, 31, 17, 0, tzinfo=utc))
    data = dashboard_compute(period_parse("2025-03"))
    assert data["total"]["received"] == MARCH["total"]["received"] + 2


@pytest.mark.parametrize(
    "text", ["", "abc", "2025-13", "2025-00", "2025-3", "1999", "1999-12", "2025/03", "20250"]
)
def test_what_is_not_a_period_is_refused(text):
    with pytest.raises(PeriodInvalid):
        period_parse(text)


def test_a_period_that_has_not_begun_is_refused():
    now = at("2026-11-15")
    assert period_parse("2026-11", now=now).key == "2026-11"
    for text in ("2026-12", "2027"):
        with pytest.raises(PeriodInvalid):
            period_parse(text, now=now)


def test_the_choices_are_the_last_12_months_and_3_years():
    months, years = period_choices(now=at("2026-02-10"))
    assert [p.key for p in months][:3] == ["2026-02", "2026-01", "2025-12"]
    assert len(months) == 12 and months[-1].key == "2025-03"
    assert [p.key for p in years] == ["2026", "2025", "2024"]
    # The default is the current year, in Jakarta: 31 Dec 18:00 UTC is already 1 January.
    late = datetime.datetime(2025, 12, 31, 18, 0, tzinfo=datetime.UTC)
    assert period_default(now=late).key == "2026"


# --- snapshots and the task ------------------------------------------------------------------


def test_a_missing_snapshot_is_computed_once_then_read(world, django_assert_num_queries):
    march = period_parse("2025-03")
    first = dashboard_get(march)
    assert DashboardSnapshot.objects.get(period="2025-03").pk == first.pk
    with django_assert_num_queries(1):
        again = dashboard_get(march)
    assert again.computed_at == first.computed_at
    assert subset(again.data["total"], MARCH["total"]) == MARCH["total"]


def test_the_page_reads_a_stored_snapshot_without_recomputing(
    client, world, django_assert_num_queries
):
    client.get(URL, {"periode": "2025-03"})
    computed = DashboardSnapshot.objects.get(period="2025-03").computed_at
    make_file(world, world.sip, submitted=at("2025-03-12"))  # not seen until recomputed
    with django_assert_num_queries(1):
        response = client.get(URL, {"periode": "2025-03"})
    assert "<dt>Berkas masuk</dt><dd>8</dd>" in response.content.decode()  # the body as kept
    assert DashboardSnapshot.objects.get(period="2025-03").computed_at == computed


def test_a_snapshot_taken_before_its_period_ended_is_recomputed_once_it_has(world):
    march = period_parse("2025-03")
    dashboard_store(march, now=at("2025-03-20"))  # beat's refresh, while March ran
    make_file(world, world.sip, submitted=at("2025-03-12"))
    refreshed = dashboard_get(march)
    assert refreshed.data["total"]["received"] == 9
    assert refreshed.computed_at > at("2025-04-01", 0)


# --- one refresh at a time, never inside a request (issue 20.5) ---------------------------


def test_a_cold_period_is_prepared_by_one_task_while_the_pages_wait(
    client, world, redis_down, django_assert_max_num_queries
):
    """The broker is down, so nothing computes: every request finds the period cold, the
    first claims its refresh, none computes it, and each says it is being prepared."""
    for _ in range(4):
        with django_assert_max_num_queries(10):  # no computation in the request
            response = client.get(URL, {"periode": "2025-03"})
        assert response.status_code == 200
        assert response["Retry-After"] == "20"
        assert "Angka Maret 2025 sedang dihitung" in response.content.decode()
    snapshot = DashboardSnapshot.objects.get(period="2025-03")
    assert snapshot.data is None and snapshot.refresh_requested_at is not None
    first_claim = snapshot.refresh_requested_at
    csv_response = client.get(reverse("transparency:csv", args=["2025-03"]))
    assert csv_response.status_code == 503 and csv_response["Retry-After"] == "20"
    assert DashboardSnapshot.objects.get(period="2025-03").refresh_requested_at == first_claim


def test_only_one_claim_wins_until_it_lapses(world):
    march = period_parse("2025-03")
    now = timezone.now()
    assert dashboard_refresh_claim(march, now=now) is True
    assert dashboard_refresh_claim(march, now=now + datetime.timedelta(seconds=1)) is False
    assert dashboard_refresh_claim(march, now=now + CLAIM_TTL - H / 60) is False
    assert dashboard_refresh_claim(march, now=now + CLAIM_TTL + H / 60) is True  # lapsed
    dashboard_store(march)  # the task ran: the claim is cleared
    assert DashboardSnapshot.objects.get(period="2025-03").refresh_requested_at is None
    assert dashboard_refresh_claim(march, now=now) is True


@pytest.mark.postgres  # SQLite's in-memory test database refuses concurrent writers outright
@pytest.mark.django_db(transaction=True)
def test_requests_racing_for_a_cold_period_claim_it_once(world):
    """Eight threads, each with its own database connection, claim the same cold period at
    once: exactly one wins (PostgreSQL's row lock)."""
    march = period_parse("2025-03")
    now = timezone.now()
    won, errors = at_once(lambda: dashboard_refresh_claim(march, now=now), 8)
    assert not errors
    assert sorted(won) == [False] * 7 + [True]


def test_a_stale_snapshot_is_served_while_its_refresh_is_under_way(client, world, redis_down):
    march = period_parse("2025-03")
    dashboard_store(march, now=at("2025-03-20"))  # stale: taken while March ran
    make_file(world, world.sip, submitted=at("2025-03-12"))
    response = client.get(URL, {"periode": "2025-03"})
    assert response.status_code == 200
    assert "sedang dihitung" not in response.content.decode()
    assert response.context["total"]["received"] == 8  # the stored figures, not recomputed
    assert DashboardSnapshot.objects.get(period="2025-03").refresh_requested_at is not None


def test_the_hourly_task_refreshes_this_month_this_year_and_last_month(world):
    now = timezone.now()
    today = timezone.localdate()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    year = period_year(today.year)
    dashboard_get(year)
    make_file(world, world.sip, submitted=now - datetime.timedelta(minutes=5))
    assert dashboard_get(year).data["total"]["received"] == 0  # the stored snapshot
    assert refresh_dashboard.delay().get() == 3
    assert set(DashboardSnapshot.objects.values_list("period", flat=True)) == {
        year.key,
        period_month(today).key,
        period_month(last_month).key,
    }
    assert dashboard_get(year).data["total"]["received"] == 1
    assert dashboard_get(period_month(today)).data["total"]["received"] == 1


def test_refreshing_on_the_first_of_january_covers_december(world):
    assert dashboard_refresh(now=at("2026-01-01", 1)) == 3
    assert set(DashboardSnapshot.objects.values_list("period", flat=True)) == {
        "2026-01",
        "2026",
        "2025-12",
    }


# --- the page --------------------------------------------------------------------------------


def test_the_page_shows_the_month_to_anyone(client, world):
    response = client.get(URL, {"periode": "2025-03"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Maret 2025" in html and "diperbarui" in html
    assert "66,7%" in html and "77,5%" in html  # on time and median share, in total
    assert "83,33 (B)" in html  # Dinas Kesehatan's IKM
    assert "5,6 hari kerja" in html and "4,8 jam kerja" in html  # p90 per type, in its unit
    assert reverse("transparency:csv", args=["2025-03"]) in html
    assert response.context["period"].key == "2025-03"


@pytest.mark.parametrize("role", ["applicant", "counter", "auditor"])
def test_signed_in_people_see_the_same_page(client, world, make_user, role):
    client.force_login(make_user(role, username=f"u-{role}"))
    response = client.get(URL, {"periode": "2025-03"})
    assert response.status_code == 200
    assert response.context["total"]["received"] == 8


def test_the_default_is_the_current_year(client, world):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["period"].key == str(timezone.localdate().year)
    year = timezone.localdate().year
    assert f'<option value="{year}" selected>' in response.content.decode()


@pytest.mark.parametrize("bad", ["2025-13", "kemarin", "2999", "1999", "9999-12", "9999"])
def test_a_bad_period_shows_the_current_year_with_a_message(client, world, bad):
    response = client.get(URL, {"periode": bad})
    assert response.status_code == 400
    assert response.context["period"].key == str(timezone.localdate().year)
    assert "Periode tidak dikenal" in response.content.decode()


def test_a_period_outside_the_choices_is_still_selected(client, world):
    response = client.get(URL, {"periode": "2025-03"})  # more than 12 months ago
    html = response.content.decode()
    assert '<option value="2025-03" selected>' in html


def test_the_type_table_filters_by_opd(client, world):
    response = client.get(URL, {"periode": "2025-03", "opd": "DISHUB"})
    assert response.status_code == 200
    assert [row["code"] for row in response.context["types"]] == ["HUB-TRAYEK"]
    assert response.context["opd"]["code"] == "DISHUB"
    # The OPD table and the charts still show every OPD.
    assert len(response.context["opds"]) == 2


def test_an_unknown_opd_shows_every_type_with_a_message(client, world):
    response = client.get(URL, {"periode": "2025-03", "opd": "NOPE"})
    assert response.status_code == 400
    assert len(response.context["types"]) == 3
    assert "OPD tidak dikenal" in response.content.decode()


def test_the_page_only_answers_get(client):
    assert client.post(URL).status_code == 405


def test_the_charts_are_svg_images_with_a_title_a_description_and_a_table(client, world):
    html = client.get(URL, {"periode": "2025-03"}).content.decode()
    svgs = re.findall(r"<svg[^>]*>.*?</svg>", html, flags=re.S)
    assert len(svgs) == 2
    for svg in svgs:
        assert 'role="img"' in svg
        title, desc = re.search(r'aria-labelledby="(\S+) (\S+)"', svg).groups()
        assert f'<title id="{title}">' in svg and f'<desc id="{desc}">' in svg
        assert 'href="#tabel-opd"' in html
    on_time, sop = svgs
    # The description tells every bar's value, as the table does.
    assert "Dinas Kesehatan: 60,0%" in on_time and "Dinas Perhubungan: 100,0%" in on_time
    assert "Dinas Kesehatan: 80,0%" in sop and "Dinas Perhubungan: 60,0%" in sop
    assert 'class="tx-svg__sop"' in sop  # the SOP line at 100%
    table = re.search(r'id="tabel-opd".*?</table>', html, flags=re.S).group()
    for text in ("60,0%", "100,0%", "80,0%", "123,0%"):
        assert text in table
    # Coordinates are not localised (a decimal comma would break the drawing).
    assert not re.search(r'(width|x|y)="\d+,\d', on_time + sop)


def test_a_period_without_finished_files_says_so_instead_of_drawing(client, world):
    html = client.get(URL, {"periode": "2024-06"}).content.decode()
    assert "<svg" not in html.split('id="grafik"')[1].split('id="tabel-opd"')[0]
    assert "Belum ada berkas selesai pada periode ini." in html


def test_the_page_costs_the_same_queries_for_few_and_many_files(client, world, make_user):
    def cost(period):
        with CaptureQueriesContext(connection) as computed:
            assert client.get(URL, {"periode": period}).status_code == 200
        with CaptureQueriesContext(connection) as stored:
            client.get(URL, {"periode": period})
        return len(computed), len(stored)

    client.get(URL, {"periode": "2024-01"})  # the working calendar is read once, then cached
    few = cost("2025-03")
    for i in range(20):
        day = at(f"2025-05-{i + 1:02d}")
        make_file(world, (world.sip, world.lab, world.trayek)[i % 3], submitted=day,
                  finished=day + 3 * H, used=2 * H, budget=4 * H, late=i % 2 == 0)  # fmt: skip
    many = cost("2025-05")
    assert few == many
    # Tasks in process: the cold request claims the refresh (4 queries) and the task computes
    # it there (3 of them per kecamatan); with a worker, the request does only the claim.
    assert many[0] <= 19 and many[1] <= 1


def test_no_personal_data_on_the_page_or_in_the_csv(client, world):
    html = client.get(URL, {"periode": "2025-03"}).content.decode()
    body = client.get(reverse("transparency:csv", args=["2025-03"])).content.decode()
    for text in (html, body):
        for secret in (NAME, NIK, PHONE, world.a1.tracking_code, world.a1.applicant_nik):
            assert secret not in text
        assert str(world.a1.public_id) not in text


# --- open data -------------------------------------------------------------------------------


def read_csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_the_csv_has_one_row_per_type_with_every_number(client, world):
    response = client.get(reverse("transparency:csv", args=["2025-03"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="transparansi-2025-03.csv"'
    assert not response.content.startswith(b"\xef\xbb\xbf")
    assert response.content.decode().splitlines()[0] == ",".join(CSV_COLUMNS)
    rows = {row["permit_type_code"]: row for row in read_csv(response)}
    assert list(rows) == ["KES-LAB", "KES-SIP", "HUB-TRAYEK"]
    assert rows["KES-SIP"] == {
        "period": "2025-03",
        "opd_code": "DINKES",
        "opd_name": "Dinas Kesehatan",
        "permit_type_code": "KES-SIP",
        "permit_type_name": "Izin Praktik",
        "sop_duration": "5",
        "sop_unit": "days",
        "received": "4",
        "finished": "3",
        "finished_on_time": "2",
        "on_time_pct": "66.7",
        "median_working_time": "4.0",
        "p90_working_time": "5.6",
        "median_sop_share_pct": "80.0",
        "p90_sop_share_pct": "112.0",
        "backlog": "2",
        "backlog_at": "2025-04-01T00:00:00+07:00",
        "ikm": "87.50",
        "ikm_category": "B",
        "ikm_responses": "2",
    }
    lab, trayek = rows["KES-LAB"], rows["HUB-TRAYEK"]
    assert (lab["sop_unit"], lab["median_working_time"], lab["p90_working_time"]) == (
        "hours",
        "4.0",
        "4.8",
    )
    assert (lab["on_time_pct"], lab["median_sop_share_pct"], lab["p90_sop_share_pct"]) == (
        "50.0",
        "100.0",
        "120.0",
    )
    assert (lab["received"], lab["finished"], lab["backlog"], lab["ikm"]) == (
        "3",
        "2",
        "0",
        "75.00",
    )
    assert (trayek["opd_code"], trayek["median_working_time"], trayek["on_time_pct"]) == (
        "DISHUB",
        "6.0",
        "100.0",
    )
    assert (trayek["backlog"], trayek["ikm"], trayek["ikm_category"]) == ("1", "100.00", "A")


def test_the_csv_leaves_missing_values_empty(client, world):
    rows = read_csv(client.get(reverse("transparency:csv", args=["2024-06"])))
    assert len(rows) == 3
    for row in rows:
        assert row["on_time_pct"] == row["median_working_time"] == row["ikm"] == ""
        assert row["finished"] == "0"


@pytest.mark.parametrize("bad", ["2025-13", "1999", "2999", "2999-01", "9999-12"])
def test_the_csv_of_no_period_is_not_found(client, bad):
    assert client.get(f"/transparansi/{bad}.csv").status_code == 404


def test_a_bar_over_the_sop_is_marked_and_a_very_long_one_is_cut():
    opds = [
        {"name": "Dinas Cepat", "on_time_share": 1.0, "median_share": 0.5},
        {"name": "Dinas Lambat", "on_time_share": 0.25, "median_share": 5.0},
        {"name": "Dinas Kosong", "on_time_share": None, "median_share": None},
    ]
    charts = _charts(opds)
    fast, slow = charts["sop"]["bars"]  # the OPD without finished files has no bar
    assert not fast["over"] and slow["over"]
    assert slow["width"] == BAR_AREA  # 500% is beyond the 300% scale: cut, and its text says
    assert slow["text"] == "500,0%"
    assert charts["sop"]["reference_x"] == round(BAR_AREA / 3.0, 1)
    on_time = charts["on_time"]["bars"]
    assert [bar["width"] for bar in on_time] == [BAR_AREA, round(BAR_AREA / 4, 1)]
    assert "reference_x" not in charts["on_time"]


def test_a_long_opd_name_wraps_inside_the_chart():
    name = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
    bar = _charts([{"name": name, "on_time_share": 0.5, "median_share": 0.5}])["on_time"]["bars"][0]
    assert len(bar["lines"]) == 2
    assert all(len(line) <= LABEL_CHARS for _y, line in bar["lines"])
    assert " ".join(line for _y, line in bar["lines"]) == name


def test_types_without_files_or_answers_are_hidden_unless_asked(client, world):
    PermitTypeFactory(code="KES-SEPI", name_id="Izin Sepi", opd=world.dinkes)
    response = client.get(URL, {"periode": "2025-03"})
    assert [row["code"] for row in response.context["types"]] == [
        "KES-LAB",
        "KES-SIP",
        "HUB-TRAYEK",
    ]
    html = response.content.decode()
    assert "1 jenis izin tanpa berkas dan tanpa survei" in html and "Izin Sepi" not in html
    everything = client.get(URL, {"periode": "2025-03", "semua": "1"})
    assert "KES-SEPI" in [row["code"] for row in everything.context["types"]]
    assert "Izin Sepi" in everything.content.decode()
    # The open data always has every type.
    body = client.get(reverse("transparency:csv", args=["2025-03"])).content.decode()
    assert "KES-SEPI" in body


def test_the_type_table_groups_types_under_their_opd(client, world):
    html = client.get(URL, {"periode": "2025-03"}).content.decode()
    table = re.search(r'id="tabel-jenis".*?</table>', html, flags=re.S).group()
    groups = re.findall(r'<th scope="rowgroup"[^>]*>([^<]+)</th>', table)
    assert groups == ["Dinas Kesehatan", "Dinas Perhubungan"]
    assert table.index("Izin Laboratorium") < table.index("Dinas Perhubungan")
    assert table.index("Izin Trayek") > table.index("Dinas Perhubungan")


def test_the_backlog_label_follows_the_period(client, world):
    past = client.get(URL, {"periode": "2025-03"}).content.decode()
    assert "Belum selesai pada akhir 31 Maret 2025" in past
    current = client.get(URL).content.decode()
    assert "Belum selesai saat ini" in current


# --- per kecamatan (issue 19.6) -----------------------------------------------------------


def test_files_are_counted_per_kecamatan_of_the_place_they_are_about(world, places, client):
    first, second = sorted(places.kecamatan)[:2]
    for kecamatan, late in ((first, False), (first, True), (second, False)):
        make_file(
            world,
            world.sip,
            submitted=at("2025-03-03"),
            finished=at("2025-03-05"),
            used=4 * H,
            budget=24 * H,
            late=late,
            site_kecamatan=kecamatan,
        )
    rows = {row["code"]: row for row in dashboard_compute(period_parse("2025-03"))["kecamatan"]}
    assert len(rows) == len(places.kecamatan)  # every kecamatan, with or without files
    assert (rows[first]["received"], rows[first]["finished"], rows[first]["on_time"]) == (2, 2, 1)
    assert (rows[second]["received"], rows[second]["on_time_share"]) == (1, 1.0)
    body = client.get(URL, {"periode": "2025-03"}).content.decode()
    assert "Per kecamatan lokasi izin" in body
    row = re.search(rf"<th scope=\"row\">{places.kecamatan[first].name}</th>(.*?)</tr>", body, re.S)
    assert re.findall(r'<td class="n">([^<]*)</td>', row.group(1)) == ["2", "2", "50,0%"]


def test_the_kept_body_follows_the_language_the_filters_and_a_new_snapshot(client, world):
    """The rendered body is kept per language, filter and snapshot: switching any of them
    shows its own page, and a refreshed snapshot its new figures."""
    march = {"periode": "2025-03"}
    indonesian = client.get(URL, march).content.decode()
    assert "<dt>Berkas masuk</dt><dd>8</dd>" in indonesian
    only_opd = client.get(URL, {**march, "opd": world.sip.opd.code}).content.decode()
    assert only_opd != indonesian and world.sip.opd.name_id in only_opd
    unknown = client.get(URL, {**march, "opd": "NONE"})
    assert (
        unknown.status_code == 400 and client.get(URL, {**march, "opd": "NONE"}).status_code == 400
    )
    client.post("/i18n/setlang/", {"language": "en", "next": URL})
    assert "Files received" in client.get(URL, march).content.decode()
    client.post("/i18n/setlang/", {"language": "id", "next": URL})
    make_file(world, world.sip, submitted=at("2025-03-12"))
    dashboard_store(period_parse("2025-03"))  # the hourly refresh
    assert "<dt>Berkas masuk</dt><dd>9</dd>" in client.get(URL, march).content.decode()
