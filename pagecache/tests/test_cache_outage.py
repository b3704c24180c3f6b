"""The cache is an optimisation: with Redis unreachable, every page and action still works.

These tests point the shop at a real Redis of their own (storefront/tests/cache_fixtures.py),
stopped and started for real: nothing stands in for the failure.
"""

import contextlib
import logging
import socket
import threading

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from blog.tests.factories import PostFactory
from catalog.tests.factories import ProductFactory
from checkout.models import CartItem
from pagecache.tests.cache_fixtures import point_cache_at

pytestmark = pytest.mark.django_db

CACHE_LOGGER = "pagecache.backends"


@pytest.fixture
def shop():
    product = ProductFactory(name="Teapot", slug="teapot", quantity=10)
    post = PostFactory(title="Brewing tea", slug="brewing-tea")
    return {"product": product, "post": post}


def _browse(client: Client, shop) -> dict[str, int]:
    pages = {
        "home": reverse("catalog:product_list"),
        "search": reverse("catalog:product_list") + "?q=tea",
        "product": shop["product"].get_absolute_url(),
        "blog": reverse("blog:post_list"),
        "post": shop["post"].get_absolute_url(),
        "cart": reverse("checkout:cart"),
        "sign-in": reverse("login"),
        "sign-up": reverse("signup"),
    }
    return {name: client.get(url).status_code for name, url in pages.items()}


def _all_answered(statuses: dict[str, int]) -> bool:
    """Every page answered as it does with the cache up: 200, or a redirect when signed in."""
    return all(status in (200, 302) for status in statuses.values())


def _add_to_cart(client: Client, product, quantity: int = 1):
    return client.post(
        reverse("checkout:cart_add", args=[product.pk]), {"quantity": quantity}, follow=False
    )


def test_with_the_cache_down_from_the_start_every_page_answers(cache_outage, client, shop):
    assert _browse(client, shop) == dict.fromkeys(_browse(client, shop), 200)


def test_with_the_cache_down_sign_up_creates_the_user_and_signs_them_in(cache_outage, client):
    response = client.post(
        reverse("signup"),
        {
            "username": "grace",
            "email": "grace@example.com",
            "password1": "a-long-new-password",
            "password2": "a-long-new-password",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="grace")
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.get(reverse("account")).status_code == 200


def test_with_the_cache_down_sign_in_works_and_the_session_holds(cache_outage, client):
    UserFactory(username="ada")

    response = client.post(reverse("login"), {"username": "ada", "password": DEFAULT_PASSWORD})

    assert response.status_code == 302
    account = client.get(reverse("account"))
    assert account.status_code == 200
    assert account.wsgi_request.user.username == "ada"


def test_with_the_cache_down_a_visitors_cart_is_kept_between_requests(cache_outage, client, shop):
    assert _add_to_cart(client, shop["product"]).status_code == 302
    assert _add_to_cart(client, shop["product"], 2).status_code == 302

    assert CartItem.objects.get(product=shop["product"]).quantity == 3
    cart = client.get(reverse("checkout:cart"))
    assert cart.status_code == 200
    assert "Teapot" in cart.content.decode()


def test_losing_the_cache_mid_session_keeps_the_shopper_signed_in_with_their_cart(
    redis_server, client, shop
):
    UserFactory(username="ada")
    client.post(reverse("login"), {"username": "ada", "password": DEFAULT_PASSWORD})
    _add_to_cart(client, shop["product"])
    assert _browse(client, shop)["home"] == 200  # pages cached while Redis was there

    redis_server.stop()

    assert _all_answered(_browse(client, shop))
    assert _add_to_cart(client, shop["product"]).status_code == 302
    assert client.get(reverse("account")).wsgi_request.user.username == "ada"
    assert CartItem.objects.get(product=shop["product"]).quantity == 2

    redis_server.start()  # back, and empty

    assert client.get(reverse("account")).wsgi_request.user.username == "ada"
    assert _all_answered(_browse(client, shop))


def test_signing_out_during_an_outage_stays_signed_out_when_the_cache_returns(redis_server, client):
    """The cache missed the sign-out's delete, and comes back with the old session's copy:
    copies made before an outage are never read after it (pagecache.rows)."""
    UserFactory(username="ada")
    client.post(reverse("login"), {"username": "ada", "password": DEFAULT_PASSWORD})
    old_cookie = client.cookies["sessionid"].value
    redis_server.stop(keep=True)

    client.post(reverse("logout"))
    redis_server.start()

    client.cookies["sessionid"] = old_cookie
    assert not client.get(reverse("catalog:product_list")).wsgi_request.user.is_authenticated


def test_a_flapping_cache_costs_no_error(redis_server, client, shop):
    for _ in range(3):
        redis_server.stop()
        assert _all_answered(_browse(client, shop))
        assert _add_to_cart(client, shop["product"]).status_code == 302
        redis_server.start()
        assert _all_answered(_browse(client, shop))

    assert CartItem.objects.get(product=shop["product"]).quantity == 3


def test_an_outage_is_logged_once_and_its_end_once(redis_server, client, shop, caplog):
    caplog.set_level(logging.INFO, logger=CACHE_LOGGER)
    redis_server.stop()

    for _ in range(5):
        _browse(client, shop)
    redis_server.start()
    for _ in range(3):
        _browse(client, shop)

    records = [r for r in caplog.records if r.name == CACHE_LOGGER]
    assert [r.levelname for r in records] == ["ERROR", "WARNING"]
    assert "unreachable" in records[0].getMessage()
    assert "is back after" in records[1].getMessage()


def test_stock_changed_during_a_network_cut_is_not_hidden_by_the_old_page(
    redis_server, client, shop
):
    """Redis returns with its old contents; the invalidation it missed is made up for."""
    product = shop["product"]
    assert "Teapot" in client.get(reverse("catalog:product_list")).content.decode()
    redis_server.stop(keep=True)

    product.name = "Kettle"
    product.save()  # its invalidation cannot reach Redis
    redis_server.start()

    page = client.get(reverse("catalog:product_list")).content.decode()
    assert "Kettle" in page
    assert "Teapot" not in page


def test_readyz_names_the_cache_and_stays_ready_without_it(redis_server, client):
    assert client.get(reverse("readyz")).json() == {
        "database": "ok",
        "task_queue": "ok",
        "cache": "ok",
        "status": "ok",
    }

    redis_server.stop()
    response = client.get(reverse("readyz"))

    # Every host shares the cache: unready here would be unready everywhere, shop down.
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "task_queue": "ok",
        "cache": "unavailable: pages are served uncached",
        "status": "degraded",
    }


class SilentServer:
    """Accepts connections and never answers: a Redis host that hangs (the worst outage)."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.connections = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        with contextlib.suppress(OSError):
            while True:
                connection, _ = self.socket.accept()
                self.connections.append(connection)

    def close(self):
        self.socket.close()
        for connection in self.connections:
            connection.close()


def test_during_an_outage_requests_skip_the_cache_instead_of_each_waiting_for_it(
    settings, client, shop
):
    """The breaker: after one timed-out call, this process leaves Redis alone for a while."""
    server = SilentServer()
    point_cache_at(settings, f"redis://127.0.0.1:{server.port}/0", retry_after=60)
    try:
        for _ in range(5):
            assert _all_answered(_browse(client, shop))
    finally:
        server.close()

    assert len(server.connections) == 1
