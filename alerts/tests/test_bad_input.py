"""Bad input to the alerts app's endpoints: a clear answer, and nothing stored or sent."""

import html

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from alerts import services
from catalog.tests.factories import ProductFactory
from storefront.tests.badinput import database_rows

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
HUGE_ID = "9" * 30
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def shop():
    sold_out = ProductFactory(name="Stovetop kettle", slug="stovetop-kettle", quantity=0)
    in_stock = ProductFactory(name="Enamel mug", slug="enamel-mug", quantity=10)
    grace = UserFactory(username="grace", email="grace@example.com")
    graces = services.subscribe(product=sold_out, email=grace.email, user=grace)[0]
    return {"sold_out": sold_out, "in_stock": in_stock, "graces": graces}


def subscribe(product_id) -> str:
    return f"/alerts/products/{product_id}/subscribe/"


@pytest.mark.parametrize(
    ("email", "status", "says"),
    [
        ("", 422, "Enter your e-mail address."),
        ("   ", 422, "Enter your e-mail address."),
        ("ada", 422, "Enter a valid e-mail address"),
        (SCRIPT, 422, "Enter a valid e-mail address"),
        ("ada@example.com\x00", 422, "Enter a valid e-mail address"),
        ("ada@example.com\r\nBcc: all@example.com", 422, "Enter a valid e-mail address"),
        ("a" * 300 + "@example.com", 422, "too long"),
    ],
)
def test_a_visitors_bad_address_is_refused_with_a_clear_message(client, shop, email, status, says):
    before = database_rows()

    response = client.post(subscribe(shop["sold_out"].pk), {"email": email}, **HTMX)

    assert response.status_code == status
    text = html.unescape(response.content.decode())
    assert says in text
    assert SCRIPT not in response.content.decode()
    assert database_rows() == before


@pytest.mark.parametrize(
    ("signed_in", "url", "data", "status"),
    [
        (False, lambda shop: subscribe(HUGE_ID), {"email": "ada@example.com"}, 404),
        (False, lambda shop: subscribe(shop["in_stock"].pk), {"email": "ada@example.com"}, 409),
        (True, lambda shop: subscribe(shop["in_stock"].pk), {}, 409),
        (False, lambda shop: "/alerts/confirm/not-a-token/", {}, 400),
        (False, lambda shop: "/alerts/confirm/%00/", {}, 400),
        (True, lambda shop: f"/alerts/subscriptions/{shop['graces'].pk}/cancel/", {}, 404),
        (True, lambda shop: f"/alerts/subscriptions/{HUGE_ID}/cancel/", {}, 404),
    ],
    ids=[
        "unknown-product",
        "in-stock-visitor",
        "in-stock-signed-in",
        "garbage-token",
        "nul-token",
        "someone-elses-subscription",
        "huge-subscription-id",
    ],
)
def test_bad_requests_get_a_clear_answer_and_change_nothing(
    client, shop, signed_in, url, data, status
):
    if signed_in:
        client.force_login(UserFactory(username="ada", email="ada@example.com"))
    before = database_rows()

    response = client.post(url(shop), data, **HTMX)

    assert response.status_code == status
    assert database_rows() == before


def test_a_signed_in_shopper_without_an_address_is_told_to_add_one(client, shop):
    client.force_login(UserFactory(email=""))
    before = database_rows()

    response = client.post(subscribe(shop["sold_out"].pk), **HTMX)

    assert response.status_code == 409
    assert "Add an e-mail address to your account first" in response.content.decode()
    assert database_rows() == before


@pytest.mark.parametrize(
    ("method", "name", "args"),
    [
        ("get", "alerts:subscribe", [1]),
        ("get", "alerts:unsubscribe", [1]),
        ("put", "alerts:confirm", ["token"]),
    ],
)
def test_a_wrong_method_is_refused_with_405(client, shop, method, name, args):
    client.force_login(UserFactory())
    before = database_rows()

    assert getattr(client, method)(reverse(name, args=args)).status_code == 405
    assert database_rows() == before
