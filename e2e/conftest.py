"""Browser tests: pytest-playwright drives a real Chromium against pytest-django's live server.

Each test fails on a console error or an uncaught page error, so a broken script or a
missing asset is a test failure, not a silent glitch.
"""

import os
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


# Chromium logs every non-2xx response as a console error. A 422 is how a form comes back
# with its validation errors (STYLE.md), so it is expected; any other status still fails.
EXPECTED_FORM_ERROR = "Failed to load resource: the server responded with a status of 422"


@pytest.fixture
def page(page: Page) -> Page:
    """The usual Playwright page, failing the test on any browser-side error."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith(EXPECTED_FORM_ERROR)
            and problems.append(f"console: {message.text}")
        ),
    )
    page.set_default_timeout(10_000)
    yield page
    assert not problems, "The browser reported errors:\n" + "\n".join(problems)
