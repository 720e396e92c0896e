"""The counter desk in a real browser at 1280×800: at least twelve files above the fold on
one line each, who waited longest first with the time they have waited since (WIB), the
keyboard shortcuts listed and working; and the same list still usable on a 360 px phone."""

import datetime
import re
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import expect

from permits.models import Stage
from tests.e2e.kit import staff_sign_in
from tests.factories import fire, new_file, return_file, walk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
FILES = 16
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
# Whether an element's text is wider than its content box (shown cut off with an ellipsis).
CUT_OFF = """el => {
  const copy = el.cloneNode(true);
  copy.style.cssText = "position:absolute; visibility:hidden; max-width:none; width:auto";
  el.parentNode.appendChild(copy);
  const whole = copy.getBoundingClientRect().width;
  copy.remove();
  return whole > el.getBoundingClientRect().width;
}"""


@pytest.fixture
def desk(office):
    """Sixteen files waiting for one counter officer's check, submitted an hour apart from
    Monday 23 November 2026 08.05 WIB, created out of order; plus one submitted first of
    all but returned and resubmitted last (it has waited least since)."""
    office.counter2.is_active = False  # every file goes to one counter officer
    office.counter2.save()
    start = datetime.datetime(2026, 11, 23, 8, 5, tzinfo=WIB)
    with time_machine.travel(start - datetime.timedelta(days=7), tick=False):
        resubmitted = walk(office, new_file(office, office.simple_type), Stage.VERIFICATION)
        resubmitted = return_file(office, resubmitted)
    files = {}
    for i in [5, 0, 9, 3, 12, 1, 15, 7, 2, 11, 4, 14, 6, 10, 8, 13]:
        moment = start + datetime.timedelta(hours=i % 7, days=i // 7)
        with time_machine.travel(moment, tick=False):
            files[moment] = walk(office, new_file(office, office.simple_type), Stage.SUBMITTED)
    with time_machine.travel(start + datetime.timedelta(days=3), tick=False):
        resubmitted = fire(resubmitted, "resubmit", office.applicant)
    files[resubmitted.waiting_since] = resubmitted
    return [files[moment] for moment in sorted(files)]


def test_the_counter_sees_twelve_files_who_waited_longest_first_and_works_by_keyboard(
    live_server, office, open_page, desk
):
    assert len(desk) == FILES + 1
    page = open_page(width=1280, height=800)
    staff_sign_in(page, live_server.url, office.counter)
    page.screenshot(path=str(SHOTS / "counter-desk-1280.png"))

    rows = page.locator("#worklist tbody tr")
    expect(rows).to_have_count(FILES + 1)
    visible = [
        box
        for box in (rows.nth(i).bounding_box() for i in range(FILES + 1))
        if box["y"] >= 0 and box["y"] + box["height"] <= 800
    ]
    assert len(visible) >= 12, f"only {len(visible)} rows above the fold"

    # Registration numbers on one line: every row as tall as a line of its number.
    number = rows.first.locator("td").first
    line = number.evaluate("td => parseFloat(getComputedStyle(td).lineHeight)")
    for i in range(FILES + 1):
        link = rows.nth(i).locator("td a").first
        assert link.bounding_box()["height"] <= line + 1

    # Who waited longest first: the oldest submission, read in the office's time zone.
    first = rows.first
    expect(first).to_contain_text(desk[0].registration_number)
    # These cells show their whole text, not cut off with an ellipsis (names may be).
    for cell in [".worklist__number", ".worklist__waiting", ".worklist__due .sla"]:
        assert not first.locator(cell).evaluate(CUT_OFF), f"{cell} is cut off"
    expect(first.locator(".worklist__waiting")).to_contain_text("23 Nov 2026, 08.05")
    # Its check was due a working day later: the deadline column says so (not "SOP belum
    # berjalan", which every waiting file would read).
    expect(first.locator(".worklist__due")).to_have_text("Lewat batas periksa 24 Nov 2026, 08.05")
    numbers = [rows.nth(i).locator("td a").first.inner_text() for i in range(FILES + 1)]
    assert numbers == [app.registration_number for app in desk]
    # The file resubmitted last waited least, though it was submitted first of all.
    assert numbers[-1] == desk[-1].registration_number
    expect(rows.last.locator(".worklist__waiting")).to_contain_text("26 Nov 2026, 08.05")

    # The shortcuts are listed on the page.
    shortcuts = page.locator(".shortcuts")
    expect(shortcuts).to_be_visible()
    for key in ["j", "k", "o", "/"]:
        expect(shortcuts.locator("kbd", has_text=re.compile(f"^{re.escape(key)}$"))).to_be_visible()

    # j, j, k: the first row is current; Enter opens it.
    page.locator("h1").click()
    page.keyboard.press("j")
    expect(rows.nth(0)).to_have_class(re.compile(r"\bis-current\b"))
    page.keyboard.press("j")
    expect(rows.nth(1)).to_have_class(re.compile(r"\bis-current\b"))
    expect(rows.nth(0)).not_to_have_class(re.compile(r"\bis-current\b"))
    page.keyboard.press("k")
    expect(rows.nth(0)).to_have_class(re.compile(r"\bis-current\b"))
    page.screenshot(path=str(SHOTS / "counter-desk-current.png"))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(desk[0].registration_number)
    expect(page.locator(".file-head")).to_contain_text("Menunggu sejak 23 Nov 2026, 08.05")
    page.screenshot(path=str(SHOTS / "counter-desk-file.png"))

    # "/" focuses the search; typing there does not move the current row.
    page.go_back()
    expect(rows).to_have_count(FILES + 1)
    page.keyboard.press("/")
    search = page.locator("input[name=q]")
    expect(search).to_be_focused()
    page.keyboard.type("jk")
    expect(search).to_have_value("jk")
    expect(page.locator("#worklist tbody tr.is-current")).to_have_count(0)
    search.fill(desk[3].registration_number)
    search.press("Enter")
    expect(page.locator("#worklist tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"[?&]q=MPP-2026-"))
    # Escape leaves the search; j works on the new rows, and o opens.
    search.press("Escape")
    expect(search).not_to_be_focused()
    expect(search).to_have_value(desk[3].registration_number)
    # Leaving the field may refresh the list once more (htmx on "change"); let it land first.
    page.wait_for_load_state("networkidle")
    page.keyboard.press("j")
    expect(page.locator("#worklist tbody tr").first).to_have_class(re.compile(r"\bis-current\b"))
    page.keyboard.press("o")
    expect(page.locator("h1")).to_contain_text(desk[3].registration_number)


def test_the_worklist_stays_usable_on_a_phone(live_server, office, open_page, desk):
    page = open_page(width=360, height=800)
    staff_sign_in(page, live_server.url, office.counter)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways ({width}px)"
    first = page.locator("#worklist tbody tr").first
    expect(first).to_contain_text(desk[0].registration_number)
    waiting = first.locator(".worklist__waiting")
    expect(waiting).to_have_text("23 Nov 2026, 08.05")
    label = waiting.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Menunggu sejak"'
    assert waiting.bounding_box()["width"] <= 360
    first.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "counter-desk-360.png"))
    link = first.locator("td a").first
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    link.click()
    expect(page.locator("h1")).to_contain_text(desk[0].registration_number)
