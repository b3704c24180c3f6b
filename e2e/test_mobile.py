"""A shopper on a 390 px phone: nothing scrolls sideways, the cart shows every amount and
control, and the cart count stays in sight with the menu collapsed. Staff's dashboard too."""

import re
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductFactory
from checkout.tests.factories import CartFactory, CartItemFactory, OrderFactory

from .test_accessibility import sign_in_as

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "is_mobile": True, "has_touch": True}


def scrolls_sideways(page: Page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def fully_in_view(page: Page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_the_cart_on_a_phone_shows_every_amount_and_remove_without_scrolling_sideways(
    page: Page, base_url: str
):
    shopper = UserFactory()
    cart = CartFactory(user=shopper)
    CartItemFactory(
        cart=cart,
        product=ProductFactory(name="Marble Mortar & Pestle, Extra Large", price=Decimal("134.00")),
        quantity=12,
    )
    spoon = ProductFactory(name="Olive Wood Spoon", price=Decimal("11.00"))
    CartItemFactory(cart=cart, product=spoon, quantity=1)
    sign_in_as(page, shopper, base_url)

    page.goto("/cart/")

    assert not scrolls_sideways(page)
    for name in ("Marble Mortar & Pestle, Extra Large", "Olive Wood Spoon"):
        line = page.get_by_role("row").filter(has_text=name)
        remove = line.get_by_role("button", name=f"Remove {name}")
        expect(remove).to_be_visible()
        assert fully_in_view(page, remove)
        assert fully_in_view(page, line.get_by_role("cell").last)
    mortar_line = page.get_by_role("row").filter(has_text="Marble Mortar")
    expect(mortar_line.get_by_role("cell").last).to_have_text("$1,608.00")  # 12 * 134.00
    summary = page.get_by_role("region", name="Order summary")
    expect(summary).to_contain_text("$1,619.00")
    for label in ("Subtotal", "Shipping", "Total", "incl. VAT 20%"):
        term = summary.get_by_role("term").filter(has_text=re.compile(f"^{re.escape(label)}$"))
        expect(term).to_be_visible()
        assert fully_in_view(page, term.locator("xpath=following-sibling::dd"))


def test_the_cart_count_shows_in_the_collapsed_navbar(page: Page, base_url: str):
    shopper = UserFactory()
    CartItemFactory(cart=CartFactory(user=shopper), quantity=3)
    sign_in_as(page, shopper, base_url)

    page.goto("/")

    navbar = page.get_by_role("navigation", name="Main")
    expect(navbar.get_by_role("button", name="Toggle navigation")).to_be_visible()  # collapsed
    expect(navbar.get_by_role("link", name="Shop")).to_be_hidden()
    expect(navbar.get_by_role("link", name="Cart 3 items", exact=True)).to_be_visible()


@pytest.mark.parametrize("path", ["/", "product", "/checkout/", "order", "/blog/", "/accounts/"])
def test_no_page_scrolls_sideways_on_a_phone(page: Page, base_url: str, path):
    shopper = UserFactory()
    product = ProductFactory(name="Cast Iron Skillet, Pre-seasoned, 26 cm", quantity=3)
    ProductFactory.create_batch(13)
    CartItemFactory(cart=CartFactory(user=shopper), product=product)
    placed = OrderFactory(customer=shopper, lines={product: 2})
    sign_in_as(page, shopper, base_url)
    url = {"product": product.get_absolute_url(), "order": placed.get_absolute_url()}.get(
        path, path
    )

    page.goto(url)

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert not scrolls_sideways(page)


def test_the_dashboard_on_a_phone_does_not_scroll_sideways(page: Page, base_url: str):
    """Staff on a phone: the dashboard's parts stack, and a wide table (the failed mail's
    long error) scrolls inside its card, never the page."""
    call_command("seed_demo", stdout=StringIO())
    sign_in_as(page, get_user_model().objects.get(username="owner"), base_url)

    page.goto("/admin/")

    expect(page.get_by_role("img", name="Revenue per day, the last 30 days")).to_be_visible()
    assert not scrolls_sideways(page)
    restock = page.get_by_role("button", name="Restock Beeswax Candle Pair").first
    assert fully_in_view(page, restock)
