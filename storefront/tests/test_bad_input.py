"""Bad input, everywhere: every form and endpoint of the shop answers malformed, hostile or
foreign input with the right status and a clear message, and changes nothing.

Each row of the tables below is one request, sent to a small shop: two customers (Ada, signed
in, and Grace) with a cart line and a placed order each, two products, a blog post. The test
checks the answer (its status, and the message where a person would see one, following a
redirect to the page that shows it) and that every row of every table is exactly as it was.
A crash cannot hide: the test client raises whatever a view raises.
"""

from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts.tests.factories import UserFactory
from blog.tests.factories import PostFactory
from catalog.tests.factories import ProductFactory
from checkout.tests.factories import CartFactory, CartItemFactory, OrderFactory
from storefront.models import OutboundEmail

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
NOT_FOUND = "We could not find that page"
REQUIRED = "This field is required."
NUL_REFUSED = "Null characters are not allowed."
BAD_USERNAME = "Enter a valid username."

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE_BREAKOUT = '"><img src=x onerror=alert(1)>'
SQL = "' OR 1=1 --"
RTL_AND_EMOJI = "\u202eevil\u202c 🦆🛒"
# Lone surrogates cannot even be encoded as UTF-8: what arrives is the broken byte sequence
# %ED%A0%80, which Django decodes to replacement characters.
LONE_SURROGATE = "%ED%A0%80"
OFF_SITE = ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)"]
HUGE_ID = "9" * 30


@dataclass
class Shop:
    mug: object
    kettle: object
    ada: object
    grace: object
    ada_line: object
    grace_line: object
    ada_order: object
    grace_order: object
    post: object
    draft: object

    def resolve(self, spec: tuple | str) -> str:
        """A URL from ("url-name", arg, ...), where "@object.attribute" args come from this
        shop ("@mug.pk"); or a path given as it is, for what `reverse()` would quote."""
        if isinstance(spec, str):
            return spec
        name, *args = spec
        values = []
        for arg in args:
            if isinstance(arg, str) and arg.startswith("@"):
                name_, attribute = arg[1:].split(".")
                arg = getattr(getattr(self, name_), attribute)
            values.append(arg)
        return reverse(name, args=values)


@pytest.fixture
def shop(client) -> Shop:
    mug = ProductFactory(name="Enamel mug", slug="enamel-mug", quantity=10, price=Decimal("12"))
    kettle = ProductFactory(name="Stovetop kettle", slug="stovetop-kettle", quantity=0)
    ada = UserFactory(username="ada", email="ada@example.com")
    grace = UserFactory(username="grace", email="grace@example.com")
    ada_line = CartItemFactory(cart=CartFactory(user=ada), product=mug, quantity=1)
    grace_line = CartItemFactory(cart=CartFactory(user=grace), product=mug, quantity=2)
    shop = Shop(
        mug=mug,
        kettle=kettle,
        ada=ada,
        grace=grace,
        ada_line=ada_line,
        grace_line=grace_line,
        ada_order=OrderFactory(customer=ada, lines={mug: 1}),
        grace_order=OrderFactory(customer=grace, lines={mug: 2}),
        post=PostFactory(title="Seasoning cast iron", slug="seasoning-cast-iron"),
        draft=PostFactory(title="Not yet", slug="not-yet", draft=True),
    )
    return shop


