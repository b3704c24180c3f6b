import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from catalog.services import stock_take_lines

from .factories import CategoryFactory, ProductFactory, ProductImageFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.parametrize(
    ("quantity", "text", "colour"),
    [
        (0, "Sold out", "text-bg-secondary"),
        (1, "Only 1 left", "text-bg-warning"),
        (5, "Only 5 left", "text-bg-warning"),  # the threshold itself is low stock
        (6, "6 in stock", "text-bg-success"),
    ],
)
def test_stock_badge_states_around_the_low_stock_threshold(settings, quantity, text, colour):
    settings.LOW_STOCK_THRESHOLD = 5
    product = ProductFactory.build(pk=7, quantity=quantity)

    html = render_to_string("catalog/stock.html#badge", {"product": product})

    assert 'id="stock-7"' in html
    assert f">{text}<" in html
    assert colour in html


def test_home_lists_twelve_products_a_page_with_badges(client):
    ProductFactory.create_batch(13, quantity=9)

    response = client.get(reverse("catalog:product_list"))

    assert response.status_code == 200
    assert response.content.decode().count('class="card h-100 product-card') == 12
    assert response.content.decode().count("9 in stock") == 12
    assert b'aria-label="Page 2"' in response.content


def test_second_page_holds_the_rest(client):
    ProductFactory.create_batch(13)

    response = client.get(reverse("catalog:product_list"), {"page": 2})

    assert list(response.context["page"]) == [response.context["page"].paginator.object_list.last()]


@pytest.mark.parametrize("page", ["abc", "-1", "999", ""])
def test_a_nonsense_page_number_shows_a_real_page_not_an_error(client, page):
    ProductFactory.create_batch(13)

    response = client.get(reverse("catalog:product_list"), {"page": page})

    assert response.status_code == 200
    assert response.context["page"].number in (1, 2)


def test_search_narrows_the_grid(client):
    ProductFactory(name="Enamel Camp Mug")
    ProductFactory(name="Linen Tea Towel")

    response = client.get(reverse("catalog:product_list"), {"q": "mug"})

    assert b"Enamel Camp Mug" in response.content
    assert b"Linen Tea Towel" not in response.content
    assert b"1 result for" in response.content


def test_search_with_no_match_shows_a_friendly_empty_state(client):
    ProductFactory(name="Enamel Camp Mug")

    response = client.get(reverse("catalog:product_list"), {"q": "<script>alert(1)</script>"})

    assert response.status_code == 200
    assert b"No products found" in response.content
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content


def test_an_htmx_search_gets_only_the_grid(client):
    ProductFactory(name="Enamel Camp Mug")

    response = client.get(reverse("catalog:product_list"), {"q": "mug"}, **HTMX)

    html = response.content.decode()
    assert '<section id="product-grid"' in html
    # ...and tells screen readers the new count through the live region outside the grid.
    assert re.search(r'<p id="catalog-status"[^>]*hx-swap-oob="true">\s*1 result for “mug”', html)
    assert "<html" not in html
    assert "Enamel Camp Mug" in html
    assert "HX-Request" in response["Vary"]


def test_a_history_restore_gets_the_whole_page(client):
    response = client.get(
        reverse("catalog:product_list"), HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX
    )

    assert b"<html" in response.content


def test_pagination_links_keep_the_search(client):
    ProductFactory.create_batch(13, name="Mug")

    response = client.get(reverse("catalog:product_list"), {"q": "mug"})

    assert b'href="/?q=mug&amp;page=2"' in response.content


@pytest.mark.parametrize("count", [10, 100])
def test_product_list_runs_the_same_three_queries_whatever_the_catalog_size(
    client, django_assert_num_queries, count
):
    kitchen = CategoryFactory()
    CategoryFactory(parent=kitchen)
    ProductFactory.create_batch(count, category=kitchen, pictured=True)

    # The categories (menu and filter), a COUNT for the paginator, a SELECT for the page:
    # never one per product, nor per picture (their sizes are columns of the product).
    with django_assert_num_queries(3):
        response = client.get(reverse("catalog:product_list"))
    assert response.content.decode().count("<picture") == min(count, 12)


