import re
from decimal import Decimal

from playwright.sync_api import Page, expect

from accounts.tests.factories import UserFactory
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from checkout.tests.factories import OrderFactory

from .shopper import card, fill_in_a_shipping_address, sign_in, sign_up


def test_a_shopper_orders_and_another_shopper_sees_the_stock_drop(page: Page, another_page: Page):
    ProductFactory(name="Enamel Camp Mug", price=Decimal("14.00"), quantity=10)
    ProductFactory(name="Linen Tea Towel", price=Decimal("9.50"), quantity=8)
    another_page.goto("/")
    expect(card(another_page, "Enamel Camp Mug")).to_contain_text("10 in stock")

    page.goto("/")
    sign_up(page, "ada")
    page.evaluate("window.stillTheSamePage = true")
    card(page, "Enamel Camp Mug").get_by_role("button", name="Add to cart: Enamel Camp Mug").click()
    expect(page.get_by_role("link", name="Cart 1 item", exact=True)).to_be_visible()
    card(page, "Linen Tea Towel").get_by_role("button", name="Add to cart: Linen Tea Towel").click()
    expect(page.get_by_role("link", name="Cart 2 items", exact=True)).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True

    page.get_by_role("link", name="Cart 2 items").click()
    expect(page.get_by_text("$23.50")).to_be_visible()
    page.get_by_role("link", name="Place order").click()
    fill_in_a_shipping_address(page)
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_text("Awaiting confirmation")).to_be_visible()

    page.get_by_role("button", name="Confirm order").click()

    expect(page.get_by_role("heading", level=1).locator("..")).to_contain_text("Confirmed")
    # The shopper's own order lines show what they bought, not what the shop has left.
    expect(page.get_by_role("row").filter(has_text="Enamel Camp Mug")).not_to_contain_text(
        "in stock"
    )
    assert Product.objects.get(name="Enamel Camp Mug").quantity == 9
    assert Product.objects.get(name="Linen Tea Towel").quantity == 7
    # The other shopper's catalog polls: the badge changes without a reload, well within 10 s.
    expect(card(another_page, "Enamel Camp Mug")).to_contain_text("9 in stock", timeout=10_000)
    expect(card(another_page, "Linen Tea Towel")).to_contain_text("7 in stock", timeout=10_000)


def test_confirming_after_a_product_sold_out_explains_the_shortage(page: Page):
    skillet = ProductFactory(name="Cast Iron Skillet", quantity=3)
    order = OrderFactory(customer=UserFactory(username="grace"), lines={skillet: 2})
    page.goto("/")
    sign_in(page, "grace")
    page.goto(order.get_absolute_url())
    Product.objects.filter(pk=skillet.pk).update(quantity=1)  # someone else was quicker

    page.get_by_role("button", name="Confirm order").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Only 1 of Cast Iron Skillet left, but this order needs 2."
    )
    expect(page.get_by_text("Awaiting confirmation")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm order")).to_be_enabled()
    assert Product.objects.get(pk=skillet.pk).quantity == 1
    expect(page).to_have_url(re.compile(f"{order.get_absolute_url()}$"))
