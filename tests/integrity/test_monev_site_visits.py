"""The monev report counts the month's site visits (issue 22.2): scheduled, reports signed
off (with what they concluded, objections, photos that do not match, none at all), and
inspections finished without a signed report."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from integrity.inspection.selectors.monev import monev_data
from permits.models import Conclusion, FindingResult, Stage
from tests.factories import fire, new_file, walk
from tests.permits.test_site_visit_photos import jpeg, north, upload
from tests.permits.test_site_visit_reports import (
    AFTER_THE_VISIT,
    OK,
    agreed,
    report,
    signed_by_all,
)
from tests.permits.test_site_visits import at

pytestmark = pytest.mark.django_db


def section(month):
    found = [s for s in monev_data(month).sections if s.title == "Peninjauan lapangan"]
    return dict(found[0].rows) if found else None


def test_the_month_counts_visits_reports_and_inspections_without_one(
    office, django_capture_on_commit_callbacks
):
    from permits.models import SiteVisit
    from permits.services.site_visit_photos import site_visit_photo_add
    from tests.factories import act

    app = agreed(office)
    SiteVisit.objects.filter(application=app).update(site_lat=-6.9, site_lon=107.6)
    with time_machine.travel(AFTER_THE_VISIT, tick=True):
        site_visit_photo_add(
            application=app,
            actor=act(app.assigned_to),
            uploaded=upload(jpeg(taken="2026:12:15 10:20:00", place=north(5000))),
        )
        report(
            app,
            results=[(FindingResult.DIFFERS, "Alamat lain."), *OK[1:]],
            conclusion=Conclusion.DIFFERS,
            summary="Tidak sesuai.",
        )
        signed_by_all(app, office, django_capture_on_commit_callbacks)  # with an objection
        fire(app, "finish_inspection", app.assigned_to)
        # Another file whose inspection was finished without any visit.
        other = walk(office, new_file(office), Stage.INSPECTION)
        fire(other, "finish_inspection", other.assigned_to)
    rows = section(datetime.date(2026, 12, 1))
    assert rows["Peninjauan dijadwalkan"] == "1"
    assert rows["Berita acara ditandatangani lengkap"] == "1"
    assert rows["… tidak sesuai dengan permohonan"] == "1"
    assert rows["… sesuai dengan catatan"] == "0"
    assert rows["… dengan keberatan pemohon"] == "1"
    assert rows["… dengan foto yang tempat atau waktunya tidak cocok"] == "1"
    assert rows["… tanpa foto"] == "0"
    assert rows["Peninjauan lapangan diselesaikan tanpa berita acara"] == "1"


def test_a_month_without_visits_has_no_section(office):
    with time_machine.travel(at(2026, 12, 14, 8, 30), tick=True):
        walk(office, new_file(office), Stage.TECHNICAL_REVIEW)
    assert section(datetime.date(2026, 12, 1)) is None
