"""Finding things in the catalog, as a shopper does: pictures, categories, sort and filters.

With JavaScript, every change to the filter form swaps the grid in place and keeps the URL in
step; a full page load would wipe the marker set on `window`, so the tests can tell. Without
JavaScript the same form is submitted with its Apply button and the page loads anew.
"""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from catalog.tests.factories import CategoryFactory, ProductFactory


@pytest.fixture
def shelves():
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen")
    knives = CategoryFactory(name="Knives", slug="knives", parent=kitchen)
    garden = CategoryFactory(name="Garden", slug="garden")
    ProductFactory(name="Tea Kettle", price=Decimal("68"), quantity=12, category=kitchen)
    ProductFactory(name="Bread Knife", price=Decimal("58"), quantity=0, category=knives)
    ProductFactory(name="Chef's Knife", price=Decimal("120"), quantity=5, category=knives)
    ProductFactory(name="Watering Can", price=Decimal("56"), quantity=0, category=garden)
    ProductFactory(name="Herb Planter", price=Decimal("27"), quantity=14, category=garden)


def grid_names(page: Page) -> list[str]:
    products = page.get_by_role("region", name="Products")
    return products.get_by_role("heading", level=2).all_inner_texts()


def remember_this_page(page: Page) -> None:
    page.evaluate("window.stillTheSamePage = true")


def assert_still_the_same_page(page: Page) -> None:
    assert page.evaluate("window.stillTheSamePage") is True


def test_every_picture_on_the_home_page_loads(page: Page):
    ProductFactory.create_batch(6, pictured=True)
    page.goto("/")
    pictures = page.get_by_role("region", name="Products").get_by_role("img")
    expect(pictures).to_have_count(6)

    # Lazy pictures load as they come into view.
    for picture in pictures.all():
        picture.scroll_into_view_if_needed()
        expect(picture).to_have_js_property("complete", True)
        assert picture.evaluate("img => img.naturalWidth") > 0
        # The browser chose a rendition from the srcset (AVIF, the first source), not the
        # original upload.
        assert picture.evaluate("img => img.currentSrc").endswith(".avif")


def test_choosing_a_category_narrows_the_grid_in_place(page: Page, shelves):
    page.goto("/")
    remember_this_page(page)

    page.get_by_label("Category").select_option(label="– Knives")

    expect(page).to_have_url(re.compile(r"\?.*category=knives"))
    expect(page.get_by_role("region", name="Products")).to_contain_text("2 of 5 products")
    assert sorted(grid_names(page)) == ["Bread Knife", "Chef's Knife"]
    assert_still_the_same_page(page)


def test_sorting_by_price_orders_the_grid_in_place(page: Page, shelves):
    page.goto("/")
    remember_this_page(page)

    page.get_by_label("Sort by").select_option(label="Price: low to high")

    expect(page).to_have_url(re.compile(r"\?.*sort=price"))
    expect(page.get_by_role("region", name="Products").get_by_role("heading").first).to_have_text(
        "Herb Planter"
    )
    assert grid_names(page) == [
        "Herb Planter",
        "Watering Can",
        "Bread Knife",
        "Tea Kettle",
        "Chef's Knife",
    ]
    page.get_by_label("Sort by").select_option(label="Price: high to low")
    expect(page.get_by_role("region", name="Products").get_by_role("heading").first).to_have_text(
        "Chef's Knife"
    )
    assert_still_the_same_page(page)


def test_in_stock_only_hides_sold_out_products_in_place(page: Page, shelves):
    page.goto("/")
    remember_this_page(page)

    page.get_by_label("In stock only").check()

    products = page.get_by_role("region", name="Products")
    expect(products).to_contain_text("3 of 5 products")
    expect(products).not_to_contain_text("Sold out")
    assert "Bread Knife" not in grid_names(page)
    expect(page).to_have_url(re.compile(r"\?.*in_stock=on"))
    # Back returns to the unfiltered grid: the URL was pushed, not replaced.
    page.go_back()
    expect(products).to_contain_text("5 products")
    expect(page.get_by_label("In stock only")).not_to_be_checked()


