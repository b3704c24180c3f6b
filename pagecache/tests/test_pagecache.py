"""Shared page caching: fast for everyone, never stale, never one shopper's page for another."""

import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.template import RequestContext, Template
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from blog.tests.factories import CommentFactory, PostFactory
from catalog.tests.factories import ProductFactory
from checkout import services
from checkout.tests.factories import CartFactory, CartItemFactory, OrderFactory
from pagecache.pages import PAGE_VARIANTS

pytestmark = pytest.mark.django_db

HOME = "/"


def csrf_tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)) | set(
        re.findall(r'"X-CSRFToken": "([^"]+)"', html)
    )


def test_a_cached_page_is_served_again_without_a_query(client, django_assert_num_queries):
    ProductFactory.create_batch(3)
    client.get(HOME)

    with django_assert_num_queries(0):
        response = client.get(HOME)

    assert response.status_code == 200
    assert response.content.decode().count("product-card") == 3


def test_confirming_an_order_shows_the_new_badge_at_once_on_the_page_and_in_the_poll(client):
    mug = ProductFactory(quantity=10)
    poll = reverse("catalog:stock_poll") + f"?ids={mug.pk}"
    assert "10 in stock" in client.get(HOME).content.decode()
    etag = client.get(poll)["ETag"]

    with transaction.atomic():
        services.order_confirm(order=OrderFactory(lines={mug: 3}))

    assert "7 in stock" in client.get(HOME).content.decode()
    assert "7 in stock" in client.get(mug.get_absolute_url()).content.decode()
    answer = client.get(poll, HTTP_IF_NONE_MATCH=etag)
    assert answer.status_code == 200
    assert "7 in stock" in answer.content.decode()


def test_cancelling_and_editing_a_product_refresh_the_cached_pages_too(client):
    mug = ProductFactory(name="Mug", quantity=10)
    order = services.order_confirm(order=OrderFactory(lines={mug: 3}))
    assert "7 in stock" in client.get(HOME).content.decode()

    services.order_cancel(order=order)
    assert "10 in stock" in client.get(HOME).content.decode()

    mug.name = "Enamel Mug"
    mug.save()
    assert "Enamel Mug" in client.get(HOME).content.decode()


def test_two_shoppers_each_get_their_own_token_cart_and_menu_from_one_cached_page():
    ada, grace = UserFactory(username="ada"), UserFactory(username="grace")
    CartItemFactory(cart=CartFactory(user=ada), quantity=3)
    ProductFactory(name="Enamel Camp Mug")
    clients = {}
    for user in (ada, grace):
        clients[user.username] = Client()
        clients[user.username].force_login(user)
    pages = {name: client.get(HOME).content.decode() for name, client in clients.items()}
    visitor = Client().get(HOME).content.decode()

    assert ">ada<" not in pages["grace"].replace(" ", "").replace("\n", "")
    assert "ada" in pages["ada"] and "grace" in pages["grace"]
    assert re.search(r'id="cart-count"[^>]*>3<', pages["ada"])
    assert re.search(r'id="cart-count"[^>]*>0<', pages["grace"])
    assert "Sign in" in visitor and "Sign out" not in visitor
    assert csrf_tokens(pages["ada"]).isdisjoint(csrf_tokens(pages["grace"]))
    for page in (*pages.values(), visitor):
        assert "<!--slot:" not in page
        assert "Enamel Camp Mug" in page


def test_each_shopper_can_post_with_the_token_their_cached_page_gave_them():
    mug = ProductFactory(quantity=5)
    for user in (UserFactory(), UserFactory()):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        tokens = csrf_tokens(client.get(HOME).content.decode())
        assert tokens and not any("slot" in token for token in tokens)
        for token in tokens:  # forms, hx-headers and the sign-out form: each one works
            response = client.post(
                reverse("checkout:cart_add", args=[mug.pk]),
                {"quantity": 1, "csrfmiddlewaretoken": token},
            )
            assert response.status_code == 302


def test_while_a_page_renders_for_the_cache_templates_cannot_see_who_is_looking(rf):
    """A page that printed the shopper's name or e-mail outside a personal part would store
    it for everyone; during the cache pass `user` is a stand-in that renders them empty, and
    the name as a slot that each request fills in with its own."""
    template = Template("{{ user.email }}|{{ user.get_username }}|{{ user.is_authenticated }}")
    request = rf.get(HOME)
    request.user = UserFactory(username="ada", email="ada@example.com")

    assert template.render(RequestContext(request)) == "ada@example.com|ada|True"
    request._page_cache_pass, request._page_cache_nonce = True, "f00d"
    assert template.render(RequestContext(request)) == "|<!--slot:f00d:value:username-->|True"


