import re

from playwright.sync_api import Page, expect

from catalog.tests.factories import ProductFactory


def test_home_shows_product_cards_with_stock_badges(page: Page):
    ProductFactory(name="Enamel Camp Mug", quantity=42)
    ProductFactory(name="Cast Iron Skillet", quantity=3)
    ProductFactory(name="Beeswax Candle Pair", quantity=0)

    page.goto("/")

    products = page.get_by_role("region", name="Products")
    expect(products.get_by_role("article")).to_have_count(3)
    expect(products.get_by_role("article").filter(has_text="Enamel Camp Mug")).to_contain_text(
        "42 in stock"
    )
    expect(products.get_by_role("article").filter(has_text="Skillet")).to_contain_text(
        "Only 3 left"
    )
    expect(products.get_by_role("article").filter(has_text="Candle")).to_contain_text("Sold out")


def test_typing_a_search_narrows_the_grid_without_reloading_the_page(page: Page):
    ProductFactory(name="Enamel Camp Mug")
    ProductFactory(name="Linen Tea Towel")
    page.goto("/")
    # A full page load would wipe this marker; an HTMX swap keeps it.
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_role("searchbox", name="Search products").fill("mug")

    products = page.get_by_role("region", name="Products")
    expect(products.get_by_role("article")).to_have_count(1)
    expect(products).to_contain_text("Enamel Camp Mug")
    expect(page).to_have_url(re.compile(r"\?q=mug$"))
    assert page.evaluate("window.stillTheSamePage") is True

    page.get_by_role("searchbox", name="Search products").fill("nothing like this")
    expect(products).to_contain_text("No products found")


def test_pagination_moves_between_pages(page: Page):
    ProductFactory.create_batch(14)
    page.goto("/")
    products = page.get_by_role("region", name="Products")
    expect(products.get_by_role("article")).to_have_count(12)

    page.get_by_role("navigation", name="Catalog pages").get_by_role("link", name="Next").click()

    expect(products.get_by_role("article")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"\?page=2$"))
    expect(page.get_by_role("navigation", name="Catalog pages")).to_contain_text("2")


def test_a_card_opens_its_detail_page_with_the_same_badge(page: Page):
    product = ProductFactory(name="Cast Iron Skillet", quantity=3, description="Pre-seasoned.")
    page.goto("/")

    page.get_by_role("link", name="Cast Iron Skillet").click()

    expect(page).to_have_url(re.compile(f"{product.get_absolute_url()}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cast Iron Skillet")
    expect(page.locator(f"#stock-{product.pk}")).to_have_text("Only 3 left")
    expect(page.get_by_text("Pre-seasoned.")).to_be_visible()


def test_a_failed_htmx_request_shows_a_message_instead_of_nothing(page: Page, browser_problems):
    mug = ProductFactory(name="Enamel Camp Mug")
    page.goto("/")
    mug.delete()  # taken off the shop while the page was open: adding it answers 404

    page.get_by_role("button", name="Add to cart: Enamel Camp Mug").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "That is no longer here. Reload the page to see what is."
    )
    # The 404 was the point of this test, not a problem the browser found.
    browser_problems.settle()
    assert [problem for problem in browser_problems if "404" not in problem] == []
    browser_problems.clear()
