"""Browser tests: pytest-playwright drives a real Chromium against pytest-django's live server.

Each test fails on a console error, an uncaught page error or a Content-Security-Policy
violation, so a broken script, a missing asset or an inline style is a test failure, not a
silent glitch.
"""

import contextlib
import os
import re
import shutil

import pytest
from playwright.sync_api import Error as PlaywrightError
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
    """Errors the browser reported: console errors, uncaught exceptions, CSP violations."""

    # Chromium logs every 4xx answer as a console error. A 409 (action refused, e.g. out of
    # stock), a 422 (form with errors) and a 429 (form over a rate limit) are answers the page
    # shows on purpose.
    EXPECTED = re.compile(r"Failed to load resource: .* status of (409|422|429) ")

    # Chromium also logs CSP violations as console errors, but that is one browser's habit,
    # in free text. The standard report is the page's `securitypolicyviolation` event, which
    # names the directive and what it blocked: a listener installed before the page's own
    # content is parsed hands each one to the test.
    CSP_LISTENER = """
        document.addEventListener("securitypolicyviolation", (event) => {
            window.e2eReportCspViolation({
                directive: event.effectiveDirective,
                blocked: event.blockedURI,
                where: `${event.sourceFile || event.documentURI}:${event.lineNumber}`,
            });
        }, {capture: true});
    """

    def __init__(self):
        super().__init__()
        self.pages: list[Page] = []

    def watch(self, page: Page) -> Page:
        page.on("pageerror", lambda error: self.append(f"page error: {error}"))
        page.on("console", self._on_console)
        page.expose_function("e2eReportCspViolation", self._on_csp_violation)
        page.add_init_script(self.CSP_LISTENER)
        page.set_default_timeout(10_000)
        self.pages.append(page)
        return page

    def settle(self) -> None:
        """Take delivery of what the pages have reported but the test has not yet heard.

        Playwright delivers events while the test waits on the browser; after the test's
        last step nothing waits. One round trip to each open page brings in everything the
        page sent before it.
        """
        for page in self.pages:
            # A page navigating away refuses the call: its old document can report no more.
            if not page.is_closed():
                with contextlib.suppress(PlaywrightError):
                    page.evaluate("0")

    def _on_console(self, message) -> None:
        if message.type != "error" or self.EXPECTED.search(message.text):
            return
        # With JavaScript switched off no listener runs, and this is the only report.
        if "Content Security Policy" in message.text:
            self.append(f"CSP violation (console): {message.text}")
        else:
            self.append(f"console: {message.text}")

    def _on_csp_violation(self, violation: dict) -> None:
        self.append(
            f"CSP violation: {violation['directive']} blocked {violation['blocked']}"
            f" at {violation['where']}"
        )


@pytest.fixture
def browser_problems():
    problems = BrowserProblems()
    yield problems
    problems.settle()
    assert not problems, "The browser reported errors:\n" + "\n".join(problems)


@pytest.fixture
def page(page: Page, browser_problems) -> Page:
    """The usual Playwright page, failing the test on any browser-side error."""
    return browser_problems.watch(page)


@pytest.fixture
def another_page(new_context, browser_problems) -> Page:
    """A second, separate browser (its own cookies): another shopper looking at the shop."""
    return browser_problems.watch(new_context().new_page())