def test_htmx_and_full_answers_are_stored_apart(client):
    ProductFactory(name="Enamel Camp Mug")

    full = client.get(HOME).content.decode()
    fragment = client.get(HOME, HTTP_HX_REQUEST="true").content.decode()

    assert "<html" in full
    assert "<html" not in fragment and "Enamel Camp Mug" in fragment


def test_a_new_comment_appears_at_once_on_the_cached_post_and_index(client):
    post = PostFactory()
    client.get(post.get_absolute_url())
    client.get(reverse("blog:post_list"))

    CommentFactory(post=post, body="First!")

    assert "First!" in client.get(post.get_absolute_url()).content.decode()
    assert "1 comment" in client.get(reverse("blog:post_list")).content.decode()


def test_errors_are_not_cached(client):
    assert client.get(reverse("catalog:product_detail", args=["nope"])).status_code == 404
    ProductFactory(slug="nope")
    assert client.get(reverse("catalog:product_detail", args=["nope"])).status_code == 200


def _page_copies() -> int:
    """How many page copies the shared cache holds (the test cache is local memory)."""
    return sum(":page:" in key and not key.endswith(":variants") for key in cache._cache)


def test_text_that_looks_like_a_slot_is_shown_as_written_never_filled_in(client):
    """Content is never rewritten: a comment or a search holding the CSRF slot's old literal
    text, or a marker of the form slots take, shows that text to every reader."""
    post = PostFactory()
    CommentFactory(post=post, body="Look: __csrf-token-slot__ and <!--slot:csrf-->")
    client.force_login(UserFactory())

    page = client.get(post.get_absolute_url()).content.decode()
    search = client.get(HOME, {"q": "__csrf-token-slot__"}).content.decode()

    assert "Look: __csrf-token-slot__ and &lt;!--slot:csrf--&gt;" in page
    assert re.search(r"<title>[^<]*__csrf-token-slot__[^<]*</title>", search)
    for token in csrf_tokens(page) | csrf_tokens(search):
        assert token not in page.split("Look:")[1].split("</")[0]
        assert token not in re.search(r"<title>([^<]*)</title>", search)[1]


def test_parameters_a_page_does_not_read_neither_fill_the_cache_nor_bypass_it(
    client, django_assert_num_queries
):
    ProductFactory.create_batch(3)
    client.get(HOME)
    copies = _page_copies()

    for n in range(20):
        with django_assert_num_queries(0):
            assert client.get(HOME, {"utm_source": n, "fbclid": f"x{n}"}).status_code == 200

    assert _page_copies() == copies


def test_the_same_parameters_in_another_order_are_one_copy(client, django_assert_num_queries):
    ProductFactory.create_batch(3)
    client.get(HOME + "?sort=price&in_stock=on")

    with django_assert_num_queries(0):
        page = client.get(HOME + "?in_stock=on&sort=price")

    assert page.status_code == 200


def test_each_page_keeps_a_bounded_number_of_variants(client, settings):
    ProductFactory(name="Enamel Camp Mug")

    for n in range(PAGE_VARIANTS + 30):
        page = client.get(HOME, {"q": f"mug {n}"})
        assert page.status_code == 200

    assert _page_copies() == PAGE_VARIANTS
    # Past the bound a page is still answered, rendered for its request.
    assert "No products found" in client.get(HOME, {"q": "teapot"}).content.decode()


def test_stock_poll_answers_keep_one_copy_per_product_whatever_ids_are_asked_for(client):
    products = ProductFactory.create_batch(3, quantity=10)
    poll = reverse("catalog:stock_poll")
    ids = [str(product.pk) for product in products]

    for n in range(PAGE_VARIANTS + 30):
        answer = client.get(poll, {"ids": ",".join([*ids[n % 2 :], str(10_000 + n)])})
        assert answer.content.decode().count("10 in stock") == 3 - n % 2

    assert sum("stock-badge" in key for key in cache._cache) == 3


def test_in_debug_a_header_says_whether_the_page_cache_served_the_page(client, settings):
    settings.DEBUG = True

    first, again = client.get(HOME), client.get(HOME)

    assert (first["X-Page-Cache"], again["X-Page-Cache"]) == ("miss", "hit")


def test_without_debug_no_header_tells_about_the_page_cache(client):
    client.get(HOME)

    assert "X-Page-Cache" not in client.get(HOME)
