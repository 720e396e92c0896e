"""The partners' API docs page in Chromium (issue 21.1): Swagger UI served from the project,
drawn without a single Content-Security-Policy refusal (``open_page`` fails the test on any
console error), listing the operations with the scope each needs."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_page_draws_its_operations_under_the_sites_policy(live_server, open_page):
    page = open_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    response = page.goto(f"{live_server.url}/api/v1/docs/")
    assert response.status == 200
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Terang API")
    catalogue = page.locator(".opblock-summary-path", has_text="/api/v1/catalogue/").first
    expect(catalogue).to_be_visible()
    catalogue.click()
    expect(page.locator(".opblock-body").first).to_contain_text("If-None-Match")
    # Nothing from outside: every request went to the test server.
    assert requested and all(url.startswith((live_server.url, "data:")) for url in requested)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-eval" not in policy
