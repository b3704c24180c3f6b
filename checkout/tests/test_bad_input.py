"""Bad input to the cart, checkout and orders gets a clear answer and changes nothing; the
cases' helper is storefront/tests/badinput.py.
"""

import pytest
from django.utils.html import escape

from storefront.tests.badinput import (
    ATTRIBUTE_BREAKOUT,
    HTMX,
    HUGE_ID,
    NOT_FOUND,
    NUL_REFUSED,
    OFF_SITE,
    REQUIRED,
    SCRIPT,
    check_answer,
    check_csrf,
    check_wrong_method,
    p,
    v,
    wrong_methods,
)

pytestmark = pytest.mark.django_db

CHECKOUT = [
    # Adding to the cart: HTMX gets the form back with the message, a plain post a redirect.
    p(
        "add-empty",
        "post",
        ("checkout:cart_add", "@mug.pk"),
        {"quantity": ""},
        status=422,
        htmx=True,
        says="Enter how many you want.",
    ),
    p(
        "add-not-a-number",
        "post",
        ("checkout:cart_add", "@mug.pk"),
        {"quantity": "two"},
        status=422,
        htmx=True,
        says="Enter a whole number.",
    ),
    p(
        "add-fraction",
        "post",
        ("checkout:cart_add", "@mug.pk"),
        {"quantity": "1.5"},
        status=422,
        htmx=True,
        says="Enter a whole number.",
    ),
    p(
        "add-exponent",
        "post",
        ("checkout:cart_add", "@mug.pk"),
        {"quantity": "1e3"},
        status=422,
        htmx=True,
        says="Enter a whole number.",
    ),
    p(
        "add-nul",
        "post",
        ("checkout:cart_add", "@mug.pk"),
        {"quantity": "1\x00"},
        status=422,
        htmx=True,
        says="Enter a whole number.",
    ),
    p(
        "add-zero",
        "post",
        ("checkout:cart_add", "@mug.pk"),
        {"quantity": "0"},
        status=422,
        htmx=True,
        says="Choose at least 1.",
    ),
    p(
        "add-negative",
        "post",
        ("checkout:cart_add", "@mug.pk"),
        {"quantity": "-3"},
        status=422,
        htmx=True,
        says="Choose at least 1.",
    ),
    p(
        "add-over-the-form-limit",
        "post",
        ("checkout:cart_add", "@mug.pk"),
        {"quantity": "1000"},
        status=422,
        htmx=True,
        says="Choose at most 999.",
    ),
    p(
        "add-huge",
        "post",
        ("checkout:cart_add", "@mug.pk"),
        {"quantity": HUGE_ID},
        status=422,
        htmx=True,
        says="Choose at most 999.",
    ),
    p(
        "add-more-than-in-stock",
        "post",
        ("checkout:cart_add", "@mug.pk"),
        {"quantity": "50"},
        status=422,
        htmx=True,
        says="you can add at most 9.",
    ),
    p(
        "add-sold-out",
        "post",
        ("checkout:cart_add", "@kettle.pk"),
        {"quantity": "1"},
        status=422,
        htmx=True,
        says="Sorry, Stovetop kettle is sold out.",
    ),
    v(
        "add-sold-out-as-a-visitor",
        "post",
        ("checkout:cart_add", "@kettle.pk"),
        {"quantity": "1"},
        status=422,
        htmx=True,
        says="Sorry, Stovetop kettle is sold out.",
    ),
    p(
        "add-plain-not-a-number",
        "post",
        ("checkout:cart_add", "@mug.pk"),
        {"quantity": "two"},
        status=302,
        redirect=("catalog:product_detail", "@mug.slug"),
        says="Enter a whole number.",
    ),
    p(
        "add-unknown-product",
        "post",
        ("checkout:cart_add", 999_999),
        {"quantity": "1"},
        status=404,
        says=NOT_FOUND,
    ),
    p(
        "add-huge-product-id",
        "post",
        ("checkout:cart_add", HUGE_ID),
        {"quantity": "1"},
        status=404,
        says=NOT_FOUND,
    ),
    *[
        p(
            f"add-off-site-next-{n}",
            "post",
            ("checkout:cart_add", "@mug.pk"),
            {"quantity": "0", "next": url},
            status=302,
            redirect=("catalog:product_detail", "@mug.slug"),
            says="Choose at least 1.",
        )
        for n, url in enumerate(OFF_SITE)
    ],
    *[
        p(
            f"add-htmx-off-site-next-{n}",
            "post",
            ("checkout:cart_add", "@mug.pk"),
            {"quantity": "0", "next": url},
            status=422,
            htmx=True,
            says="Choose at least 1.",
            absent="evil.example" if "evil" in url else url,
        )
        for n, url in enumerate(OFF_SITE)
    ],
    # Changing and removing lines.
    p(
        "update-not-a-number",
        "post",
        ("checkout:cart_update", "@ada_line.pk"),
        {"quantity": "lots"},
        status=422,
        htmx=True,
        says="Enter a whole number.",
    ),
    p(
        "update-script",
        "post",
        ("checkout:cart_update", "@ada_line.pk"),
        {"quantity": SCRIPT},
        status=422,
        htmx=True,
        says="Enter a whole number.",
        escaped=SCRIPT,
    ),
    p(
        "update-zero",
        "post",
        ("checkout:cart_update", "@ada_line.pk"),
        {"quantity": "0"},
        status=422,
        htmx=True,
        says="Choose at least 1.",
    ),
    p(
        "update-over-stock",
        "post",
        ("checkout:cart_update", "@ada_line.pk"),
        {"quantity": "11"},
        status=422,
        htmx=True,
        says="you can have at most 10.",
    ),
    p(
        "update-plain-empty",
        "post",
        ("checkout:cart_update", "@ada_line.pk"),
        {"quantity": ""},
        status=302,
        redirect=("checkout:cart",),
        says="Enter how many you want.",
    ),
    p(
        "update-someone-elses-line",
        "post",
        ("checkout:cart_update", "@grace_line.pk"),
        {"quantity": "1"},
        status=404,
        says=NOT_FOUND,
    ),
    p(
        "update-unknown-line",
        "post",
        ("checkout:cart_update", 999_999),
        {"quantity": "1"},
        status=404,
        says=NOT_FOUND,
    ),
    v(
        "update-as-a-visitor",
        "post",
        ("checkout:cart_update", "@ada_line.pk"),
        {"quantity": "1"},
        status=404,
        says=NOT_FOUND,
    ),
    p(
        "remove-someone-elses-line",
        "post",
        ("checkout:cart_remove", "@grace_line.pk"),
        status=404,
        says=NOT_FOUND,
    ),
    p("remove-unknown-line", "post", ("checkout:cart_remove", HUGE_ID), status=404, says=NOT_FOUND),
    # Placing an order.
    p("checkout-empty", "post", ("checkout:checkout",), {}, status=422, says=REQUIRED),
    p(
        "checkout-oversized",
        "post",
        ("checkout:checkout",),
        {
            "shipping_name": "Ada",
            "address_line1": "x" * 201,
            "city": "London",
            "postal_code": "SW1Y 4JH",
            "country": "GB",
        },
        status=422,
        says="Ensure this value has at most 200 characters (it has 201).",
    ),
    p(
        "checkout-nul",
        "post",
        ("checkout:checkout",),
        {
            "shipping_name": "Ada\x00",
            "address_line1": "12 Square",
            "city": "London",
            "postal_code": "SW1Y 4JH",
            "country": "GB",
        },
        status=422,
        says=NUL_REFUSED,
    ),
    p(
        "checkout-script-kept-escaped",
        "post",
        ("checkout:checkout",),
        {
            "shipping_name": SCRIPT,
            "address_line1": ATTRIBUTE_BREAKOUT,
            "city": "",
            "postal_code": "SW1Y 4JH",
            "country": "GB",
        },
        status=422,
        says=REQUIRED,
        escaped=SCRIPT,
    ),
    p(
        "checkout-attribute-breakout-kept-escaped",
        "post",
        ("checkout:checkout",),
        {
            "shipping_name": "Ada",
            "address_line1": ATTRIBUTE_BREAKOUT,
            "city": "",
            "postal_code": "SW1Y 4JH",
            "country": "GB",
        },
        status=422,
        says=REQUIRED,
        escaped=ATTRIBUTE_BREAKOUT,
    ),
    # Orders.
    p(
        "order-someone-elses",
        "get",
        ("checkout:order_detail", "@grace_order.pk"),
        status=404,
        says=NOT_FOUND,
    ),
    p("order-unknown", "get", ("checkout:order_detail", 999_999), status=404, says=NOT_FOUND),
    p("order-huge-id", "get", ("checkout:order_detail", HUGE_ID), status=404, says=NOT_FOUND),
    p(
        "cancel-someone-elses-htmx",
        "post",
        ("checkout:order_cancel", "@grace_order.pk"),
        status=404,
        htmx=True,
    ),
    p(
        "cancel-someone-elses",
        "post",
        ("checkout:order_cancel", "@grace_order.pk"),
        status=404,
        says=NOT_FOUND,
    ),
    p("cancel-unknown", "post", ("checkout:order_cancel", 999_999), status=404, says=NOT_FOUND),
    p(
        "orders-page-not-a-number",
        "get",
        ("checkout:order_list",),
        query="page=abc",
        says="My orders",
    ),
]


