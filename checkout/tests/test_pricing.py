"""Money lines: worked out on the server in Decimal, rounded like a till, stored on orders."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductFactory
from checkout import services
from checkout.pricing import amounts_for

from .factories import SHIPPING, CartFactory, CartItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rates(settings):
    settings.CURRENCY = "USD"
    settings.SHIPPING_FLAT_RATE = Decimal("4.95")
    settings.FREE_SHIPPING_THRESHOLD = Decimal("50.00")
    settings.TAX_RATE = Decimal("20")


def test_below_the_threshold_the_flat_rate_is_added_and_the_included_tax_shown():
    amounts = amounts_for(Decimal("28.00"))

    assert amounts.subtotal == Decimal("28.00")
    assert amounts.shipping == Decimal("4.95")
    assert amounts.total == Decimal("32.95")
    # Prices include tax: 32.95 * 20 / 120 = 5.4916… → 5.49.
    assert amounts.tax == Decimal("5.49")
    assert amounts.short_of_free_shipping == Decimal("22.00")


def test_shipping_is_free_from_exactly_the_threshold_and_charged_a_cent_below():
    assert amounts_for(Decimal("50.00")).shipping == Decimal("0.00")
    assert amounts_for(Decimal("50.00")).short_of_free_shipping is None
    assert amounts_for(Decimal("49.99")).shipping == Decimal("4.95")
    assert amounts_for(Decimal("49.99")).short_of_free_shipping == Decimal("0.01")


def test_tax_rounds_half_up_to_the_cent():
    # 60.03 * 20 / 120 = 10.005 exactly: half-up gives 10.01, banker's rounding 10.00.
    assert amounts_for(Decimal("60.03")).tax == Decimal("10.01")
    # 60.02 / 6 = 10.00333…, 60.04 / 6 = 10.00666…
    assert amounts_for(Decimal("60.02")).tax == Decimal("10.00")
    assert amounts_for(Decimal("60.04")).tax == Decimal("10.01")


def test_a_threshold_of_zero_means_shipping_is_never_free(settings):
    settings.FREE_SHIPPING_THRESHOLD = Decimal("0")

    amounts = amounts_for(Decimal("500.00"))

    assert amounts.shipping == Decimal("4.95")
    assert amounts.short_of_free_shipping is None


def test_an_empty_cart_costs_nothing():
    amounts = amounts_for(Decimal("0"))

    assert (amounts.shipping, amounts.total, amounts.tax) == (Decimal("0"),) * 3


def test_a_currency_without_minor_units_rounds_to_whole_units(settings):
    settings.CURRENCY = "JPY"
    settings.SHIPPING_FLAT_RATE = Decimal("500")
    settings.FREE_SHIPPING_THRESHOLD = Decimal("5000")

    amounts = amounts_for(Decimal("1234"))

    assert amounts.total == Decimal("1734")
    assert amounts.tax == Decimal("289")  # 1734 / 6 = 289.0


def test_an_order_keeps_its_amounts_when_the_shops_rates_change(settings):
    customer = UserFactory()
    cart = CartFactory(user=customer)
    CartItemFactory(cart=cart, product=ProductFactory(price=Decimal("14.00")), quantity=2)
    order = services.order_place(cart=cart, customer=customer, shipping=SHIPPING)

    settings.SHIPPING_FLAT_RATE = Decimal("9.99")
    settings.FREE_SHIPPING_THRESHOLD = Decimal("10")
    settings.TAX_RATE = Decimal("7.5")
    settings.CURRENCY = "EUR"
    order.refresh_from_db()

    amounts = order.amounts
    assert (amounts.subtotal, amounts.shipping, amounts.total) == (
        Decimal("28.00"),
        Decimal("4.95"),
        Decimal("32.95"),
    )
    assert (amounts.tax, amounts.tax_rate, amounts.currency) == (
        Decimal("5.49"),
        Decimal("20.00"),
        "USD",
    )


def test_cart_checkout_and_order_page_show_the_same_lines(client, settings):
    customer = UserFactory()
    client.force_login(customer)
    cart = CartFactory(user=customer)
    CartItemFactory(cart=cart, product=ProductFactory(price=Decimal("14.00")), quantity=2)
    lines = ["Subtotal", "$28.00", "Shipping", "$4.95", "Total", "$32.95", "incl. VAT 20%", "$5.49"]

    cart_page = client.get(reverse("checkout:cart")).content.decode()
    checkout_page = client.get(reverse("checkout:checkout")).content.decode()
    response = client.post(reverse("checkout:checkout"), SHIPPING, follow=True)
    settings.SHIPPING_FLAT_RATE = Decimal("1.00")  # the order page shows what was stored
    order_page = client.get(response.redirect_chain[-1][0]).content.decode()

    for page in (cart_page, checkout_page, order_page):
        summary = page.split('<dl class="amounts')[1].split("</dl>")[0]
        positions = [summary.index(text) for text in lines]
        assert positions == sorted(positions)
