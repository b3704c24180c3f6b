"""Steps a shopper takes again and again in the browser tests, as a person would take them."""

from playwright.sync_api import Page, expect

from accounts.tests.factories import DEFAULT_PASSWORD


def sign_up(page: Page, username: str, password: str = DEFAULT_PASSWORD) -> None:
    """Sign up from the navbar, ending on the page the visitor started from."""
    navbar = page.get_by_role("navigation", name="Main")
    navbar.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email address").fill(f"{username}@example.com")
    page.get_by_label("Choose a password").fill(password)
    page.get_by_label("Confirm password").fill(password)
    page.get_by_role("button", name="Create account").click()
    expect(navbar.get_by_role("button", name=username)).to_be_visible()


def sign_in(page: Page, username: str, password: str = DEFAULT_PASSWORD) -> None:
    """Sign in from the navbar, ending on the page the visitor started from."""
    navbar = page.get_by_role("navigation", name="Main")
    navbar.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(navbar.get_by_role("button", name=username)).to_be_visible()