@pytest.mark.parametrize("case", CHECKOUT)
def test_bad_input_gets_a_clear_answer_and_changes_nothing(client, shop, case):
    check_answer(client, shop, case)


@pytest.mark.parametrize(
    ("method", "url"),
    wrong_methods(
        posts=[
            ("checkout:cart",),
            ("checkout:order_list",),
            ("checkout:order_detail", "@ada_order.pk"),
        ],
        gets=[
            ("checkout:cart_add", "@mug.pk"),
            ("checkout:cart_update", "@ada_line.pk"),
            ("checkout:cart_remove", "@ada_line.pk"),
            ("checkout:order_cancel", "@ada_order.pk"),
        ],
        writes=[("checkout:checkout",)],
    ),
)
def test_a_wrong_method_is_refused_with_405_and_changes_nothing(client, shop, method, url):
    check_wrong_method(client, shop, method, url)


def test_an_htmx_request_with_a_wrong_method_gets_an_empty_405(client, shop):
    # htmx does not swap in error answers; the page's script shows a message instead.
    response = client.get(shop.resolve(("checkout:cart_add", "@mug.pk")), **HTMX)

    assert response.status_code == 405
    assert response.content == b""


ADDRESS = {
    "shipping_name": "Ada",
    "address_line1": "12 Square",
    "city": "London",
    "postal_code": "SW1Y 4JH",
    "country": "GB",
}


