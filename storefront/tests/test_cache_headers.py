"""Personal pages are never stored by a proxy or a browser; shared pages may be."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from blog.tests.factories import PostFactory
from catalog.tests.factories import ProductFactory
from checkout.tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shopper(client):
    user = UserFactory()
    product = ProductFactory(slug="teapot")
    order = OrderFactory(customer=user, lines={product: 1})
    client.force_login(user)
    client.post(reverse("checkout:cart_add", args=[product.pk]), {"quantity": 1})
    return {"client": client, "order": order, "product": product}


def _directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.mark.parametrize(
    "url",
    [
        lambda s: reverse("account"),
        lambda s: reverse("account_edit"),
        lambda s: reverse("checkout:cart"),
        lambda s: reverse("checkout:checkout"),
        lambda s: reverse("checkout:order_list"),
        lambda s: s["order"].get_absolute_url(),
        lambda s: reverse("password_change"),
        lambda s: reverse("password_change_done"),
    ],
    ids=["account", "edit", "cart", "checkout", "orders", "order", "password", "password-done"],
)
def test_personal_pages_are_private_and_never_stored(shopper, url):
    response = shopper["client"].get(url(shopper))

    assert response.status_code == 200
    assert {"private", "no-store"} <= _directives(response)


def test_answers_to_cart_and_order_changes_are_private_and_never_stored(shopper):
    client = shopper["client"]
    added = client.post(
        reverse("checkout:cart_add", args=[shopper["product"].pk]),
        {"quantity": 1},
        HTTP_HX_REQUEST="true",
    )
    paying = client.post(
        reverse("payments:pay", args=[shopper["order"].pk]), {"method": "bank_transfer"}
    )
    cancelled = client.post(reverse("checkout:order_cancel", args=[shopper["order"].pk]))

    assert {"private", "no-store"} <= _directives(added)
    assert {"private", "no-store"} <= _directives(paying)
    assert {"private", "no-store"} <= _directives(cancelled)


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "member"])
def test_shared_cached_pages_are_not_marked_private(client, signed_in):
    product = ProductFactory()
    post = PostFactory()
    if signed_in:
        client.force_login(UserFactory())

    for url in [
        reverse("catalog:product_list"),
        product.get_absolute_url(),
        reverse("blog:post_list"),
        post.get_absolute_url(),
    ]:
        directives = _directives(client.get(url))
        assert "private" not in directives, url
        assert "no-store" not in directives, url
