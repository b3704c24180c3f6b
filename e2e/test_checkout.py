import re
from decimal import Decimal

from playwright.sync_api import Page, expect

from accounts.tests.factories import UserFactory
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from checkout.tests.factories import OrderFactory
from outbox.tests.fixtures import run_worker

from .shopper import card, fill_in_a_shipping_address, pay_by_card, sign_in, sign_up


def test_a_shopper_orders_pays_and_another_shopper_sees_the_stock_drop(
    page: Page, another_page: Page, live_cards
):
    ProductFactory(name="Enamel Camp Mug", price=Decimal("14.00"), quantity=10)
    ProductFactory(name="Linen Tea Towel", price=Decimal("9.50"), quantity=8)
    another_page.goto("/")
    expect(card(another_page, "Enamel Camp Mug")).to_contain_text("10 in stock")

    page.goto("/")
    sign_up(page, "ada")
    page.evaluate("window.stillTheSamePage = true")
    card(page, "Enamel Camp Mug").get_by_role("button", name="Add to cart: Enamel Camp Mug").click()
    expect(page.get_by_role("link", name="Cart 1 item", exact=True)).to_be_visible()
    card(page, "Linen Tea Towel").get_by_role("button", name="Add to cart: Linen Tea Towel").click()
    expect(page.get_by_role("link", name="Cart 2 items", exact=True)).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True

    page.get_by_role("link", name="Cart 2 items").click()
    expect(page.get_by_text("$23.50")).to_be_visible()
    page.get_by_role("link", name="Place order").click()
    fill_in_a_shipping_address(page)
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_text("Awaiting payment")).to_be_visible()

    pay_by_card(page)

    expect(page.get_by_role("alert")).to_contain_text("your payment is accepted")
    expect(page.get_by_role("heading", level=1).locator("..")).to_contain_text("Confirmed")
    # The shopper's own order lines show what they bought, not what the shop has left.
    expect(page.get_by_role("row").filter(has_text="Enamel Camp Mug")).not_to_contain_text(
        "in stock"
    )
    assert Product.objects.get(name="Enamel Camp Mug").quantity == 9
    assert Product.objects.get(name="Linen Tea Towel").quantity == 7
    # The other shopper's catalog polls: the badge changes without a reload, well within 10 s.
    expect(card(another_page, "Enamel Camp Mug")).to_contain_text("9 in stock", timeout=10_000)
    expect(card(another_page, "Linen Tea Towel")).to_contain_text("7 in stock", timeout=10_000)


def test_paying_after_a_product_sold_out_cancels_the_order_says_why_and_takes_no_money(
    page: Page, live_cards
):
    skillet = ProductFactory(name="Cast Iron Skillet", quantity=3)
    order = OrderFactory(customer=UserFactory(username="grace"), lines={skillet: 2})
    page.goto("/")
    sign_in(page, "grace")
    page.goto(order.get_absolute_url())
    Product.objects.filter(pk=skillet.pk).update(quantity=1)  # someone else was quicker

    pay_by_card(page)

    expect(page).to_have_url(re.compile(f"{order.get_absolute_url()}$"))
    expect(page.get_by_role("heading", level=1).locator("..")).to_contain_text("Cancelled")
    expect(
        page.get_by_text("Only 1 of Cast Iron Skillet left, but this order needs 2.")
    ).to_have_count(2)
    expect(page.get_by_role("alert")).to_contain_text("you are not charged for it")
    expect(page.get_by_role("button", name="Pay by card")).to_have_count(0)
    run_worker()  # the authorization is released
    [intent] = live_cards.state()["payment_intents"]
    assert (intent["status"], intent["amount_received"]) == ("canceled", 0)
    assert Product.objects.get(pk=skillet.pk).quantity == 1


def test_a_declined_card_is_said_on_the_providers_page_and_another_passes_3d_secure(
    page: Page, live_cards
):
    mug = ProductFactory(name="Enamel Camp Mug", quantity=3)
    order = OrderFactory(customer=UserFactory(username="grace"), lines={mug: 1})
    page.goto("/")
    sign_in(page, "grace")
    page.goto(order.get_absolute_url())

    pay_by_card(page, "4000 0000 0000 0002")
    expect(page.get_by_role("alert")).to_have_text("Your card was declined.")
    page.get_by_label("Card number").fill("4000 0027 6000 3184")
    page.get_by_role("button", name=re.compile(r"^Pay ")).click()
    page.get_by_role("button", name="Complete authentication").click()

    expect(page).to_have_url(re.compile(f"{order.get_absolute_url()}$"))
    expect(page.get_by_role("heading", level=1).locator("..")).to_contain_text("Confirmed")
    assert Product.objects.get(pk=mug.pk).quantity == 2


def test_a_shopper_who_leaves_the_providers_page_finds_the_order_still_payable(
    page: Page, live_cards
):
    order = OrderFactory(customer=UserFactory(username="grace"), lines={ProductFactory(): 1})
    page.goto("/")
    sign_in(page, "grace")
    page.goto(order.get_absolute_url())

    page.get_by_role("button", name="Pay by card").click()
    page.get_by_role("link", name="Back to the shop").click()

    expect(page).to_have_url(re.compile(f"{order.get_absolute_url()}$"))
    expect(page.get_by_text("Awaiting payment")).to_be_visible()
    expect(page.get_by_role("button", name="Pay by card")).to_be_enabled()
    expect(page.get_by_role("link", name="See how it is going")).to_be_visible()
