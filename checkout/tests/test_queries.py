"""Query budgets: a page costs the same number of queries whatever it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductFactory

from .factories import CartFactory, CartItemFactory, OrderFactory

pytestmark = pytest.mark.django_db


def queries_for(client, url) -> int:
    """Queries of a page seen a second time: the session, the user and the cart's size are
    then read from their copies in the cache (pagecache.rows), as on a shopper's every
    page but the first."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def customer(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_cart_page_queries_do_not_grow_with_lines(client, customer):
    cart = CartFactory(user=customer)

    def with_lines(count):
        cart.items.all().delete()
        for product in ProductFactory.create_batch(count):
            CartItemFactory(cart=cart, product=product)
        return queries_for(client, reverse("checkout:cart"))

    assert with_lines(10) == with_lines(100)


def test_my_orders_queries_do_not_grow_with_orders(client, customer):
    product = ProductFactory()

    def with_orders(count):
        for _ in range(count):
            OrderFactory(customer=customer, lines={product: 1})
        return queries_for(client, reverse("checkout:order_list"))

    assert with_orders(10) == with_orders(90)  # 10, then 100 in all


def test_order_page_queries_do_not_grow_with_lines(client, customer):
    def with_lines(count):
        order = OrderFactory(
            customer=customer, lines=dict.fromkeys(ProductFactory.create_batch(count), 1)
        )
        return queries_for(client, order.get_absolute_url())

    assert with_lines(10) == with_lines(100)
