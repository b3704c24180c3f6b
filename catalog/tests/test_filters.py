"""Search, sorting and filters on the catalog's pages (catalog/filters.py)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from .factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db

HOME = reverse("catalog:product_list")
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "product-grid"}


def names(response) -> list[str]:
    return [product.name for product in response.context["page"]]


@pytest.fixture
def shelf():
    """Four products with different prices, ages and stock, in two categories."""
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen")
    knives = CategoryFactory(name="Knives", slug="knives", parent=kitchen)
    garden = CategoryFactory(name="Garden", slug="garden")
    return {
        "kettle": ProductFactory(name="Kettle", price=Decimal("68"), quantity=3, category=kitchen),
        "knife": ProductFactory(name="Knife", price=Decimal("120"), quantity=0, category=knives),
        "can": ProductFactory(
            name="Watering Can", price=Decimal("56"), quantity=9, category=garden
        ),
        "mug": ProductFactory(name="Mug", price=Decimal("14"), quantity=40),
    }


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["Kettle", "Knife", "Mug", "Watering Can"]),
        ("price", ["Mug", "Watering Can", "Kettle", "Knife"]),
        ("-price", ["Knife", "Kettle", "Watering Can", "Mug"]),
        ("newest", ["Mug", "Watering Can", "Knife", "Kettle"]),
    ],
)
def test_sorting_orders_the_grid(client, shelf, sort, expected):
    response = client.get(HOME, {"sort": sort}, follow=True)

    assert names(response) == expected


def test_products_of_equal_price_keep_one_order_across_pages(client):
    ProductFactory.create_batch(30, price=Decimal("5"))

    first = client.get(HOME, {"sort": "price"}).context["page"]
    second = client.get(HOME, {"sort": "price", "page": 2}).context["page"]

    assert not {p.pk for p in first} & {p.pk for p in second}


def test_a_top_level_category_filter_takes_in_its_children(client, shelf):
    response = client.get(HOME, {"category": "kitchen"})

    assert names(response) == ["Kettle", "Knife"]
    assert b"2 of 4 products" in response.content


def test_a_child_category_filter_takes_only_its_own(client, shelf):
    assert names(client.get(HOME, {"category": "knives"})) == ["Knife"]


def test_in_stock_only_hides_sold_out_products(client, shelf):
    response = client.get(HOME, {"in_stock": "on"})

    assert "Knife" not in names(response)
    assert b"3 of 4 products" in response.content


def test_a_price_range_includes_both_ends(client, shelf):
    response = client.get(HOME, {"min_price": "14", "max_price": "68"})

    assert names(response) == ["Kettle", "Mug", "Watering Can"]


def test_filters_combine_with_the_search_and_the_sort(client, shelf):
    ProductFactory(name="Travel Mug", price=Decimal("20"), quantity=0)

    response = client.get(HOME, {"q": "mug", "in_stock": "on", "sort": "-price"})

    assert names(response) == ["Mug"]
    assert "1 of 5 products match “mug”" in response.content.decode()


def test_pagination_links_keep_the_filters_and_the_sort(client):
    ProductFactory.create_batch(13, quantity=5)

    response = client.get(HOME, {"in_stock": "on", "sort": "price"})

    assert b'href="/?in_stock=on&amp;sort=price&amp;page=2"' in response.content


def test_an_unfiltered_page_counts_without_a_denominator(client, shelf):
    response = client.get(HOME)

    assert re.search(r"<p [^>]*>\s*4 products\s*</p>", response.content.decode())
    assert b" of 4 products" not in response.content


def test_an_empty_result_offers_to_clear_the_filters_and_keeps_the_search(client, shelf):
    response = client.get(HOME, {"q": "knife", "in_stock": "on"})

    html = response.content.decode()
    assert "No products found" in html
    assert 'href="/?q=knife">Clear filters</a>' in html


def test_an_empty_filter_result_on_a_category_page_clears_to_that_category(client, shelf):
    response = client.get(reverse("catalog:category", args=["knives"]), {"in_stock": "on"})

    assert "No products match these filters." in response.content.decode()
    assert b'href="/c/knives/">Clear filters</a>' in response.content


def test_an_htmx_filter_change_gets_the_grid_with_its_count_for_screen_readers(client, shelf):
    response = client.get(HOME, {"in_stock": "on"}, **HTMX)

    html = response.content.decode()
    assert "<html" not in html
    assert re.search(r'<p id="catalog-status"[^>]*hx-swap-oob="true">\s*3 of 4 products', html)
    assert "HX-Request" in response["Vary"]


def test_the_filter_form_submits_to_the_page_it_is_on(client, shelf):
    home = client.get(HOME).content.decode()
    kitchen = client.get(reverse("catalog:category", args=["kitchen"])).content.decode()

    assert re.search(
        r'<form id="catalog-filters"[^>]* action="/"[^>]* data-hx-push-url="true"', home
    )
    assert 'hx-get="/c/kitchen/"' in kitchen
    # A category page is its own category filter.
    assert 'name="category"' in home
    assert 'name="category"' not in kitchen


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("min_price=abc", "Price from: Enter a number."),
        ("max_price=-5", "Price to: Ensure this value is greater than or equal to 0."),
        ("max_price=1e400", "Price to:"),
        ("min_price=NaN", "Price from: Enter a number."),
        ("min_price=Infinity", "Price from: Enter a number."),
        ("sort=evil", "Sort by: Select a valid choice."),
        ("sort=price;DROP TABLE catalog_product", "Sort by: Select a valid choice."),
        ("category=no-such-shelf", "Category: Select a valid choice."),
    ],
)
def test_a_filter_it_cannot_read_is_left_out_and_named(client, shelf, query, named):
    response = client.get(f"{HOME}?{query}")

    assert response.status_code == 200
    assert named in response.content.decode()
    # Everything else still applies: here, nothing else was asked, so all four are shown.
    assert len(names(response)) == 4


@pytest.mark.parametrize(
    "query",
    [
        "page=-1",
        "page=abc",
        "page=99999999999999999999999",
        "in_stock=evil",
        "min_price=&max_price=",
        "sort=&category=",
        "sort=evil&sort=price",  # the last value counts, as everywhere in Django
        "q=%00&sort=",
    ],
)
def test_odd_but_harmless_input_shows_a_normal_page(client, shelf, query):
    response = client.get(f"{HOME}?{query}", follow=True)

    assert response.status_code == 200
    assert b"could not be read" not in response.content


def test_unreadable_filters_do_not_spoil_the_readable_ones(client, shelf):
    response = client.get(HOME, {"min_price": "abc", "in_stock": "on", "sort": "evil"})

    assert names(response) == ["Kettle", "Mug", "Watering Can"]
    assert b"could not be read" in response.content


def test_each_filtered_page_is_cached_under_its_own_url(client, shelf, django_assert_num_queries):
    client.get(HOME, {"in_stock": "on"})
    with django_assert_num_queries(0):
        cached = client.get(HOME, {"in_stock": "on"})
    fresh = client.get(HOME, {"in_stock": "on", "sort": "-price"})

    assert names(fresh) == ["Kettle", "Watering Can", "Mug"]
    assert b"Knife" not in cached.content


def test_a_stock_change_reaches_cached_filtered_pages(client, shelf):
    client.get(HOME, {"in_stock": "on"})
    shelf["knife"].quantity = 4
    shelf["knife"].save()

    response = client.get(HOME, {"in_stock": "on"})

    assert b"Knife" in response.content


def test_the_form_sent_without_javascript_lands_on_the_address_without_its_empty_fields(client):
    CategoryFactory(slug="kitchen")
    response = client.get("/c/kitchen/?q=mug&sort=&min_price=&max_price=5&in_stock=")

    assert response.status_code == 302
    assert response["Location"] == "/c/kitchen/?q=mug&max_price=5"
    assert client.get("/?q=&sort=")["Location"] == "/"


def test_an_empty_search_alone_is_not_redirected(client):
    assert client.get("/?q=").status_code == 200
