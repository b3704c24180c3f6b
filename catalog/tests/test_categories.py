"""Categories: the menu, a page per category, breadcrumbs, one level of nesting."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse

from catalog.models import Category

from .factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kitchen():
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen", position=1)
    CategoryFactory(name="Knives", slug="knives", parent=kitchen, position=2)
    CategoryFactory(name="Cookware", slug="cookware", parent=kitchen, position=1)
    CategoryFactory(name="Garden", slug="garden", position=2)
    return kitchen


def test_a_category_page_lists_its_products_and_its_childrens(client, kitchen):
    ProductFactory(name="Kettle", category=kitchen)
    ProductFactory(name="Bread Knife", category=Category.objects.get(slug="knives"))
    ProductFactory(name="Watering Can", category=Category.objects.get(slug="garden"))
    ProductFactory(name="Mug")

    response = client.get("/c/kitchen/")

    assert [p.name for p in response.context["page"]] == ["Bread Knife", "Kettle"]
    assert b"<h1" in response.content and b"Kitchen</h1>" in response.content


def test_a_child_category_page_has_breadcrumbs_up_to_the_shop(client, kitchen):
    response = client.get(reverse("catalog:category", args=["knives"]))

    html = response.content.decode()
    assert '<li class="breadcrumb-item"><a href="/">Shop</a></li>' in html
    assert '<li class="breadcrumb-item"><a href="/c/kitchen/">Kitchen</a></li>' in html
    assert '<li class="breadcrumb-item active" aria-current="page">Knives</li>' in html


def test_the_menu_shows_top_level_categories_in_order_and_the_current_ones_children(
    client, kitchen
):
    html = client.get("/c/kitchen/").content.decode()

    menu = html[html.index('aria-label="Categories"') :]
    assert menu.index(">All products<") < menu.index(">Kitchen<") < menu.index(">Garden<")
    # Kitchen's children, by position.
    assert menu.index(">Cookware<") < menu.index(">Knives<")
    assert 'aria-current="page" href="/c/kitchen/"' in menu


def test_the_home_page_marks_all_products_as_current_and_hides_children(client, kitchen):
    html = client.get("/").content.decode()

    assert 'class="nav-link active" aria-current="page" href="/">All products' in html
    assert (
        'href="/c/knives/"' not in html[html.index('aria-label="Categories"') :].split("</nav>")[0]
    )


def test_an_unknown_category_is_a_404(client, kitchen):
    assert client.get("/c/no-such-shelf/").status_code == 404


def test_a_product_page_links_its_category_and_suggests_others_from_it(client, kitchen):
    knives = Category.objects.get(slug="knives")
    knife = ProductFactory(name="Chef's Knife", category=knives)
    ProductFactory(name="Bread Knife", category=knives, quantity=0)
    ProductFactory(name="Kettle", category=kitchen)

    html = client.get(knife.get_absolute_url()).content.decode()

    assert 'in <a href="/c/knives/">Knives</a>' in html
    assert '<a href="/c/kitchen/">Kitchen</a>' in html  # in the breadcrumbs
    related = html[html.index("More from Knives") :]
    assert "Bread Knife" in related and "Sold out" in related
    assert "Kettle" not in related
    # The stock poll keeps every badge on the page live, the suggestions' too.
    bread_knife = knives.products.get(name="Bread Knife")
    assert f"ids={knife.pk},{bread_knife.pk}" in html


def test_a_product_without_a_category_still_has_its_page(client):
    product = ProductFactory(name="Mug")

    response = client.get(product.get_absolute_url())

    assert response.status_code == 200
    assert b"More from" not in response.content


def test_categories_nest_one_level_only(kitchen):
    knives = Category.objects.get(slug="knives")

    with pytest.raises(ValidationError, match="top-level"):
        Category(name="Paring", slug="paring", parent=knives).full_clean()
    with pytest.raises(ValidationError, match="has categories of its own"):
        kitchen.parent = Category.objects.get(slug="garden")
        kitchen.full_clean()


def test_a_category_that_still_has_products_cannot_be_deleted(kitchen):
    ProductFactory(category=kitchen)

    with pytest.raises(ProtectedError):
        kitchen.delete()


def test_a_new_category_appears_in_cached_menus(client, kitchen):
    client.get("/")
    CategoryFactory(name="Pantry", slug="pantry")

    assert b'href="/c/pantry/"' in client.get("/").content


def test_the_menu_tree_is_one_query(kitchen, django_assert_num_queries):
    with django_assert_num_queries(1):
        tree = Category.objects.menu()
        kitchen = next(each for each in tree if each.slug == "kitchen")
        assert [child.name for child in kitchen.subcategories] == ["Cookware", "Knives"]
        assert kitchen.subcategories[0].parent.name == "Kitchen"