@pytest.mark.parametrize(
    "case",
    [
        v("cart-add-as-a-visitor", "post", ("checkout:cart_add", "@mug.pk"), {"quantity": "1"}),
        p("cart-add", "post", ("checkout:cart_add", "@mug.pk"), {"quantity": "1"}),
        p("cart-update", "post", ("checkout:cart_update", "@ada_line.pk"), {"quantity": "2"}),
        p("cart-remove", "post", ("checkout:cart_remove", "@ada_line.pk"), {}),
        p("checkout", "post", ("checkout:checkout",), ADDRESS),
        p("order-cancel", "post", ("checkout:order_cancel", "@ada_order.pk"), {}),
    ],
)
def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(shop, case):
    check_csrf(shop, case)


def test_a_shipping_name_full_of_markup_is_kept_as_typed_and_shown_as_text(client, shop):
    client.force_login(shop.ada)

    client.post(
        shop.resolve(("checkout:checkout",)), {**ADDRESS, "shipping_name": ATTRIBUTE_BREAKOUT}
    )

    order = shop.ada.orders.get(shipping_name=ATTRIBUTE_BREAKOUT)
    page = client.get(order.get_absolute_url()).content.decode()
    assert escape(ATTRIBUTE_BREAKOUT) in page and ATTRIBUTE_BREAKOUT not in page