def database_rows() -> dict[str, list[dict]]:
    """Every row of every table, but sessions (a visit may start or refresh one)."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models()
        if model is not Session
    }


@dataclass(frozen=True)
class Case:
    method: str
    url: tuple | str
    data: dict | str | None = None
    status: int = 200
    # Text a person sees: in the answer, or on the page a redirect leads to.
    says: str = ""
    # Hostile text that must come back escaped, never as markup.
    escaped: str = ""
    # Text that must appear nowhere in the answer (an off-site `next`).
    absent: str = ""
    redirect: tuple | None = None
    signed_in: bool = True
    htmx: bool = False
    query: str = ""
    extra: dict = field(default_factory=dict)


def send(client: Client, shop: Shop, case: Case):
    url = shop.resolve(case.url) + (f"?{case.query}" if case.query else "")
    headers = {**(HTMX if case.htmx else {}), **case.extra}
    if isinstance(case.data, str):  # a body sent as is: bytes no test client would encode
        return client.generic(
            case.method.upper(),
            url,
            case.data.encode(),
            content_type="application/x-www-form-urlencoded",
            **headers,
        )
    return getattr(client, case.method)(url, case.data, **headers)


def p(id: str, *args, **kwargs):
    """A case, sent by Ada, signed in."""
    return pytest.param(Case(*args, **kwargs), id=id)


def v(id: str, *args, **kwargs):
    """A case sent by a visitor, not signed in."""
    return pytest.param(Case(*args, signed_in=False, **kwargs), id=id)


CATALOG = [
    p("search-empty", "get", ("catalog:product_list",), query="q=", says="2 products"),
    p("search-blank", "get", ("catalog:product_list",), query="q=%20%20%20", says="2 products"),
    p(
        "search-sql",
        "get",
        ("catalog:product_list",),
        {"q": SQL},
        says="Nothing matches",
        escaped=SQL,
    ),
    p("search-like-wildcard", "get", ("catalog:product_list",), {"q": "%"}, says="Nothing matches"),
    p("search-underscore", "get", ("catalog:product_list",), {"q": "_"}, says="Nothing matches"),
    p(
        "search-script",
        "get",
        ("catalog:product_list",),
        {"q": SCRIPT},
        says="Nothing matches",
        escaped=SCRIPT,
    ),
    p(
        "search-attribute-breakout",
        "get",
        ("catalog:product_list",),
        {"q": ATTRIBUTE_BREAKOUT},
        says="Nothing matches",
        escaped=ATTRIBUTE_BREAKOUT,
    ),
    p("search-nul", "get", ("catalog:product_list",), query="q=%00", says="2 products"),
    p(
        "search-nul-in-a-word",
        "get",
        ("catalog:product_list",),
        query="q=mu%00g",
        says="1 result for “mug”",
    ),
    p(
        "search-rtl-emoji",
        "get",
        ("catalog:product_list",),
        {"q": RTL_AND_EMOJI},
        says=f"Nothing matches “{RTL_AND_EMOJI}”",
    ),
    p(
        "search-lone-surrogate",
        "get",
        ("catalog:product_list",),
        query=f"q={LONE_SURROGATE}",
        says="Nothing matches “\ufffd",
    ),
    p(
        "search-oversized",
        "get",
        ("catalog:product_list",),
        {"q": "mug " + "x" * 20_000},
        says="Nothing matches",
    ),
    p("page-not-a-number", "get", ("catalog:product_list",), query="page=abc", says="2 products"),
    p("page-negative", "get", ("catalog:product_list",), query="page=-1", says="2 products"),
    p("page-huge", "get", ("catalog:product_list",), query=f"page={HUGE_ID}", says="2 products"),
    p(
        "product-unknown",
        "get",
        ("catalog:product_detail", "no-such-thing"),
        status=404,
        says=NOT_FOUND,
    ),
    p("product-lone-surrogate", "get", f"/products/{LONE_SURROGATE}/", status=404, says=NOT_FOUND),
    p(
        "stock-not-numbers",
        "get",
        ("catalog:stock_poll",),
        {"ids": "1,two"},
        status=400,
        says="ids must be product ids separated by commas.",
    ),
    p(
        "stock-script",
        "get",
        ("catalog:stock_poll",),
        {"ids": SCRIPT},
        status=400,
        says="ids must be product ids",
        absent="<script",
    ),
    p(
        "stock-nul",
        "get",
        ("catalog:stock_poll",),
        query="ids=1%00",
        status=400,
        says="ids must be product ids",
    ),
    p(
        "stock-huge-id",
        "get",
        ("catalog:stock_poll",),
        {"ids": HUGE_ID},
        status=400,
        says="ids must be product ids",
    ),
    p(
        "stock-negative-id",
        "get",
        ("catalog:stock_poll",),
        {"ids": "-1"},
        status=400,
        says="ids must be product ids",
    ),
    p(
        "stock-too-many",
        "get",
        ("catalog:stock_poll",),
        {"ids": ",".join(str(n) for n in range(1, 102))},
        status=400,
        says="Ask for at most 100 products.",
    ),
]

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
        "confirm-someone-elses",
        "post",
        ("checkout:order_confirm", "@grace_order.pk"),
        status=404,
        says=NOT_FOUND,
    ),
    p(
        "confirm-someone-elses-htmx",
        "post",
        ("checkout:order_confirm", "@grace_order.pk"),
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

ACCOUNTS = [
    # Sign-up.
    v("signup-empty", "post", ("signup",), {}, status=422, says=REQUIRED),
    v(
        "signup-username-oversized",
        "post",
        ("signup",),
        {"username": "a" * 151},
        status=422,
        says="Ensure this value has at most 150 characters (it has 151).",
    ),
    v(
        "signup-username-rtl-emoji",
        "post",
        ("signup",),
        {"username": RTL_AND_EMOJI},
        status=422,
        says=BAD_USERNAME,
    ),
    v(
        "signup-username-nul",
        "post",
        ("signup",),
        {"username": "ada\x00"},
        status=422,
        says=NUL_REFUSED,
    ),
    v(
        "signup-username-lone-surrogate",
        "post",
        ("signup",),
        f"username=ada{LONE_SURROGATE}",
        status=422,
        says=BAD_USERNAME,
    ),
    v(
        "signup-username-script",
        "post",
        ("signup",),
        {"username": SCRIPT},
        status=422,
        says=BAD_USERNAME,
        escaped=SCRIPT,
    ),
    v(
        "signup-username-attribute-breakout",
        "post",
        ("signup",),
        {"username": ATTRIBUTE_BREAKOUT},
        status=422,
        says=BAD_USERNAME,
        escaped=ATTRIBUTE_BREAKOUT,
    ),
    v("signup-username-sql", "post", ("signup",), {"username": SQL}, status=422, says=BAD_USERNAME),
    v(
        "signup-username-taken",
        "post",
        ("signup",),
        {
            "username": "ADA",
            "email": "new@example.com",
            "password1": "plum-orchard-1848",
            "password2": "plum-orchard-1848",
        },
        status=422,
        says="A user with that username already exists.",
    ),
    v(
        "signup-email-invalid",
        "post",
        ("signup",),
        {"email": "ada@"},
        status=422,
        says="Enter a valid email address.",
    ),
    v(
        "signup-email-oversized",
        "post",
        ("signup",),
        {"email": "a" * 250 + "@example.com"},
        status=422,
        says="Ensure this value has at most 254 characters",
    ),
    v(
        "signup-email-nul",
        "post",
        ("signup",),
        {"email": "ada\x00@example.com"},
        status=422,
        says=NUL_REFUSED,
    ),
    v("signup-htmx-empty", "post", ("signup",), {}, status=422, htmx=True, says=REQUIRED),
    *[
        v(
            f"signup-off-site-next-{n}",
            "post",
            ("signup",),
            {"next": url},
            status=422,
            says=REQUIRED,
            absent=url,
        )
        for n, url in enumerate(OFF_SITE)
    ],
    *[
        v(
            f"signup-page-off-site-next-{n}",
            "get",
            ("signup",),
            {"next": url},
            says="Create your account",
            absent=url,
        )
        for n, url in enumerate(OFF_SITE)
    ],
    p(
        "signup-check-unknown-field",
        "post",
        ("signup_check", "is_staff"),
        {"is_staff": "on"},
        status=404,
        says=NOT_FOUND,
    ),
    p(
        "signup-check-password",
        "post",
        ("signup_check", "password1"),
        {"password1": "x"},
        status=404,
        says=NOT_FOUND,
    ),
    p(
        "signup-check-nul",
        "post",
        ("signup_check", "username"),
        {"username": "\x00"},
        says=NUL_REFUSED,
    ),
    p(
        "signup-check-script",
        "post",
        ("signup_check", "username"),
        {"username": SCRIPT},
        says=BAD_USERNAME,
        escaped=SCRIPT,
    ),
    # Sign-in (as a visitor: that is who signs in).
    v("login-empty", "post", ("login",), {}, says=REQUIRED),
    v("login-nul", "post", ("login",), {"username": "ada\x00", "password": "x"}, says=NUL_REFUSED),
    v(
        "login-nul-password",
        "post",
        ("login",),
        {"username": "ada", "password": "\x00"},
        says=NUL_REFUSED,
    ),
    v(
        "login-username-oversized",
        "post",
        ("login",),
        {"username": "a" * 5000, "password": "x"},
        says="Please enter a correct username and password.",
    ),
    v(
        "login-sql",
        "post",
        ("login",),
        {"username": SQL, "password": SQL},
        says="Please enter a correct username and password.",
    ),
    v(
        "login-script",
        "post",
        ("login",),
        {"username": SCRIPT, "password": "x"},
        says="Please enter a correct username and password.",
        escaped=SCRIPT,
    ),
    v(
        "login-lone-surrogate",
        "post",
        ("login",),
        f"username={LONE_SURROGATE}&password=x",
        says="Please enter a correct username and password.",
    ),
    *[
        v(
            f"login-off-site-next-{n}",
            "post",
            ("login",),
            {"username": "ada", "password": "wrong", "next": url},
            says="Please enter a correct username and password.",
            absent=url,
        )
        for n, url in enumerate(OFF_SITE)
    ],
    *[
        v(
            f"login-page-off-site-next-{n}",
            "get",
            ("login",),
            {"next": url},
            says="Sign in",
            absent=url,
        )
        for n, url in enumerate(OFF_SITE)
    ],
    # The account page.
    p(
        "account-oversized",
        "post",
        ("account_edit",),
        {"display_name": "x" * 151},
        status=422,
        says="Ensure this value has at most 150 characters (it has 151).",
    ),
    p(
        "account-phone-letters",
        "post",
        ("account_edit",),
        {"phone": "call me maybe"},
        status=422,
        says="Enter a phone number: digits, spaces and + ( ) - . / only.",
    ),
    p(
        "account-nul",
        "post",
        ("account_edit",),
        {"city": "Lon\x00don"},
        status=422,
        says=NUL_REFUSED,
    ),
    p(
        "account-half-an-address",
        "post",
        ("account_edit",),
        {"city": "London"},
        status=422,
        says="Needed for a shipping address.",
    ),
    p(
        "account-script-kept-escaped",
        "post",
        ("account_edit",),
        {"display_name": SCRIPT, "phone": "call me"},
        status=422,
        says="Enter a phone number",
        escaped=SCRIPT,
    ),
    p(
        "account-htmx-script-kept-escaped",
        "post",
        ("account_edit",),
        {"display_name": ATTRIBUTE_BREAKOUT, "phone": "call me"},
        status=422,
        htmx=True,
        says="Enter a phone number",
        escaped=ATTRIBUTE_BREAKOUT,
    ),
    # Passwords.
    p(
        "password-change-wrong-old",
        "post",
        ("password_change",),
        {
            "old_password": "not-it",
            "new_password1": "plum-orchard-1848",
            "new_password2": "plum-orchard-1848",
        },
        says="Your old password was entered incorrectly.",
    ),
    p(
        "password-change-nul",
        "post",
        ("password_change",),
        {"old_password": "x", "new_password1": "\x00", "new_password2": "\x00"},
        says=NUL_REFUSED,
    ),
    v(
        "password-reset-invalid-email",
        "post",
        ("password_reset",),
        {"email": SCRIPT},
        says="Enter a valid email address.",
        escaped=SCRIPT,
    ),
    v(
        "password-reset-nul",
        "post",
        ("password_reset",),
        {"email": "ada\x00@example.com"},
        says=NUL_REFUSED,
    ),
    v(
        "password-reset-bad-link",
        "get",
        ("password_reset_confirm", "MQ", "not-a-token"),
        says="This link no longer works",
    ),
    v(
        "password-reset-bad-link-post",
        "post",
        ("password_reset_confirm", "MQ", "not-a-token"),
        {"new_password1": "plum-orchard-1848", "new_password2": "plum-orchard-1848"},
        says="This link no longer works",
    ),
    v(
        "password-reset-junk-uid",
        "get",
        "/accounts/password/reset/%00%ff/x/",
        says="This link no longer works",
    ),
]

BLOG = [
    p(
        "comment-empty",
        "post",
        ("blog:comment_create", "@post.slug"),
        {"body": ""},
        status=422,
        says="Please write something before posting.",
    ),
    p(
        "comment-blank",
        "post",
        ("blog:comment_create", "@post.slug"),
        {"body": " \r\n\t "},
        status=422,
        htmx=True,
        says="Please write something before posting.",
    ),
    p(
        "comment-oversized",
        "post",
        ("blog:comment_create", "@post.slug"),
        {"body": "x" * 2001},
        status=422,
        htmx=True,
        says="Please keep comments to 2,000 characters (this one has 2,001).",
    ),
    p(
        "comment-oversized-script-kept-escaped",
        "post",
        ("blog:comment_create", "@post.slug"),
        {"body": SCRIPT * 100},
        status=422,
        htmx=True,
        says="Please keep comments to 2,000",
        escaped=SCRIPT,
    ),
    p(
        "comment-nul",
        "post",
        ("blog:comment_create", "@post.slug"),
        {"body": "Hello\x00"},
        status=422,
        says=NUL_REFUSED,
    ),
    p(
        "comment-unknown-post",
        "post",
        ("blog:comment_create", "no-such-post"),
        {"body": "Hi"},
        status=404,
        says=NOT_FOUND,
    ),
    p(
        "comment-draft",
        "post",
        ("blog:comment_create", "@draft.slug"),
        {"body": "Hi"},
        status=404,
        says=NOT_FOUND,
    ),
    v(
        "comment-as-a-visitor",
        "post",
        ("blog:comment_create", "@post.slug"),
        {"body": "Hi"},
        status=302,
        says="Sign in",
    ),
    p("post-unknown", "get", ("blog:post_detail", "no-such-post"), status=404, says=NOT_FOUND),
    p("post-draft", "get", ("blog:post_detail", "@draft.slug"), status=404, says=NOT_FOUND),
    p(
        "posts-page-not-a-number",
        "get",
        ("blog:post_list",),
        query="page=%00",
        says="Seasoning cast iron",
    ),
]


@pytest.mark.parametrize("case", [*CATALOG, *CHECKOUT, *ACCOUNTS, *BLOG])
def test_bad_input_gets_a_clear_answer_and_changes_nothing(client, shop, case):
    if case.signed_in:
        client.force_login(shop.ada)
    before = database_rows()

    response = send(client, shop, case)

    assert response.status_code == case.status, response.content.decode()[:2000]
    html = response.content.decode()
    if case.redirect:
        assert response["Location"] == shop.resolve(case.redirect)
    if case.status == 302:
        # What the visitor sees is the page the redirect leads to.
        html = client.get(response["Location"]).content.decode()
    if case.says:
        assert escape(case.says) in html
    if case.escaped:
        assert escape(case.escaped) in html
        assert case.escaped not in html
    if case.absent:
        assert case.absent not in html
        assert case.absent not in response.get("Location", "")
    assert database_rows() == before


# Wrong methods: the views say which methods they take, and nothing runs.

WRONG_METHODS = [
    *[
        pytest.param("post", url, id=f"post-{url[0]}")
        for url in [
            ("catalog:product_list",),
            ("catalog:product_detail", "@mug.slug"),
            ("catalog:stock_poll",),
            ("checkout:cart",),
            ("checkout:order_list",),
            ("checkout:order_detail", "@ada_order.pk"),
            ("blog:post_list",),
            ("blog:post_detail", "@post.slug"),
            ("account",),
            ("healthz",),
            ("readyz",),
        ]
    ],
    *[
        pytest.param("get", url, id=f"get-{url[0]}")
        for url in [
            ("checkout:cart_add", "@mug.pk"),
            ("checkout:cart_update", "@ada_line.pk"),
            ("checkout:cart_remove", "@ada_line.pk"),
            ("checkout:order_confirm", "@ada_order.pk"),
            ("checkout:order_cancel", "@ada_order.pk"),
            ("blog:comment_create", "@post.slug"),
            ("signup_check", "username"),
            ("logout",),
        ]
    ],
    *[
        pytest.param(method, url, id=f"{method}-{url[0]}")
        for url in [("signup",), ("account_edit",), ("checkout:checkout",)]
        for method in ["put", "patch", "delete"]
    ],
]


@pytest.mark.parametrize(("method", "url"), WRONG_METHODS)
def test_a_wrong_method_is_refused_with_405_and_changes_nothing(client, shop, method, url):
    client.force_login(shop.ada)
    before = database_rows()

    response = getattr(client, method)(shop.resolve(url))

    assert response.status_code == 405
    assert method.upper() not in response["Allow"]
    assert "That address is not a page" in response.content.decode()
    assert database_rows() == before


def test_an_htmx_request_with_a_wrong_method_gets_an_empty_405(client, shop):
    # htmx does not swap in error answers; the page's script shows a message instead.
    response = client.get(shop.resolve(("checkout:cart_add", "@mug.pk")), **HTMX)

    assert response.status_code == 405
    assert response.content == b""


# Cross-site request forgery: every form refuses a post without the CSRF token, and the same
# post with the token goes through (so the token, not something else, is what refused it).

SECRET = "s" * 32  # a CSRF secret, as the cookie holds it; a form may send it back as it is

CSRF = [
    v(
        "signup",
        "post",
        ("signup",),
        {
            "username": "newcomer",
            "email": "new@example.com",
            "password1": "plum-orchard-1848",
            "password2": "plum-orchard-1848",
        },
    ),
    v("signup-check", "post", ("signup_check", "username"), {"username": "newcomer"}),
    v("login", "post", ("login",), {"username": "ada", "password": "correct-horse-battery-staple"}),
    v("password-reset", "post", ("password_reset",), {"email": "ada@example.com"}),
    v("cart-add-as-a-visitor", "post", ("checkout:cart_add", "@mug.pk"), {"quantity": "1"}),
    p("logout", "post", ("logout",), {}),
    p("account-edit", "post", ("account_edit",), {"display_name": "Countess"}),
    p(
        "password-change",
        "post",
        ("password_change",),
        {
            "old_password": "correct-horse-battery-staple",
            "new_password1": "plum-orchard-1848",
            "new_password2": "plum-orchard-1848",
        },
    ),
    p("cart-add", "post", ("checkout:cart_add", "@mug.pk"), {"quantity": "1"}),
    p("cart-update", "post", ("checkout:cart_update", "@ada_line.pk"), {"quantity": "2"}),
    p("cart-remove", "post", ("checkout:cart_remove", "@ada_line.pk"), {}),
    p(
        "checkout",
        "post",
        ("checkout:checkout",),
        {
            "shipping_name": "Ada",
            "address_line1": "12 Square",
            "city": "London",
            "postal_code": "SW1Y 4JH",
            "country": "GB",
        },
    ),
    p("order-confirm", "post", ("checkout:order_confirm", "@ada_order.pk"), {}),
    p("order-cancel", "post", ("checkout:order_cancel", "@ada_order.pk"), {}),
    p("comment", "post", ("blog:comment_create", "@post.slug"), {"body": "Forged?"}),
]


@pytest.mark.parametrize("case", CSRF)
def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(shop, case):
    client = Client(enforce_csrf_checks=True)
    if case.signed_in:
        client.force_login(shop.ada)
    client.cookies["csrftoken"] = SECRET
    before = database_rows()

    refused = client.post(shop.resolve(case.url), case.data)

    assert refused.status_code == 403
    assert "Your form expired" in refused.content.decode()
    assert database_rows() == before
    accepted = client.post(shop.resolve(case.url), case.data, HTTP_X_CSRFTOKEN=SECRET)
    assert accepted.status_code in (200, 302)


# Requests too big to read at all.


@pytest.mark.parametrize(
    "data",
    [{"body": "x" * 3_000_000}, {f"field{n}": "x" for n in range(1001)}],
    ids=["body-over-2.5-MB", "over-1000-fields"],
)
def test_a_request_too_big_to_read_gets_a_400_page_and_changes_nothing(client, shop, data):
    client.force_login(shop.ada)
    before = database_rows()

    response = client.post(shop.resolve(("blog:comment_create", "@post.slug")), data)

    assert response.status_code == 400
    assert "We could not understand that request" in response.content.decode()
    assert database_rows() == before


# Hostile text that is valid input is kept as typed, and shown as text wherever it appears.


def test_a_comment_full_of_markup_is_kept_as_typed_and_shown_as_text(client, shop, mailoutbox):
    client.force_login(shop.ada)
    body = f"{SCRIPT}\n{ATTRIBUTE_BREAKOUT}\n{RTL_AND_EMOJI}"

    client.post(shop.resolve(("blog:comment_create", "@post.slug")), {"body": body})

    comment = shop.post.comments.get()
    assert comment.body == body
    page = client.get(shop.post.get_absolute_url()).content.decode()
    assert escape(SCRIPT) in page and SCRIPT not in page
    assert escape(ATTRIBUTE_BREAKOUT) in page and ATTRIBUTE_BREAKOUT not in page
    [mail] = OutboundEmail.objects.filter(to=shop.post.author.email)
    assert escape(SCRIPT) in mail.html_body and SCRIPT not in mail.html_body


def test_a_name_full_of_markup_is_kept_as_typed_and_shown_as_text(client, shop):
    client.force_login(shop.ada)
    address = {
        "address_line1": "12 Square",
        "city": "London",
        "postal_code": "SW1",
        "country": "GB",
    }

    client.post(shop.resolve(("account_edit",)), {"display_name": SCRIPT, **address})
    client.post(
        shop.resolve(("checkout:checkout",)), {"shipping_name": ATTRIBUTE_BREAKOUT, **address}
    )

    assert shop.ada.customer.__class__.objects.get(user=shop.ada).display_name == SCRIPT
    account = client.get(shop.resolve(("account",))).content.decode()
    assert escape(SCRIPT) in account and SCRIPT not in account
    order = shop.ada.orders.get(shipping_name=ATTRIBUTE_BREAKOUT)
    page = client.get(order.get_absolute_url()).content.decode()
    assert escape(ATTRIBUTE_BREAKOUT) in page and ATTRIBUTE_BREAKOUT not in page
