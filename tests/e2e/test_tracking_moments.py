"""The public tracking page in a real browser, on a phone and at a desk: every step of the
file and every staff view reads its local date and time (WIB), and the SOP badge's
deadline is the same local time as the written promise."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

from permits.models import Stage
from tests.e2e.kit import ARTIFACTS
from tests.factories import new_file, walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
NAMES = "|".join(MONTHS)
MOMENT = re.compile(rf"^\d{{1,2}} ({NAMES}) \d{{4}}, \d{{2}}\.\d{{2}}$")


def in_words(moment: datetime.datetime) -> str:
    """How a page must read a moment: "7 Des 2026, 06.30" (worked out here, not by the
    product's own formatter)."""
    local = moment.astimezone(WIB)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}, {local:%H.%M}"


@pytest.fixture
def tracked(office, client):
    """A file submitted at 06.30 WIB on a Monday a week or two ahead (still Sunday in
    UTC), declared complete at 09.23 WIB, and opened by the supervisor at 23.30 WIB."""
    today = datetime.date.today()
    monday = today + datetime.timedelta(days=14 - today.weekday())
    at = lambda hour, minute: datetime.datetime.combine(  # noqa: E731
        monday, datetime.time(hour, minute), tzinfo=WIB
    )
    with time_machine.travel(at(6, 30), tick=False):
        app = walk(office, new_file(office, office.simple_type), Stage.SUBMITTED)
    with time_machine.travel(at(9, 23), tick=False):
        app = walk(office, app, Stage.APPROVAL)
    with time_machine.travel(at(23, 30), tick=False):
        client.force_login(office.supervisor)
        client.get(f"/kantor/berkas/{app.public_id}/")
    app.refresh_from_db()
    return app, at


@pytest.mark.parametrize("width", [360, 1280])
def test_the_tracking_page_reads_local_dates_and_times(live_server, tracked, open_page, width):
    app, at = tracked
    page = open_page(width=width)
    page.goto(f"{live_server.url}/lacak/{app.tracking_code}/")

    steps = page.locator("ol.timeline li")
    expect(steps.first).to_contain_text("Permohonan diajukan")
    for time in steps.locator("time").all_inner_texts():
        assert MOMENT.match(time), time
    expect(steps.filter(has_text="Permohonan diajukan")).to_contain_text(in_words(at(6, 30)))
    expect(steps.filter(has_text="waktu SOP mulai berjalan")).to_contain_text(in_words(at(9, 23)))

    views = page.locator("ul.views li")
    expect(views).to_have_count(1)
    seen = " ".join(views.first.inner_text().split())
    assert seen == f"{in_words(at(23, 30))} — Atasan langsung, DPMPTSP", seen

    deadline = app.sop_deadline.astimezone(WIB)
    badge = page.locator(".track__sop .sla").inner_text()
    assert f"{in_words(deadline)} · sisa" in badge, badge  # WIB, not UTC
    promise = page.locator(".track__sop p").first.inner_text()
    assert "selesai paling lambat" in promise and f", {deadline:%H.%M}." in promise, promise
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"tracking-moments-{width}.png"), full_page=True)
