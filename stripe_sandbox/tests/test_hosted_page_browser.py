"""The hosted payment page in Chromium, found by its labels, roles and visible text, as the
shop's browser tests will meet it. The receiver stands in for the shop's pages; it is asked
for first, so that it outlives the page's last request."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def test_a_shopper_declined_once_pays_with_another_card_and_returns_to_the_shop(
    webhook_receiver, page: Page, open_session, sdk
):
    session = open_session(success_url=f"{webhook_receiver.url}?session={{CHECKOUT_SESSION_ID}}")

    page.goto(session.url)
    expect(page.get_by_role("note")).to_have_text("Test mode — no money moves")
    expect(page.get_by_role("table", name="Your order")).to_contain_text("Cast Iron Skillet")
    page.get_by_label("Card number").fill("4000 0000 0000 0002")
    page.get_by_role("button", name="Pay 29.99 EUR").click()
    expect(page.get_by_role("alert")).to_have_text("Your card was declined.")

    page.get_by_label("Card number").fill("4000 0027 6000 3184")
    page.get_by_role("button", name="Pay").click()
    page.get_by_role("button", name="Complete authentication").click()

    expect(page).to_have_url(re.compile(re.escape(f"?session={session.id}") + "$"))
    expect(page.get_by_role("heading")).to_have_text("Back at the shop")
    assert sdk.v1.checkout.sessions.retrieve(session.id).status == "complete"


def test_back_to_the_shop_leaves_the_session_open(webhook_receiver, page: Page, open_session, sdk):
    session = open_session(cancel_url=f"{webhook_receiver.url}?cart")

    page.goto(session.url)
    page.get_by_role("link", name="Back to the shop").click()

    expect(page).to_have_url(f"{webhook_receiver.url}?cart")
    assert sdk.v1.checkout.sessions.retrieve(session.id).status == "open"
