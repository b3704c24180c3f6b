"""The shop owner's morning: she signs in to the admin, sees what to do today and how the
last month went, restocks from the dashboard, takes the orders away as CSV and prints the
day's packing slips (Chromium's own print to PDF counts the pages)."""

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Page, expect

from catalog.models import Product
from catalog.tests.factories import ProductFactory
from checkout.models import Order
from checkout.tests.factories import OrderFactory

PASSWORD = "owner-password-2026"


def sign_in_to_the_admin(page: Page) -> None:
    get_user_model().objects.create_superuser("olive", "olive@example.com", PASSWORD)
    page.goto("/admin/")
    page.get_by_label("Username").fill("olive")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Shop management")).to_be_visible()


def confirmed_order(lines: dict, *, hours_ago: float) -> Order:
    at = timezone.now() - timedelta(hours=hours_ago)
    return OrderFactory(lines=lines, status=Order.Status.CONFIRMED, confirmed_at=at)


def pages_in(pdf: bytes) -> int:
    """How many pages a PDF holds: its page objects (`/Type /Page`, not `/Pages`)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_the_owner_signs_in_to_todays_to_do_and_the_last_thirty_days(page: Page):
    skillet = ProductFactory(name="Cast Iron Skillet", price=Decimal("48.00"), quantity=2)
    mug = ProductFactory(name="Enamel Camp Mug", price=Decimal("14.00"), quantity=40)
    older = confirmed_order({mug: 2}, hours_ago=50)
    confirmed_order({skillet: 1}, hours_ago=3)

    sign_in_to_the_admin(page)

    to_ship = page.get_by_role("region", name="Orders to ship: 2")
    expect(to_ship.get_by_role("row").nth(1)).to_contain_text(f"#{older.pk}")  # oldest first
    expect(to_ship.get_by_role("row").nth(1)).to_contain_text("2 days, 2 hours")
    expect(page.get_by_role("img", name="Revenue per day, the last 30 days")).to_be_visible()
    expect(page.get_by_role("img", name="Orders per day, the last 30 days")).to_be_visible()
    page.get_by_text("The same numbers, day by day").click()
    numbers = page.get_by_role("table", name=re.compile("Revenue and orders per day"))
    expect(numbers.get_by_role("row").last).to_contain_text("2")  # two orders in 30 days
    expect(page.get_by_role("link", name="Orders", exact=True)).to_be_visible()  # the models

    page.get_by_label("Units of Cast Iron Skillet to add").fill("10")
    page.get_by_role("button", name="Restock Cast Iron Skillet").click()

    expect(page.get_by_text("Cast Iron Skillet: 10 added, 12 in stock.")).to_be_visible()
    assert Product.objects.get(pk=skillet.pk).quantity == 12
    expect(page.get_by_role("region", name="Running low: 0")).to_contain_text("Nothing")


def test_the_orders_of_some_days_download_as_a_csv_for_a_spreadsheet(page: Page):
    confirmed_order({ProductFactory(price=Decimal("12.50")): 2}, hours_ago=1)
    sign_in_to_the_admin(page)
    today = timezone.localdate().isoformat()

    reports = page.get_by_role("region", name="Orders as CSV")
    reports.get_by_label("From").fill(today)
    reports.get_by_label("To").fill(today)
    with page.expect_download() as download:
        reports.get_by_role("button", name="Download CSV").click()

    assert download.value.suggested_filename == f"orders-{today}-to-{today}.csv"
    body = Path(download.value.path()).read_bytes()
    assert body.startswith(b"\xef\xbb\xbf" + b'"Order","Placed","Status"')
    assert b",2,12.50,25.00," in body


def test_a_three_line_orders_packing_slip_prints_on_one_page(page: Page):
    order = OrderFactory(
        lines={
            ProductFactory(name="Cast Iron Skillet"): 1,
            ProductFactory(name="Enamel Camp Mug"): 4,
            ProductFactory(name="Linen Tea Towel"): 2,
        },
        shipping_name="Ada Lovelace",
        address_line2="Second floor",
    )
    sign_in_to_the_admin(page)

    page.goto(f"/admin/checkout/order/{order.pk}/change/")
    page.get_by_role("link", name="Packing slip").click()

    slip = page.get_by_role("article", name=f"Packing slip · Order #{order.pk}")
    expect(slip).to_contain_text("Ada Lovelace")
    expect(slip.get_by_role("row")).to_have_count(4)  # a header and three lines
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", name="1 packing slip")).to_be_hidden()
    assert pages_in(page.pdf(format="A4")) == 1
    assert pages_in(page.pdf(format="Letter")) == 1


def test_the_slips_of_the_orders_ticked_to_ship_print_each_on_a_page_of_its_own(page: Page):
    products = [ProductFactory() for _ in range(3)]
    orders = [confirmed_order({product: 1}, hours_ago=10 - n) for n, product in enumerate(products)]
    left_out = confirmed_order({products[0]: 1}, hours_ago=1)
    sign_in_to_the_admin(page)

    to_ship = page.get_by_role("region", name="Orders to ship: 4")
    for order in orders:
        to_ship.get_by_label(f"Packing slip for order #{order.pk}").check()
    to_ship.get_by_role("button", name="Packing slips for the ticked orders").click()

    expect(page.get_by_role("heading", name="3 packing slips")).to_be_visible()
    expect(page.get_by_role("article")).to_have_count(3)
    expect(page.get_by_text(f"Order #{left_out.pk}")).to_have_count(0)
    page.emulate_media(media="print")
    assert pages_in(page.pdf(format="A4")) == 3
