"""Steps a shopper takes again and again in the browser tests, as a person would take them."""

import re
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from accounts.tests.factories import DEFAULT_PASSWORD
from outbox.tests.fixtures import run_worker


def sign_up(page: Page, username: str, password: str = DEFAULT_PASSWORD) -> None:
    """Sign up from the navbar, ending on the page the visitor started from, welcomed."""
    navbar = page.get_by_role("navigation", name="Main")
    navbar.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email address").fill(f"{username}@example.com")
    page.get_by_label("Choose a password").fill(password)
    page.get_by_label("Confirm password").fill(password)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Welcome to Storefront, {username}!")


def mails_to(smtp_server, address: str, subject_part: str) -> list:
    """The messages the mail server received for `address` whose subject has `subject_part`."""
    return [
        message
        for message in smtp_server.messages
        if message["To"] == address and subject_part in message["Subject"]
    ]


def verify_address(page: Page, smtp_server, address: str) -> None:
    """Open the link of the verification mail sent to `address` and confirm it, as the shopper
    would from their inbox, then come back to the page they were on."""
    back = page.url
    run_worker()
    [mail] = mails_to(smtp_server, address, "Verify your e-mail address")
    link = re.search(r"https?://\S+/accounts/verify/\S+/", mail.get_body(("plain",)).get_content())
    page.goto(urlsplit(link[0]).path)  # the mail's link, on the server under test
    page.get_by_role("button", name="Verify my address").click()
    expect(page.get_by_role("status")).to_contain_text(f"{address} is verified")
    page.goto(back)


def sign_in(page: Page, username: str, password: str = DEFAULT_PASSWORD) -> None:
    """Sign in from the navbar, ending on the page the visitor started from."""
    navbar = page.get_by_role("navigation", name="Main")
    navbar.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(navbar.get_by_role("button", name=username)).to_be_visible()


def fill_in_a_shipping_address(page: Page) -> None:
    """The checkout form's address, as a shopper types it."""
    page.get_by_label("Full name").fill("Ada Lovelace")
    page.get_by_label("Address line 1").fill("12 St James's Square")
    page.get_by_label("City").fill("London")
    page.get_by_label("Postal code").fill("SW1Y 4JH")
    page.get_by_label("Country").select_option(label="United Kingdom")


def card(page: Page, name: str):
    """The catalog's card of the product called `name`."""
    return page.get_by_role("region", name="Products").get_by_role("article").filter(has_text=name)


def pay_by_card(page: Page, number: str = "4242 4242 4242 4242") -> None:
    """Press "Pay by card" on the order's page, and pay with the card `number` on the
    provider's page (the local Stripe's, in test mode)."""
    page.get_by_role("button", name="Pay by card").click()
    expect(page.get_by_role("note")).to_contain_text("Test mode — no money moves")
    page.get_by_label("Card number").fill(number)
    page.get_by_role("button", name=re.compile(r"^Pay ")).click()