def test_filters_combine_with_the_search_and_clear_from_an_empty_result(page: Page, shelves):
    page.goto("/")
    page.get_by_role("searchbox", name="Search products").fill("knife")
    expect(page.get_by_role("region", name="Products").get_by_role("article")).to_have_count(2)

    page.get_by_label("In stock only").check()
    page.get_by_label("to", exact=True).fill("100")
    page.get_by_label("to", exact=True).press("Enter")

    products = page.get_by_role("region", name="Products")
    expect(products).to_contain_text("No products found")
    products.get_by_role("link", name="Clear filters").click()
    expect(page).to_have_url(re.compile(r"/\?q=knife$"))
    expect(products.get_by_role("article")).to_have_count(2)


def test_the_category_menu_leads_to_a_category_page_with_breadcrumbs(page: Page, shelves):
    page.goto("/")

    page.get_by_role("navigation", name="Categories").get_by_role("link", name="Kitchen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kitchen")
    assert sorted(grid_names(page)) == ["Bread Knife", "Chef's Knife", "Tea Kettle"]

    page.get_by_role("navigation", name="Categories").get_by_role("link", name="Knives").click()
    expect(page).to_have_url(re.compile(r"/c/knives/$"))
    breadcrumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(breadcrumbs.get_by_role("link")).to_have_text(["Shop", "Kitchen"])
    breadcrumbs.get_by_role("link", name="Kitchen").click()
    expect(page).to_have_url(re.compile(r"/c/kitchen/$"))


def test_a_product_page_suggests_its_category_and_links_to_the_cart_after_adding(
    page: Page, shelves
):
    page.goto("/c/knives/")
    page.get_by_role("link", name="Chef's Knife").click()

    expect(page.get_by_role("link", name="Knives").first).to_be_visible()
    related = page.get_by_role("region", name="More from Knives")
    expect(related.get_by_role("article")).to_have_count(1)
    expect(related).to_contain_text("Sold out")

    page.get_by_role("button", name=re.compile("Chef's Knife")).click()
    page.get_by_role("link", name="View cart").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("cart")
    expect(page.get_by_role("main")).to_contain_text("Chef's Knife")


class TestWithoutJavaScript:
    @pytest.fixture
    def page(self, new_context, browser_problems) -> Page:
        return browser_problems.watch(new_context(java_script_enabled=False).new_page())

    def test_pictures_load(self, page: Page):
        ProductFactory.create_batch(3, pictured=True)
        page.goto("/")

        for picture in page.get_by_role("region", name="Products").get_by_role("img").all():
            picture.scroll_into_view_if_needed()
            expect(picture).to_have_js_property("complete", True)
            assert picture.evaluate("img => img.naturalWidth") > 0

    def test_a_category_narrows_the_grid(self, page: Page, shelves):
        page.goto("/")
        page.get_by_label("Category").select_option(label="Garden")
        page.get_by_role("button", name="Apply").click()

        expect(page).to_have_url(re.compile(r"\?.*category=garden"))
        assert sorted(grid_names(page)) == ["Herb Planter", "Watering Can"]

    def test_sort_by_price_orders_the_grid(self, page: Page, shelves):
        page.goto("/c/kitchen/")
        page.get_by_label("Sort by").select_option(label="Price: high to low")
        page.get_by_role("button", name="Apply").click()

        assert grid_names(page) == ["Chef's Knife", "Tea Kettle", "Bread Knife"]

    def test_in_stock_only_hides_sold_out_products(self, page: Page, shelves):
        page.goto("/")
        page.get_by_label("In stock only").check()
        page.get_by_role("button", name="Apply").click()

        expect(page.get_by_role("region", name="Products")).to_contain_text("3 of 5 products")
        assert "Watering Can" not in grid_names(page)
