"""The core flows with JavaScript switched off: htmx enhances the pages, it is never the only
way through them.

Every step here is a plain link or a plain form, and every click loads a whole page: what
htmx would swap in place comes back after a redirect, with a message saying what happened.
"""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from blog.tests.factories import PostFactory
from catalog.models import Product
from catalog.tests.factories import ProductFactory

from .shopper import card, fill_in_a_shipping_address, pay_by_card, sign_up

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def page(new_context, browser_problems) -> Page:
    """A browser with JavaScript switched off, still failing the test on any browser error."""
    return browser_problems.watch(new_context(java_script_enabled=False).new_page())


def fill_in_sign_in_form(page: Page, username: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_visitor_pages_through_and_searches_the_catalog(page: Page):
    ProductFactory(name="Enamel Camp Mug")
    ProductFactory(name="Linen Tea Towel")
    ProductFactory.create_batch(12)
    page.goto("/")
    products = page.get_by_role("region", name="Products")
    pages = page.get_by_role("navigation", name="Catalog pages")
    expect(products.get_by_role("article")).to_have_count(12)

    pages.get_by_role("link", name="Next").click()
    expect(page).to_have_url(re.compile(r"\?page=2$"))
    expect(products.get_by_role("article")).to_have_count(2)
    pages.get_by_role("link", name="Page 1").click()
    expect(products.get_by_role("article")).to_have_count(12)

    page.get_by_role("searchbox", name="Search products").fill("mug")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"\?q=mug$"))
    expect(products).to_contain_text("1 result for “mug”")
    expect(products.get_by_role("article")).to_have_count(1)

    products.get_by_role("link", name="Enamel Camp Mug").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enamel Camp Mug")


def test_a_shopper_signs_up_fills_the_cart_orders_pays_and_signs_out(page: Page, live_cards):
    mug = ProductFactory(name="Enamel Camp Mug", price=Decimal("14.00"), quantity=10)
    towel = ProductFactory(name="Linen Tea Towel", price=Decimal("9.50"), quantity=8)
    page.goto("/")
    navbar = page.get_by_role("navigation", name="Main")

    sign_up(page, "ada")
    # The user menu's dropdown cannot open without JavaScript: its items are in the navbar.
    expect(navbar.get_by_role("button", name="ada")).to_be_hidden()
    expect(navbar.get_by_role("link", name="Account")).to_be_visible()

    card(page, "Enamel Camp Mug").get_by_role("button", name="Add to cart: Enamel Camp Mug").click()
    expect(page.get_by_role("alert")).to_contain_text("Added 1 × Enamel Camp Mug to your cart.")
    expect(navbar.get_by_role("link", name="Cart 1 item", exact=True)).to_be_visible()

    page.get_by_role("link", name="Linen Tea Towel").click()
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart: Linen Tea Towel").click()
    expect(page.get_by_role("alert")).to_contain_text("Added 2 × Linen Tea Towel to your cart.")
    expect(page).to_have_url(re.compile(f"{towel.get_absolute_url()}$"))
    expect(navbar.get_by_role("link", name="Cart 3 items", exact=True)).to_be_visible()

    navbar.get_by_role("link", name="Cart 3 items").click()
    mug_line = page.get_by_role("row").filter(has_text="Enamel Camp Mug")
    mug_line.get_by_label("Quantity of Enamel Camp Mug", exact=True).fill("3")
    mug_line.get_by_role("button", name="Update").click()
    summary = page.get_by_role("region", name="Order summary")
    expect(summary).to_contain_text(re.compile(r"Total\s*\$61\.00"))
    expect(summary).to_contain_text(re.compile(r"Shipping\s*Free"))
    expect(navbar.get_by_role("link", name="Cart 5 items", exact=True)).to_be_visible()

    page.get_by_role("link", name="Place order").click()
    fill_in_a_shipping_address(page)
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_role("alert")).to_contain_text("is placed. Check it and choose how to pay")
    expect(page.get_by_text("Awaiting payment")).to_be_visible()

    # The provider's page is plain HTML too; back at the shop, the answer is asked of the
    # provider, not read from the redirect.
    pay_by_card(page)
    expect(page.get_by_role("alert")).to_contain_text("your payment is accepted")
    expect(page.get_by_role("heading", level=1).locator("..")).to_contain_text("Confirmed")
    # The timeline says when; the lines say what was bought, not what the shop has left.
    expect(page.get_by_role("region", name="What happened so far")).to_contain_text("Confirmed")
    expect(page.get_by_role("row").filter(has_text="Enamel Camp Mug")).to_contain_text("$42.00")
    expect(page.get_by_role("table")).not_to_contain_text("in stock")
    assert Product.objects.get(pk=mug.pk).quantity == 7
    assert Product.objects.get(pk=towel.pk).quantity == 6

    navbar.get_by_role("link", name="My orders").click()
    expect(page.get_by_role("row").filter(has_text="$61.00")).to_contain_text("Confirmed")
    navbar.get_by_role("link", name="Account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    navbar.get_by_role("button", name="Sign out").click()
    expect(navbar.get_by_role("link", name="Sign in")).to_be_visible()
    expect(navbar.get_by_role("link", name="Account")).to_have_count(0)


def test_a_reader_signs_in_from_a_post_and_comments(page: Page):
    post = PostFactory(title="Seasoning cast iron")
    UserFactory(username="grace")
    page.goto(post.get_absolute_url())

    page.get_by_role("link", name="Sign in to comment").click()
    fill_in_sign_in_form(page, "grace")
    expect(page.get_by_role("heading", level=1)).to_have_text("Seasoning cast iron")
    expect(page.get_by_role("heading", name="No comments yet")).to_be_visible()

    page.get_by_label("Your comment").fill("Does this work on enamel too?")
    page.get_by_role("button", name="Post comment").click()

    expect(page).to_have_url(re.compile(rf"{post.get_absolute_url()}#comment-\d+$"))
    expect(page.get_by_role("alert")).to_contain_text("Thanks, your comment is posted.")
    comments = page.get_by_role("list", name="Comments")
    expect(comments.get_by_role("listitem")).to_have_count(1)
    expect(comments.get_by_role("listitem")).to_contain_text("Does this work on enamel too?")
    expect(page.get_by_role("heading", name="1 comment")).to_be_visible()


def test_on_a_phone_the_navbar_shows_its_links_instead_of_a_toggle_that_cannot_open(
    page: Page,
):
    UserFactory(username="grace")
    page.set_viewport_size(PHONE)
    page.goto("/")
    navbar = page.get_by_role("navigation", name="Main")

    expect(navbar.get_by_role("button", name="Toggle navigation")).to_be_hidden()
    for link in ("Shop", "Blog", "Cart 0 items", "Sign in", "Sign up"):
        expect(navbar.get_by_role("link", name=link, exact=True)).to_be_visible()

    navbar.get_by_role("link", name="Sign in").click()
    fill_in_sign_in_form(page, "grace")
    for link in ("Account", "My orders"):
        expect(navbar.get_by_role("link", name=link)).to_be_visible()
    expect(navbar.get_by_role("button", name="Sign out")).to_be_visible()