@pytest.mark.parametrize("count", [10, 100])
def test_a_filtered_and_sorted_category_page_runs_four_queries_whatever_its_size(
    client, django_assert_num_queries, count
):
    kitchen = CategoryFactory()
    ProductFactory.create_batch(count, category=CategoryFactory(parent=kitchen), pictured=True)

    # The categories, a COUNT of the matches, a COUNT of the category ("9 of 10"), the page.
    with django_assert_num_queries(4):
        response = client.get(
            kitchen.get_absolute_url(), {"in_stock": "on", "sort": "-price", "max_price": "50"}
        )
    assert f"{count} of {count} products".encode() in response.content


def test_product_detail_shows_the_same_badge_and_description(client):
    product = ProductFactory(quantity=3, description="Line one\nLine two")

    response = client.get(product.get_absolute_url())

    assert response.status_code == 200
    assert f'id="stock-{product.pk}"'.encode() in response.content
    assert b"Only 3 left" in response.content
    assert b"Line one<br>Line two" in response.content


def test_unknown_product_is_a_404(client):
    response = client.get(reverse("catalog:product_detail", kwargs={"slug": "no-such-thing"}))
    assert response.status_code == 404


# The stock poll


def _poll(client, *products, **headers):
    ids = ",".join(str(product.pk) for product in products)
    return client.get(reverse("catalog:stock_poll"), {"ids": ids}, **headers)


def test_the_poll_answers_every_badge_out_of_band(client):
    mug, skillet = ProductFactory(quantity=12), ProductFactory(quantity=2)

    response = _poll(client, mug, skillet)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('hx-swap-oob="true"') == 2
    assert f'id="stock-{mug.pk}"' in html and "12 in stock" in html
    assert f'id="stock-{skillet.pk}"' in html and "Only 2 left" in html
    assert response["ETag"]
    assert "no-cache" in response["Cache-Control"]


def test_an_unchanged_page_gets_a_304_without_a_query(client, django_assert_num_queries):
    mug = ProductFactory(quantity=12)
    etag = _poll(client, mug)["ETag"]

    with django_assert_num_queries(0):
        response = _poll(client, mug, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""


def test_a_stock_change_changes_the_answer(client):
    mug = ProductFactory(quantity=12)
    etag = _poll(client, mug)["ETag"]
    mug.quantity = 4
    mug.save()

    response = _poll(client, mug, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "Only 4 left" in response.content.decode()


def test_the_changed_answer_is_rendered_once_and_shared(client, django_assert_num_queries):
    mug, skillet = ProductFactory(quantity=12), ProductFactory(quantity=2)
    first = _poll(client, mug, skillet, HTTP_IF_NONE_MATCH='"an older page"')

    # Another page showing the same products, also from before the change: no query.
    with django_assert_num_queries(0):
        second = _poll(client, mug, skillet, HTTP_IF_NONE_MATCH='"another older page"')

    assert second.status_code == 200
    assert second.content == first.content and second["ETag"] == first["ETag"]


def test_stock_taken_by_a_confirmation_is_polled_fresh(client):
    """The confirmation's conditional UPDATE sends no post_save; its service moves the
    catalog on, and the poll's shared answer with it."""
    mug = ProductFactory(quantity=12)
    etag = _poll(client, mug)["ETag"]

    stock_take_lines([(mug.pk, 9)])
    response = _poll(client, mug, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert "Only 3 left" in response.content.decode()


@pytest.mark.parametrize("ids", ["abc", "1,two", ",".join(str(n) for n in range(1, 102))])
def test_a_malformed_poll_is_a_400(client, ids):
    response = client.get(reverse("catalog:stock_poll"), {"ids": ids})
    assert response.status_code == 400


def test_pages_with_badges_poll_once_for_all_of_them(client):
    products = ProductFactory.create_batch(3)

    html = client.get(reverse("catalog:product_list")).content.decode()

    assert html.count('hx-get="/stock/') == 1
    assert f"ids={products[0].pk},{products[1].pk},{products[2].pk}" in html
    assert "every 5s, stock-changed from:body" in html


@pytest.mark.parametrize("count", [10, 100])
def test_product_detail_runs_three_queries_whatever_the_catalog_size(
    client, django_assert_num_queries, count
):
    category = CategoryFactory(parent=CategoryFactory())
    ProductFactory.create_batch(count, category=category, pictured=True)
    product = ProductFactory(category=category, pictured=True)
    ProductImageFactory.create_batch(3, product=product)

    # The product with its category and parent, its gallery, the related products.
    with django_assert_num_queries(3):
        response = client.get(product.get_absolute_url())
    assert response.content.decode().count("<picture") == 1 + 3 + 4
