"""The fixtures of the browser tests, and the screenshot of every page of a failed test
(the helpers: ``tests.e2e.kit``)."""

import os
import re
import threading
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

from tests.e2e.kit import (
    ARTIFACTS,
    CHROMIUM,
    axe_readable,
    axe_violations,
    is_csp_refusal,
)


class _OneRequestAtATime(ThreadedWSGIServer):
    """The live server, answering one request at a time (each connection still has its
    thread). On the SQLite pass every request thread shares the test's one in-memory
    connection: two requests at once (a page's autosave beside an upload) broke each
    other's transactions ("cannot start a transaction within a transaction"). A browser
    queues its requests; a deployment's threads each have their own connection."""

    def set_app(self, application):
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                response = application(environ, start_response)
                try:
                    return list(response)  # the whole body, inside the lock
                finally:
                    if hasattr(response, "close"):
                        response.close()  # request_finished, as the server would

        super().set_app(one_at_a_time)


LiveServerThread.server_class = _OneRequestAtATime


@pytest.fixture(scope="session", autouse=True)
def _sync_database_beside_playwright():
    """Playwright's sync API runs an event loop in this thread for the whole session; the
    tests (and the database flush after each) still talk to the database synchronously.
    Set only once browser tests start; subprocesses never inherit it (``project_env``)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, request):
    """A new browser context (its own cookies) and page per person in the story.

    Every page listens to its console: a Content-Security-Policy refusal (an inline script or
    style, a resource from elsewhere) fails the test that saw it."""
    pages, refusals = [], []

    def note_refusal(message):
        if message.type == "error" and is_csp_refusal(message.text):
            refusals.append(f"{message.location.get('url', '')}: {message.text}")

    def make(width=1280, height=900):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        page.on("console", note_refusal)
        pages.append(page)
        return page

    yield make
    failed = getattr(request.node, "rep_call", None) and request.node.rep_call.failed
    if failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        for index, page in enumerate(pages):
            page.screenshot(path=str(ARTIFACTS / f"{name}-{index}.png"), full_page=True)
    for page in pages:
        page.context.close()
    assert not refusals, "Content-Security-Policy refusals:\n" + "\n".join(refusals)


@pytest.fixture
def assert_accessible():
    """``assert_accessible(page, "name")`` fails on any serious or critical axe violation."""

    def check(page, name: str) -> None:
        violations = axe_violations(page)
        assert not violations, axe_readable(name, violations)

    return check
