"""Query budgets of the two writes a shopper's visit makes most: adding to the cart, and the
payment's webhook that confirms the order.

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
from payments.tests.fixtures import pay_by_card, post_webhook

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


def _paid_by_card(client, order, cards) -> list:
    """The customer pays for `order` on the provider's page; the webhooks that tell the shop
    the money is held (amount_capturable_updated, then checkout.session.completed)."""
    pay_by_card(client, order, cards.sandbox)
    return cards.webhooks(2)


@pytest.mark.parametrize("lines", [2, 3])
def test_the_webhook_that_confirms_a_paid_order_costs_n_queries_however_many_lines(
    client, shopper, cards, django_assert_num_queries, lines
):
    """BEGIN; the order, found through its payment and locked; the payment, locked; the event
    looked for and recorded; the ledger's key looked for and the entry written; the payment's
    update; checkout's move in a savepoint of its own (a refusal rolls back to it): the order,
    its owner's, locked again; its lines with their products; its update; the mail's delivery
    task and the mail; the products' stock, locked; one UPDATE taking every line's units; the
    savepoint released; the order's payments, locked, and the task that captures the money;
    COMMIT. No session: the provider has none."""
    products = ProductFactory.create_batch(lines, quantity=5)
    order = OrderFactory(customer=shopper, lines={p: n for n, p in enumerate(products, 1)})
    authorized, _ = _paid_by_card(client, order, cards)

    with django_assert_num_queries(20):
        response = post_webhook(authorized)

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.CONFIRMED
    assert sorted(line.product.quantity for line in order.lines.all()) == [
        5 - n for n in range(lines, 0, -1)
    ]
    assert OutboundEmail.objects.filter(key=f"checkout.order.{order.pk}.confirmed").exists()


def test_the_second_webhook_of_a_payment_costs_n_queries_and_takes_stock_once(
    client, shopper, cards, django_assert_num_queries
):
    """checkout.session.completed after amount_capturable_updated: BEGIN; the order and the
    payment, locked; the event looked for and recorded; COMMIT. The authorization it tells of
    is made already: nothing else is asked."""
    mug = ProductFactory(quantity=5)
    order = OrderFactory(customer=shopper, lines={mug: 2})
    authorized, completed = _paid_by_card(client, order, cards)
    assert post_webhook(authorized).status_code == 200

    with django_assert_num_queries(6):
        response = post_webhook(completed)

    assert response.status_code == 200
    mug.refresh_from_db()
    assert mug.quantity == 3
    assert OutboundEmail.objects.count() == 1
