"""Confirmations racing for the same stock, with real transactions and real threads.

Runs on SQLite (writers queue behind BEGIN IMMEDIATE and a busy timeout) and on PostgreSQL
(row locks and conditional updates) in CI.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.tests.factories import UserFactory
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from checkout import services
from checkout.models import Cart, CartItem, Order
from checkout.signals import OrderRefused
from outbox.models import OutboundEmail

from .factories import OrderFactory

CUSTOMERS = 20
IN_STOCK = 10


@pytest.mark.django_db(transaction=True)
def test_twenty_customers_racing_for_ten_units_never_oversell(race):
    product = ProductFactory(quantity=IN_STOCK)
    orders = [OrderFactory(lines={product: 1}) for _ in range(CUSTOMERS)]

    confirmations = race(lambda order: services.order_confirm(order=order), orders)

    assert confirmations.unexpected(OrderRefused) == []
    assert Order.objects.filter(status=Order.Status.CONFIRMED).count() == IN_STOCK
    refused = confirmations.raised
    assert len(refused) == CUSTOMERS - IN_STOCK
    assert Product.objects.get(pk=product.pk).quantity == 0


@pytest.mark.django_db(transaction=True)
def test_multi_line_orders_sharing_products_never_deadlock_or_oversell(race):
    """Every order holds the same three products, so every pair of confirmations competes
    for the same rows: locked in one order (by product id), none waits on another in a
    cycle, and the stock taken is exactly the units confirmed."""
    products = ProductFactory.create_batch(3, quantity=20)
    orders = [
        OrderFactory(lines={product: 1 + (n + i) % 3 for i, product in enumerate(products)})
        for n in range(12)
    ]

    confirmations = race(lambda order: services.order_confirm(order=order), orders)
    unexpected = confirmations.unexpected(OrderRefused)

    assert unexpected == []
    confirmed = Order.objects.filter(status=Order.Status.CONFIRMED)
    assert confirmed.count() >= 1
    for product in products:
        taken = sum(
            line.quantity
            for order in confirmed
            for line in order.lines.all()
            if line.product_id == product.pk
        )
        assert Product.objects.get(pk=product.pk).quantity == 20 - taken >= 0


@pytest.mark.django_db(transaction=True)
def test_a_double_click_racing_itself_confirms_once_with_one_mail(race):
    product = ProductFactory(quantity=10)
    order = OrderFactory(lines={product: 3})

    clicks = race(lambda _: services.order_confirm(order=order.pk), range(4))
    unexpected = clicks.unexpected(OrderRefused)

    assert unexpected == []
    assert Product.objects.get(pk=product.pk).quantity == 7
    assert OutboundEmail.objects.filter(key=f"checkout.order.{order.pk}.confirmed").count() == 1
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_quick_adds_to_one_cart_each_count_every_add_before_them(race):
    """Eight adds racing into one shopper's cart (double clicks, two tabs) queue for the cart's
    lock, and each answers with the count it left: 1 to 8, none blind to an add that held the
    lock before it (on PostgreSQL a locking read keeps the snapshot it began with)."""
    user = UserFactory()
    services.cart_for(user=user, session={}, create=True)
    products = [ProductFactory(quantity=10) for _ in range(4)]

    def add(product):
        item = services.cart_add(user=user, session={}, product_id=product.pk, quantity=1)
        return item.cart_units

    adds = race(add, products * 2)

    assert adds.raised == []
    counts = adds.returned
    assert sorted(counts) == list(range(1, 9))
    assert CartItem.objects.filter(cart__user=user).aggregate(units=Sum("quantity")) == {"units": 8}


FORM_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _browser(cookies) -> Client:
    """A request of a browser that holds `cookies` (a test client's jar), CSRF checked."""
    client = Client(enforce_csrf_checks=True)
    for name, morsel in cookies.items():
        client.cookies[name] = morsel.value
    return client


def _first_adds_at_once(race, page: Client, products) -> list:
    """Add each of `products` at once (with the `race` fixture), with what `page`'s browser got
    from the product page it is on (the CSRF cookie and the form's token) and no session
    cookie; the answers."""
    token = FORM_TOKEN.search(page.get(products[0].get_absolute_url()).content.decode())[1]
    assert settings.SESSION_COOKIE_NAME not in page.cookies  # a newcomer's shared copy

    def add(product):
        return _browser(page.cookies).post(
            reverse("checkout:cart_add", args=[product.pk]),
            {"quantity": 1, "csrfmiddlewaretoken": token},
            HTTP_HX_REQUEST="true",
        )

    adds = race(add, products)
    assert adds.raised == []
    answers = adds.returned
    assert [answer.status_code for answer in answers] == [200] * len(products)
    return answers


def _units_in_cart_kept(page: Client, answer) -> int:
    """The units the cart page shows to `page`'s browser if it kept `answer`'s cookies."""
    cart = _browser(page.cookies | answer.cookies).get(reverse("checkout:cart"))
    return sum(item.quantity for item in cart.context["items"])


@pytest.mark.django_db(transaction=True)
def test_a_newcomers_simultaneous_first_adds_all_land_in_the_cart_the_browser_keeps(race):
    """Eight adds sent at once from a product page, before any answer gave the browser a
    session cookie: each starts a session of its own, and the browser keeps one of their
    cookies. Whichever it keeps, its cart holds all eight units."""
    products = [ProductFactory(quantity=10) for _ in range(4)]
    page = Client(enforce_csrf_checks=True)

    answers = _first_adds_at_once(race, page, products * 2)

    assert [_units_in_cart_kept(page, answer) for answer in answers] == [8] * 8
    assert Cart.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_first_adds_at_once_past_the_cart_of_an_ended_session_share_one_new_cart(race):
    """As above, from a browser whose earlier session (and cart) has ended: the old cart is
    let go of once, by one of the adds, and the others find the new one."""
    products = [ProductFactory(quantity=10) for _ in range(4)]
    page = Client(enforce_csrf_checks=True)
    [first] = _first_adds_at_once(race, page, products[:1])
    ended = Cart.objects.get()
    Cart.objects.filter(pk=ended.pk).update(created_at=timezone.now() - timedelta(hours=1))

    answers = _first_adds_at_once(race, page, products * 2)

    assert [_units_in_cart_kept(page, answer) for answer in answers] == [8] * 8
    assert _units_in_cart_kept(page, first) == 1
    assert Cart.objects.count() == 2
