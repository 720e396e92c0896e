"""The Django admin under the site's Content-Security-Policy, in Chromium: the administrator
signs in through Terang's two-step sign-in and works the catalogue and the calendar (a
changelist with its filters and actions, a change form with its inline rows, the date
widget's calendar) without a single CSP refusal; ``open_page`` fails the test on any."""

import re

import pytest
from playwright.sync_api import expect

from permits.models import PermitType
from tests.e2e.kit import staff_sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def directives(response) -> dict[str, list[str]]:
    """The page's Content-Security-Policy, directive by directive (in whatever order)."""
    policy = response.headers["content-security-policy"]
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


def test_the_administrator_works_the_admin_without_a_csp_refusal(live_server, office, open_page):
    base = live_server.url
    page = open_page()
    # The admin's own login form is not there: it leads to the two-step sign-in.
    page.goto(f"{base}/admin/login/?next=/admin/")
    expect(page).to_have_url(re.compile(r"/akun/masuk/"))
    staff_sign_in(page, base, office.admin)

    page.goto(f"{base}/admin/")
    expect(page.locator("#site-name")).to_be_visible()

    # A changelist: search, filters, the action bar; actions.js counts a ticked row.
    response = page.goto(f"{base}/admin/permits/permittype/")
    assert directives(response)["script-src"] == ["'self'"]
    expect(page.locator("#result_list")).to_contain_text("KES-APOTEK")
    expect(page.locator("#changelist-filter")).to_be_visible()
    page.locator("#result_list tbody input.action-select").first.check()
    expect(page.locator(".action-counter")).to_contain_text("1")

    # A change form with inline rows: inlines.js adds the "add another" link and a new row.
    permit_type = PermitType.objects.get(code="KES-APOTEK")
    page.goto(f"{base}/admin/permits/permittype/{permit_type.pk}/change/")
    expect(page.locator("#id_code")).to_have_value("KES-APOTEK")
    rows = page.locator("#requirements-group tbody tr.form-row:not(.empty-form)")
    before = rows.count()
    page.locator("#requirements-group .add-row a").click()
    expect(rows).to_have_count(before + 1)

    # Its history (django-simple-history's page): the edits of the catalogue, by whom.
    response = page.goto(f"{base}/admin/permits/permittype/{permit_type.pk}/history/")
    assert directives(response)["style-src"] == ["'self'"]
    expect(page.locator("#change-history")).to_be_visible()

    # A form with a date: DateTimeShortcuts' "today" link fills it in.
    page.goto(f"{base}/admin/worktime/dayoverride/add/")
    page.locator("#id_date").fill("")
    page.locator(".datetimeshortcuts a").first.click()
    expect(page.locator("#id_date")).not_to_have_value("")

    # The people: a user's change form (password hash widget, groups and permissions).
    page.goto(f"{base}/admin/accounts/user/{office.applicant.pk}/change/")
    expect(page.locator("#id_username")).to_have_value(office.applicant.username)
