"""The customer's mails about their order: one for each step, with what they need to know."""

from decimal import Decimal

import pytest

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductFactory
from checkout import services
from checkout.models import Order
from checkout.tests.factories import OrderFactory
from outbox.models import OutboundEmail

pytestmark = pytest.mark.django_db


def confirmed_order(**kwargs) -> Order:
    lines = kwargs.pop("lines", None) or {ProductFactory(quantity=10): 1}
    return services.order_confirm(order=OrderFactory(lines=lines, **kwargs))


def shipped_order(**kwargs) -> Order:
    return services.order_ship(
        order=confirmed_order(**kwargs), carrier="DHL", tracking_number="JD0146000012"
    )


def mails(event: str) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(key__endswith=f".{event}"))


def test_each_step_mails_the_customer_exactly_once(settings):
    settings.SITE_URL = "https://shop.example.com"
    order = confirmed_order(customer=UserFactory(email="ada@example.com"))
    for _ in range(2):
        services.order_ship(order=order, carrier="DHL", tracking_number="JD0146000012")
    for _ in range(2):
        services.order_deliver(order=order)

    assert sorted(OutboundEmail.objects.values_list("key", flat=True)) == [
        f"checkout.order.{order.pk}.confirmed",
        f"checkout.order.{order.pk}.delivered",
        f"checkout.order.{order.pk}.shipped",
    ]
    assert set(OutboundEmail.objects.values_list("to", flat=True)) == {"ada@example.com"}


def test_the_shipped_mail_names_carrier_and_number_and_links_a_known_carrier(settings):
    settings.SITE_URL = "https://shop.example.com"
    mug = ProductFactory(name="Enamel Camp Mug", price=Decimal("14.00"), quantity=9)
    order = shipped_order(lines={mug: 2})

    [mail] = mails("shipped")

    assert mail.subject == f"{order} is on its way"
    assert "is on its way with DHL." in mail.text_body
    assert "Tracking number: JD0146000012" in mail.text_body
    tracking = "https://www.dhl.com/global-en/home/tracking.html?tracking-id=JD0146000012"
    assert f"Track it: {tracking}" in mail.text_body
    assert f'href="{tracking}"' in mail.html_body
    assert "2 × Enamel Camp Mug = $28.00" in mail.text_body
    assert "Total: $32.95" in mail.text_body  # $4.95 shipping below the free threshold
    assert f"https://shop.example.com/orders/{order.pk}/" in mail.text_body


def test_an_unknown_carrier_is_named_without_a_link():
    order = services.order_ship(
        order=confirmed_order(), carrier="Bob's Bikes", tracking_number="B/17 #3"
    )

    [mail] = mails("shipped")
    assert order.tracking_url == ""
    assert "with Bob's Bikes" in mail.text_body
    assert "Tracking number: B/17 #3" in mail.text_body
    assert "Track it" not in mail.text_body


def test_a_tracking_number_is_escaped_in_the_link():
    order = services.order_ship(order=confirmed_order(), carrier="ups", tracking_number="1Z a&b")

    assert order.tracking_url == "https://www.ups.com/track?tracknum=1Z%20a%26b"


def test_the_cancellation_mail_gives_the_amounts():
    mug = ProductFactory(name="Enamel Camp Mug", price=Decimal("14.00"), quantity=9)
    order = services.order_cancel(order=confirmed_order(lines={mug: 3}))

    [mail] = mails("cancelled")
    assert mail.subject == f"{order} is cancelled"
    assert "3 × Enamel Camp Mug = $42.00" in mail.text_body
    assert "Total cancelled: $46.95" in mail.text_body  # shipping included


def test_a_customer_without_an_email_address_gets_no_mail_and_the_order_still_ships():
    order = shipped_order(customer=UserFactory(email=""))

    assert Order.objects.get(pk=order.pk).status == Order.Status.SHIPPED
    assert not OutboundEmail.objects.exists()
