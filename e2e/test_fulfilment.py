"""Life after confirmation, as a shopper and a member of staff live it: waiting for a sold-out
product, staff restocking it in the admin, an order shipped from the admin and the shopper's
page and inbox hearing of it. Real SMTP (aiosmtpd on loopback), the real worker."""

import re
from decimal import Decimal

from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from alerts.models import StockSubscription
from catalog.tests.factories import ProductFactory
from checkout import services
from checkout.models import Order
from checkout.tests.factories import OrderFactory
from outbox.tests.fixtures import run_worker

from .shopper import mails_to, sign_up, verify_address

STAFF_PASSWORD = "staff-password-2026"


def sign_in_to_the_admin(page: Page) -> None:
    get_user_model().objects.create_superuser("boss", "boss@example.com", STAFF_PASSWORD)
    page.goto("/admin/")
    page.get_by_label("Username").fill("boss")
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Shop management")).to_be_visible()


def run_admin_action(page: Page, changelist: str, row_text: str, action: str) -> None:
    """On an admin list, tick the row showing `row_text` and run `action` on it."""
    page.goto(changelist)
    row = page.get_by_role("row").filter(has_text=row_text)
    row.get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option(label=action)
    page.get_by_role("button", name="Run").click()


def test_a_shopper_waits_for_a_sold_out_product_and_is_mailed_once_when_staff_restock_it(
    page: Page, another_page: Page, smtp_server
):
    candles = ProductFactory(
        name="Beeswax Candle Pair", slug="beeswax-candle-pair", price=Decimal("18.00"), quantity=0
    )
    page.goto(candles.get_absolute_url())
    sign_up(page, "ada")  # back on the product page, signed in
    verify_address(page, smtp_server, "ada@example.com")
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_role("button", name="Email me when it's back").click()

    expect(page.get_by_role("status").filter(has_text="we'll e-mail you once")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True  # htmx, not a reload

    sign_in_to_the_admin(another_page)
    run_admin_action(
        another_page, "/admin/catalog/product/", "Beeswax Candle Pair", "Restock selected products…"
    )
    another_page.get_by_label("Units to add").fill("6")
    another_page.get_by_role("button", name="Restock").click()
    expect(another_page.get_by_text("Beeswax Candle Pair: 6 added, 6 in stock.")).to_be_visible()

    run_worker()
    run_worker()  # a second pass must not send it again

    [mail] = mails_to(smtp_server, "ada@example.com", "back in stock")
    assert mail["Subject"] == "Beeswax Candle Pair is back in stock"
    text = mail.get_body(("plain",)).get_content()
    assert "Beeswax Candle Pair is back in stock" in text
    assert "/products/beeswax-candle-pair/" in text

    # The account page lists nothing more to wait for: the subscription was answered.
    page.goto("/accounts/")
    expect(page.get_by_role("region", name="Back-in-stock e-mails")).to_contain_text("None.")


def test_staff_ship_an_order_and_the_shopper_sees_the_tracking_number_and_gets_one_mail(
    page: Page, another_page: Page, smtp_server
):
    mug = ProductFactory(name="Enamel Camp Mug", price=Decimal("14.00"), quantity=10)
    page.goto("/")
    sign_up(page, "grace")
    grace = get_user_model().objects.get(username="grace")
    order = services.order_confirm(order=OrderFactory(customer=grace, lines={mug: 2}))
    page.goto(order.get_absolute_url())
    expect(page.get_by_role("heading", level=1).locator("..")).to_contain_text("Confirmed")
    page.evaluate("window.stillTheSamePage = true")

    sign_in_to_the_admin(another_page)
    run_admin_action(
        another_page, "/admin/checkout/order/", str(order), "Mark selected orders shipped…"
    )
    another_page.get_by_label("Carrier").fill("DHL")
    another_page.get_by_label("Tracking number").fill("JD0146000012")
    another_page.get_by_role("button", name="Mark shipped").click()
    expect(another_page.get_by_text(f"{order} is shipped.")).to_be_visible()
    assert Order.objects.get(pk=order.pk).status == Order.Status.SHIPPED

    # The shopper's open page picks the shipment up on its own (it polls every 10 s).
    timeline = page.get_by_role("region", name="What happened so far")
    expect(timeline).to_contain_text("JD0146000012", timeout=15_000)
    expect(page.get_by_role("link", name=re.compile("Track your parcel"))).to_have_attribute(
        "href", re.compile(r"dhl\.com/.*JD0146000012")
    )
    expect(page.get_by_role("heading", level=1).locator("..")).to_contain_text("Shipped")
    expect(page.get_by_role("button", name="Cancel order")).to_have_count(0)
    assert page.evaluate("window.stillTheSamePage") is True

    run_worker()
    run_worker()

    [mail] = mails_to(smtp_server, "grace@example.com", "is on its way")
    text = mail.get_body(("plain",)).get_content()
    assert "Tracking number: JD0146000012" in text
    assert "dhl.com" in text
    assert "2 × Enamel Camp Mug = $28.00" in text


def test_a_visitor_without_javascript_asks_confirms_by_mail_and_is_on_the_list(
    new_context, browser_problems, smtp_server, live_server, settings
):
    """Without JavaScript every step is a plain form; the mailed link proves the address."""
    settings.SITE_URL = live_server.url  # links in the mail lead to this test's server
    page = browser_problems.watch(new_context(java_script_enabled=False).new_page())
    kettle = ProductFactory(name="Stovetop Kettle", slug="stovetop-kettle", quantity=0)
    page.goto(kettle.get_absolute_url())

    page.get_by_label("Email me when it's back").fill("not an address")
    page.get_by_role("button", name="Notify me").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a valid e-mail address")

    page.get_by_label("Email me when it's back").fill("ada@example.com")
    page.get_by_role("button", name="Notify me").click()
    expect(page.get_by_role("alert")).to_contain_text("open the link we sent to ada@example.com")
    assert not StockSubscription.objects.exists()

    run_worker()
    [mail] = mails_to(smtp_server, "ada@example.com", "Confirm")
    link = re.search(r"http\S+/alerts/confirm/\S+/", mail.get_body(("plain",)).get_content())
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("status")).to_contain_text("Confirmed")
    assert StockSubscription.objects.get().email == "ada@example.com"
