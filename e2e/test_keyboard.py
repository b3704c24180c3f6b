"""Keyboard users keep their place when htmx replaces the control they used.

Each control here is replaced by the answer to its own request, and the first two are disabled
while they wait, which takes the focus away; shop.js gives it back to the replacement.
"""

from playwright.sync_api import Page, expect

from accounts.tests.factories import UserFactory
from blog.tests.factories import PostFactory
from catalog.tests.factories import ProductFactory
from checkout.tests.factories import OrderFactory

from .shopper import sign_in


def test_a_keyboard_shopper_adds_to_the_cart_twice_without_leaving_the_button(page: Page):
    ProductFactory(name="Enamel Camp Mug")
    page.goto("/")
    add = page.get_by_role("button", name="Add to cart: Enamel Camp Mug")

    add.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Cart 1 item", exact=True)).to_be_visible()
    expect(add).to_be_focused()
    # Focus coming back to the button reads the outcome with it.
    expect(add).to_have_accessible_description("Added to cart ✓")

    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Cart 2 items", exact=True)).to_be_visible()
    expect(add).to_be_focused()


def test_a_keyboard_shopper_updating_a_quantity_stays_on_its_update_button(page: Page):
    ProductFactory(name="Enamel Camp Mug")
    page.goto("/")
    page.get_by_role("button", name="Add to cart: Enamel Camp Mug").click()
    page.get_by_role("link", name="Cart 1 item", exact=True).click()

    page.get_by_label("Quantity of Enamel Camp Mug", exact=True).fill("3")
    page.keyboard.press("Tab")
    update = page.get_by_role("button", name="Update quantity of Enamel Camp Mug")
    expect(update).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("link", name="Cart 3 items", exact=True)).to_be_visible()
    expect(update).to_be_focused()


def test_a_keyboard_reader_posting_a_comment_stays_on_the_post_button(page: Page):
    post = PostFactory(title="Seasoning cast iron")
    UserFactory(username="ada")
    page.goto(post.get_absolute_url())
    sign_in(page, "ada")

    page.get_by_label("Your comment").fill("Does this work on enamel too?")
    page.keyboard.press("Tab")
    send = page.get_by_role("button", name="Post comment")
    expect(send).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="1 comment")).to_be_visible()
    expect(send).to_be_focused()


def test_after_cancelling_an_order_focus_lands_on_its_new_status(page: Page):
    order = OrderFactory(customer=UserFactory(username="ada"), lines={ProductFactory(): 1})
    page.goto("/")
    sign_in(page, "ada")
    page.goto(order.get_absolute_url())

    page.get_by_role("button", name="Cancel order").focus()
    page.keyboard.press("Enter")

    # The Cancel button is gone; the order's heading, next to its new status, takes the focus.
    expect(page.get_by_role("button", name="Cancel order")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    expect(page.get_by_role("heading", level=1).locator("..")).to_contain_text("Cancelled")


def test_a_search_tells_screen_readers_how_many_products_it_found(page: Page):
    ProductFactory(name="Enamel Camp Mug")
    ProductFactory(name="Linen Tea Towel")
    page.goto("/")
    status = page.get_by_role("status").filter(has_text="product")
    expect(status).to_have_text("2 products")

    page.get_by_role("searchbox", name="Search products").fill("mug")

    expect(page.get_by_role("status").filter(has_text="result")).to_have_text("1 result for “mug”")
