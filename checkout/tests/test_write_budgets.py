"""Query budgets of the two writes a shopper makes most: adding to the cart and confirming.

Each query is a round trip to the database; these hold the count exactly, so it cannot creep
back (and a change that lowers it says so here). Each request first reads the shopper's
session with its user (one query: accounts.sessions); the navbar's cart count comes from its
copy in the cache (pagecache.rows), as on every request but the first. On
PostgreSQL each request also pays the connection's health check (CONN_HEALTH_CHECKS), which
runs below Django's query log and so is not counted here.
"""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductFactory
from checkout.models import Order
from outbox.models import OutboundEmail

from .factories import OrderFactory

pytestmark = pytest.mark.django_db(transaction=True)

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def shopper(client):
    user = UserFactory()
    client.force_login(user)
    client.get("/")  # the cart count's copy is made
    return user


def _add(client, product, **headers):
    return client.post(
        reverse("checkout:cart_add", args=[product.pk]), {"quantity": 1, "next": "/"}, **headers
    )


def test_adding_to_the_cart_again_costs_six_queries(client, shopper, django_assert_num_queries):
    """The session; BEGIN; the cart, locked; the cart's line of the product, with the product
    and the cart's units (read under the lock: the navbar's new count, not counted again); the
    line's update; COMMIT. (The cart's updated_at moved less than a minute ago: not again.)"""
    mug = ProductFactory(quantity=50)
    assert _add(client, mug, **HTMX).status_code == 200

    with django_assert_num_queries(6):
        response = _add(client, mug, **HTMX)

    assert response.status_code == 200
    assert shopper.cart.items.get().quantity == 2


def test_adding_a_new_product_to_the_cart_costs_seven_queries(
    client, shopper, django_assert_num_queries
):
    """As adding again, but the cart has no line of the product: the line's read finds
    nothing, the product is read on its own (with the cart's units), and the line is
    INSERTed."""
    assert _add(client, ProductFactory(quantity=50), **HTMX).status_code == 200
    pan = ProductFactory(quantity=50)

    with django_assert_num_queries(7):
        response = _add(client, pan, **HTMX)

    assert response.status_code == 200
    assert shopper.cart.items.count() == 2


def test_a_refused_add_to_the_cart_costs_six_queries_and_changes_nothing(
    client, shopper, django_assert_num_queries
):
    """The session; BEGIN; the cart, locked; the cart's line with the product; ROLLBACK; the product
    again, for the form that says why (the rare path: not worth a contract of its own)."""
    mug = ProductFactory(quantity=1)
    assert _add(client, mug, **HTMX).status_code == 200

    with django_assert_num_queries(6):
        response = _add(client, mug, **HTMX)

    assert response.status_code == 422
    assert shopper.cart.items.get().quantity == 1


@pytest.mark.parametrize("lines", [2, 3])
def test_confirming_an_order_costs_ten_queries_however_many_lines(
    client, shopper, django_assert_num_queries, lines
):
    """The session; BEGIN; the order, its owner's and locked; its lines with their products; its
    update; the mail's delivery task and the mail; the products' stock, locked; one UPDATE
    taking every line's units; COMMIT. The answer is rendered from what was read."""
    products = ProductFactory.create_batch(lines, quantity=5)
    order = OrderFactory(customer=shopper, lines={p: n for n, p in enumerate(products, 1)})

    with django_assert_num_queries(10):
        response = client.post(reverse("checkout:order_confirm", args=[order.pk]), **HTMX)

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.CONFIRMED
    assert sorted(line.product.quantity for line in order.lines.all()) == [
        5 - n for n in range(lines, 0, -1)
    ]
    assert OutboundEmail.objects.filter(key=f"checkout.order.{order.pk}.confirmed").exists()


def test_confirming_twice_costs_five_queries_and_takes_stock_once(
    client, shopper, django_assert_num_queries
):
    """A double click: the session; BEGIN; the order, locked (already confirmed); its lines;
    COMMIT."""
    mug = ProductFactory(quantity=5)
    order = OrderFactory(customer=shopper, lines={mug: 2})
    url = reverse("checkout:order_confirm", args=[order.pk])
    assert client.post(url, **HTMX).status_code == 200

    with django_assert_num_queries(5):
        response = client.post(url, **HTMX)

    assert response.status_code == 200
    mug.refresh_from_db()
    assert mug.quantity == 3
    assert OutboundEmail.objects.count() == 1
