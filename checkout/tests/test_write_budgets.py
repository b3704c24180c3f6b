"""Query budgets of the two writes a shopper makes most: adding to the cart and confirming.

Each query is a round trip to the database; these hold the count so it cannot creep back.
The shopper's session and user come from their copies in the cache (storefront.rowcache),
as on every request but the first.
"""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductFactory
from checkout.models import Order

from .factories import OrderFactory

pytestmark = pytest.mark.django_db(transaction=True)

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def shopper(client):
    user = UserFactory()
    client.force_login(user)
    client.get("/")  # the session's and the user's copies are made
    return user


def test_adding_to_the_cart_again_costs_at_most_eight_queries(
    client, shopper, django_assert_max_num_queries
):
    """BEGIN; the cart, locked; the product under the lock; its line; the line's and the
    cart's updates; COMMIT; the new count for the navbar."""
    mug = ProductFactory(quantity=50)
    url = reverse("checkout:cart_add", args=[mug.pk])
    assert client.post(url, {"quantity": 1}, **HTMX).status_code == 200

    with django_assert_max_num_queries(8):
        response = client.post(url, {"quantity": 1}, **HTMX)

    assert response.status_code == 200
    assert shopper.cart.items.get().quantity == 2


def test_confirming_a_two_line_order_costs_at_most_fourteen_queries(
    client, shopper, django_assert_max_num_queries
):
    """The order, its owner's and locked, with its lines; its update; the mail and its
    delivery task; a conditional update per line and one read of the stock left; COMMIT;
    the lines for the answer."""
    order = OrderFactory(
        customer=shopper, lines={ProductFactory(quantity=5): 1, ProductFactory(quantity=5): 2}
    )

    with django_assert_max_num_queries(14):
        response = client.post(reverse("checkout:order_confirm", args=[order.pk]), **HTMX)

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.CONFIRMED
    assert sorted(line.product.quantity for line in order.lines.all()) == [3, 4]
