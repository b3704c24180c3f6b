"""Browser tests: pytest-playwright drives a real Chromium against pytest-django's live server.

Each test fails on a console error or an uncaught page error, so a broken script or a
missing asset is a test failure, not a silent glitch.
"""

import os
import re
import shutil

import pytest
from playwright.sync_api import Page

# Playwright's sync API runs an event loop in the main thread; the ORM calls that tests make
# to arrange data and read results are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.is_relative_to(os.path.dirname(__file__)):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch CHROMIUM_PATH, else Debian's chromium, else Playwright's own browser."""
    executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    options = {**browser_type_launch_args, "headless": True}
    if executable:
        options["executable_path"] = executable
    # This machine has no internet: stop Chromium phoning home for updates and sync.
    options["args"] = [
        *browser_type_launch_args.get("args", []),
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-gpu",
    ]
    return options


@pytest.fixture(autouse=True)
def _live_database(transactional_db):
    """The live server runs in another thread: tests need committed, visible data."""


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """Relative URLs in `page.goto("/")` and friends resolve against the live server."""
    return live_server.url


class BrowserProblems(list):
    """Errors the browser reported: console errors and uncaught exceptions."""

    # Chromium logs every 4xx answer as a console error. A 409 (action refused, e.g. out of
    # stock), a 422 (form with errors) and a 429 (form over a rate limit) are answers the page
    # shows on purpose.
    EXPECTED = re.compile(r"Failed to load resource: .* status of (409|422|429) ")

    def watch(self, page: Page) -> Page:
        page.on("pageerror", lambda error: self.append(f"page error: {error}"))
        page.on("console", self._on_console)
        page.set_default_timeout(10_000)
        return page

    def _on_console(self, message) -> None:
        if message.type == "error" and not self.EXPECTED.search(message.text):
            self.append(f"console: {message.text}")


@pytest.fixture
def browser_problems():
    problems = BrowserProblems()
    yield problems
    assert not problems, "The browser reported errors:\n" + "\n".join(problems)


@pytest.fixture
def page(page: Page, browser_problems) -> Page:
    """The usual Playwright page, failing the test on any browser-side error."""
    return browser_problems.watch(page)


@pytest.fixture
def another_page(new_context, browser_problems) -> Page:
    """A second, separate browser (its own cookies): another shopper looking at the shop."""
    return browser_problems.watch(new_context().new_page())
