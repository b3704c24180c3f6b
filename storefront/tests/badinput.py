"""The shared case helper of every app's bad-input tests (`<app>/tests/test_bad_input.py`).

Bad input, everywhere: every form and endpoint of the shop answers malformed, hostile or
foreign input with the right status and a clear message, and changes nothing. Each app lists
its own cases; this module holds what they share:

- `shop`, a fixture (loaded for the whole suite by the root conftest.py): a small shop with two
  customers (Ada, signed in, and Grace) with a cart line and a placed order each, two products,
  a blog post and a draft;
- `Case`, one request, made with `p(...)` (sent by Ada) or `v(...)` (sent by a visitor);
- the checks: `check_answer` (the status, the message where a person would see one, following
  a redirect to the page that shows it, and every row of every table exactly as it was),
  `check_wrong_method` and `check_csrf`.

A crash cannot hide: the test client raises whatever a view raises.
"""

from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.sessions.base_session import AbstractBaseSession
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts.tests.factories import UserFactory
from blog.tests.factories import PostFactory
from catalog.tests.factories import ProductFactory
from checkout.tests.factories import CartFactory, CartItemFactory, OrderFactory

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
    """Every row of every table, but sessions (a visit may start or refresh one) and rate
    counters (every sign-in attempt and availability check counts, bad input included)."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models()
        if not issubclass(model, AbstractBaseSession)
        and model._meta.label != "ratelimits.RateCounter"
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


def check_answer(client: Client, shop: Shop, case: Case) -> None:
    """Send the case; its answer says what it must, and no row of any table changed."""
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


def wrong_methods(*, posts=(), gets=(), writes=()) -> list:
    """Cases of a method a view does not take: POST to pages, GET to actions, and PUT, PATCH
    and DELETE to forms (url specs as `Shop.resolve` takes them)."""
    return [
        *[pytest.param("post", url, id=f"post-{url[0]}") for url in posts],
        *[pytest.param("get", url, id=f"get-{url[0]}") for url in gets],
        *[
            pytest.param(method, url, id=f"{method}-{url[0]}")
            for url in writes
            for method in ["put", "patch", "delete"]
        ],
    ]


def check_wrong_method(client: Client, shop: Shop, method: str, url) -> None:
    """A method the view does not take: 405, the methods it does take, and nothing runs."""
    client.force_login(shop.ada)
    before = database_rows()

    response = getattr(client, method)(shop.resolve(url))

    assert response.status_code == 405
    assert method.upper() not in response["Allow"]
    assert "That address is not a page" in response.content.decode()
    assert database_rows() == before


SECRET = "s" * 32  # a CSRF secret, as the cookie holds it; a form may send it back as it is


def check_csrf(shop: Shop, case: Case) -> None:
    """A post without the CSRF token is refused and changes nothing; the same post with the
    token goes through (so the token, not something else, is what refused it)."""
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
