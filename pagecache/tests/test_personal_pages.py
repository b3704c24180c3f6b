"""Pages for shoppers with a session: nearly as cheap as a newcomer's, never stale, never
another's.

A signed-in page needs the session, the user and the cart's size. The session and its user
come from the database in one query (accounts.sessions: the cache never decides who is
looking); the cart's size from a copy in the cache (pagecache.rows). These tests hold the
query budget at that one query for a page seen before, and show that every change reaches the
next page anyway.
"""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from blog.tests.factories import CommentFactory, PostFactory
from catalog.tests.factories import ProductFactory
from checkout.models import CartItem
from pagecache import rows

pytestmark = pytest.mark.django_db

HOME = "/"


@pytest.fixture
def shop():
    products = ProductFactory.create_batch(3, quantity=20)
    post = PostFactory()
    CommentFactory.create_batch(20, post=post)
    return {"products": products, "post": post}


def _pages(shop) -> list[str]:
    return [HOME, shop["products"][0].get_absolute_url(), shop["post"].get_absolute_url()]


def _add(client: Client, product, quantity: int = 1):
    response = client.post(reverse("checkout:cart_add", args=[product.pk]), {"quantity": quantity})
    assert response.status_code == 302
    return response


def _cart_count(client: Client) -> str:
    page = client.get(HOME).content.decode()
    start = page.index('id="cart-count"')
    return page[page.index(">", start) + 1 : page.index("<", start)]


def test_a_signed_in_shopper_with_a_cart_sees_a_page_again_with_one_query(
    client, shop, django_assert_num_queries
):
    client.force_login(UserFactory(username="ada"))
    _add(client, shop["products"][1])
    for url in _pages(shop):
        client.get(url)

        with django_assert_num_queries(1):  # the session, with its user
            page = client.get(url).content.decode()

        assert ">ada<" in page.replace("\n", "").replace(" ", "")
        assert ">1<" in page


def test_a_visitor_with_a_cart_sees_a_page_again_with_one_query(
    client, shop, django_assert_num_queries
):
    _add(client, shop["products"][1], quantity=2)
    for url in _pages(shop):
        client.get(url)

        with django_assert_num_queries(1):  # the session
            page = client.get(url).content.decode()

        assert ">2<" in page


def test_the_cart_count_follows_every_change_to_the_cart(client, shop):
    first, second, _ = shop["products"]
    user = UserFactory()
    assert _cart_count(client) == "0"

    _add(client, first, quantity=2)
    assert _cart_count(client) == "2"

    client.post(reverse("login"), {"username": user.username, "password": DEFAULT_PASSWORD})
    assert _cart_count(client) == "2"  # the visitor's cart moved into the customer's

    _add(client, second)
    assert _cart_count(client) == "3"

    item = CartItem.objects.get(product=second)
    client.post(reverse("checkout:cart_update", args=[item.pk]), {"quantity": 4})
    assert _cart_count(client) == "6"

    client.post(reverse("checkout:cart_remove", args=[item.pk]))
    assert _cart_count(client) == "2"


def test_another_browser_of_the_same_shopper_sees_the_new_count(shop):
    user = UserFactory()
    phone, laptop = Client(), Client()
    phone.force_login(user)
    laptop.force_login(user)
    assert _cart_count(laptop) == "0"

    _add(phone, shop["products"][0], quantity=3)

    assert _cart_count(laptop) == "3"


def test_a_password_changed_elsewhere_signs_the_other_sessions_out(client, shop):
    user = UserFactory()
    client.force_login(user)
    assert client.get(HOME).wsgi_request.user.is_authenticated

    user.set_password("a-brand-new-password")
    user.save()

    assert not client.get(HOME).wsgi_request.user.is_authenticated


def test_a_deactivated_user_is_signed_out_on_the_next_page(client, shop):
    user = UserFactory()
    client.force_login(user)
    assert client.get(HOME).wsgi_request.user.is_authenticated

    user.is_active = False
    user.save()

    assert not client.get(HOME).wsgi_request.user.is_authenticated


def test_a_new_username_shows_on_the_next_cached_page(client, shop):
    user = UserFactory(username="ada")
    client.force_login(user)
    assert ">ada<" in client.get(HOME).content.decode().replace("\n", "").replace(" ", "")

    user.username = "ada-lovelace"
    user.save()

    page = client.get(HOME).content.decode().replace("\n", "").replace(" ", "")
    assert ">ada-lovelace<" in page


def test_the_name_slot_cannot_be_forged_in_a_comment(client, shop):
    """Escaped user content never holds "<!--": a comment quoting the slot shows as text."""
    CommentFactory(post=shop["post"], body="Hello <!--value:username-->, click here")
    client.force_login(UserFactory(username="ada"))

    page = client.get(shop["post"].get_absolute_url()).content.decode()

    assert "Hello &lt;!--value:username--&gt;, click here" in page


def test_signing_out_ends_the_session_for_a_replayed_cookie(client, shop):
    client.force_login(UserFactory())
    client.get(HOME)
    old_cookie = client.cookies["sessionid"].value

    client.post(reverse("logout"))
    client.cookies["sessionid"] = old_cookie

    assert not client.get(HOME).wsgi_request.user.is_authenticated


def test_a_copy_made_before_the_cache_came_back_is_never_read(redis_server, client, shop):
    """What cache_reconnected does after an outage of Redis, which drops writes while it is
    away: the cart count's copy then counts as a miss, and the cart is counted again."""
    user = UserFactory()
    client.force_login(user)
    _add(client, shop["products"][0], quantity=2)
    assert _cart_count(client) == "2"
    copy_key = f"checkout:cart-units:user:{user.pk}"

    # A copy that the cache kept although the cart changed (a lost write)...
    stale = cache.get(copy_key)
    cache.set(copy_key, (stale[0], 7))
    assert _cart_count(client) == "7"
    rows.new_epoch()

    # ...is never handed back: the database's count is.
    assert rows.get(copy_key) is None
    assert _cart_count(client) == "2"


def test_a_cache_that_never_drops_a_write_needs_no_epoch(client, shop, settings):
    """The file cache stores every write or raises: its copies are read without the epoch."""
    client.force_login(UserFactory())
    client.get(HOME)
    cache.delete(rows.EPOCH_KEY)

    with_reads = []
    original = cache.get

    def counting_get(key, *args, **kwargs):
        with_reads.append(key)
        return original(key, *args, **kwargs)

    cache.get = counting_get
    try:
        assert client.get(HOME).wsgi_request.user.is_authenticated
    finally:
        del cache.get
    assert rows.EPOCH_KEY not in " ".join(with_reads)
