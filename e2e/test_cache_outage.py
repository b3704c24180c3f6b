"""The core flows with the shop's cache (a Redis of the test's own) unreachable throughout."""

import re
from decimal import Decimal

from playwright.sync_api import Page, expect

from accounts.tests.factories import UserFactory
from blog.models import Comment
from blog.tests.factories import PostFactory
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from checkout.models import Order

from .shopper import card, fill_in_a_shipping_address, pay_by_card, sign_up


def test_without_the_cache_a_shopper_browses_signs_up_orders_pays_and_comments(
    page: Page, cache_outage, live_cards
):
    ProductFactory(name="Enamel Camp Mug", price=Decimal("14.00"), quantity=10)
    post = PostFactory(
        author=UserFactory(username="margit"), title="Seasoning cast iron", slug="seasoning"
    )

    page.goto("/")
    page.get_by_role("searchbox").fill("mug")
    page.get_by_role("searchbox").press("Enter")
    expect(card(page, "Enamel Camp Mug")).to_contain_text("10 in stock")
    sign_up(page, "ada")
    card(page, "Enamel Camp Mug").get_by_role("button", name="Add to cart: Enamel Camp Mug").click()
    expect(page.get_by_role("link", name="Cart 1 item", exact=True)).to_be_visible()

    page.get_by_role("link", name="Cart 1 item").click()
    page.get_by_role("link", name="Place order").click()
    fill_in_a_shipping_address(page)
    page.get_by_role("button", name="Place order").click()
    pay_by_card(page)
    expect(page.get_by_role("heading", level=1).locator("..")).to_contain_text("Confirmed")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Blog").click()
    page.get_by_role("link", name="Seasoning cast iron").click()
    expect(page).to_have_url(re.compile(f"{post.get_absolute_url()}$"))
    page.get_by_label("Your comment").fill("Works on enamel too.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_role("list", name="Comments").get_by_role("listitem")).to_have_count(1)

    assert Product.objects.get(name="Enamel Camp Mug").quantity == 9
    assert Order.objects.get(customer__username="ada").status == Order.Status.CONFIRMED
    assert Comment.objects.filter(post=post, author__username="ada").count() == 1
