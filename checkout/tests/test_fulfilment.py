"""After confirmation: shipping, delivery and the cancellation rules, through the services
and the admin. (The customer's mails about each step: alerts/tests/test_order_mails.py.)"""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.urls import reverse

from catalog.models import Product
from catalog.tests.factories import ProductFactory
from checkout import services
from checkout.models import Order
from checkout.services import CheckoutError
from checkout.signals import order_delivered, order_shipped

from .factories import OrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced():
    """Every order_shipped / order_delivered sent during the test, as (signal, order id)."""
    calls = []

    def on_shipped(sender, order, **kwargs):
        calls.append(("shipped", order.pk))

    def on_delivered(sender, order, **kwargs):
        calls.append(("delivered", order.pk))

    order_shipped.connect(on_shipped, sender=Order, dispatch_uid="test.on_shipped")
    order_delivered.connect(on_delivered, sender=Order, dispatch_uid="test.on_delivered")
    yield calls
    order_shipped.disconnect(sender=Order, dispatch_uid="test.on_shipped")
    order_delivered.disconnect(sender=Order, dispatch_uid="test.on_delivered")


def confirmed_order(**kwargs) -> Order:
    lines = kwargs.pop("lines", None) or {ProductFactory(quantity=10): 1}
    return services.order_confirm(order=OrderFactory(lines=lines, **kwargs))


def shipped_order(**kwargs) -> Order:
    return services.order_ship(
        order=confirmed_order(**kwargs), carrier="DHL", tracking_number="JD0146000012"
    )


# Shipping


def test_shipping_records_carrier_tracking_and_time_and_announces_it_once(announced):
    order = confirmed_order()

    shipped = services.order_ship(order=order, carrier=" Royal  Mail ", tracking_number="AB1 ")
    again = services.order_ship(order=order, carrier="DHL", tracking_number="OTHER")

    order.refresh_from_db()
    assert order.status == Order.Status.SHIPPED
    assert (order.carrier, order.tracking_number) == ("Royal Mail", "AB1")
    assert order.shipped_at is not None
    assert again.tracking_number == shipped.tracking_number == "AB1"  # shipping twice: once
    assert announced == [("shipped", order.pk)]


@pytest.mark.parametrize("status", ["placed", "cancelled"])
def test_only_a_confirmed_order_can_ship(status, announced):
    order = OrderFactory(lines={ProductFactory(): 1})
    if status == "cancelled":
        services.order_cancel(order=order)

    with pytest.raises(CheckoutError, match="cannot be shipped"):
        services.order_ship(order=order, carrier="DHL", tracking_number="1")

    assert Order.objects.get(pk=order.pk).status == status
    assert announced == []


def test_confirming_a_shipped_order_again_changes_nothing(announced):
    order = shipped_order()

    again = services.order_confirm(order=order)

    assert again.status == Order.Status.SHIPPED
    assert Order.objects.get(pk=order.pk).status == Order.Status.SHIPPED


def test_a_delivered_order_cannot_ship_again():
    order = services.order_deliver(order=shipped_order())

    with pytest.raises(CheckoutError, match="already delivered"):
        services.order_ship(order=order, carrier="UPS", tracking_number="1Z")


@pytest.mark.parametrize(
    ("carrier", "tracking_number"), [("", "123"), ("DHL", "  "), ("D" * 51, "1"), ("DHL", "9" * 65)]
)
def test_a_shipment_without_a_carrier_or_tracking_number_is_refused(carrier, tracking_number):
    order = confirmed_order()

    with pytest.raises(CheckoutError):
        services.order_ship(order=order, carrier=carrier, tracking_number=tracking_number)

    assert Order.objects.get(pk=order.pk).status == Order.Status.CONFIRMED


# Delivering


def test_delivering_a_shipped_order_records_the_time_and_announces_it_once(announced):
    order = shipped_order()

    services.order_deliver(order=order)
    services.order_deliver(order=order)

    order.refresh_from_db()
    assert order.status == Order.Status.DELIVERED
    assert order.delivered_at >= order.shipped_at
    assert announced == [("shipped", order.pk), ("delivered", order.pk)]


@pytest.mark.parametrize("status", ["placed", "confirmed", "cancelled"])
def test_only_a_shipped_order_can_be_delivered(status):
    order = OrderFactory(lines={ProductFactory(): 1})
    if status == "confirmed":
        services.order_confirm(order=order)
    if status == "cancelled":
        services.order_cancel(order=order)

    with pytest.raises(CheckoutError, match="cannot be delivered"):
        services.order_deliver(order=order)

    assert Order.objects.get(pk=order.pk).status == status


# Cancelling


def test_a_customer_cannot_cancel_a_shipped_order():
    order = shipped_order()

    with pytest.raises(CheckoutError, match="already shipped"):
        services.order_cancel(order=order)

    assert Order.objects.get(pk=order.pk).status == Order.Status.SHIPPED
    assert not Order.objects.get(pk=order.pk).can_cancel


def test_staff_can_cancel_a_shipped_order_and_the_stock_comes_back():
    mug = ProductFactory(quantity=5)
    order = shipped_order(lines={mug: 2})

    services.order_cancel(order=order, by_staff=True)

    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELLED
    assert Product.objects.get(pk=mug.pk).quantity == 5


def test_nobody_can_cancel_a_delivered_order():
    order = services.order_deliver(order=shipped_order())

    with pytest.raises(CheckoutError, match="already delivered"):
        services.order_cancel(order=order, by_staff=True)

    assert Order.objects.get(pk=order.pk).status == Order.Status.DELIVERED


def test_what_a_customer_and_staff_may_cancel_follows_the_status():
    order = Order(status=Order.Status.PLACED)
    allowed = {}
    for status in Order.Status:
        order.status = status
        allowed[status.value] = (order.can_cancel, order.staff_can_cancel)

    assert allowed == {
        "placed": (True, True),
        "confirmed": (True, True),
        "shipped": (False, True),
        "delivered": (False, False),
        "cancelled": (False, False),
    }


# The admin


@pytest.fixture
def staff(client):
    admin = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin)
    return client


def test_mark_shipped_asks_for_carrier_and_number_then_ships_each_order_it_can(staff):
    ready, also_ready = confirmed_order(), confirmed_order()
    unconfirmed = OrderFactory(lines={ProductFactory(): 1})
    selection = {
        "action": "mark_shipped",
        ACTION_CHECKBOX_NAME: [ready.pk, also_ready.pk, unconfirmed.pk],
    }
    changelist = reverse("admin:checkout_order_changelist")

    question = staff.post(changelist, selection)
    assert question.status_code == 200
    assert "Tracking number" in question.content.decode()
    assert not Order.objects.filter(status=Order.Status.SHIPPED).exists()

    incomplete = staff.post(changelist, {**selection, "apply": "1", "carrier": "DHL"})
    assert incomplete.status_code == 200
    assert "This field is required." in incomplete.content.decode()
    assert not Order.objects.filter(status=Order.Status.SHIPPED).exists()

    done = staff.post(
        changelist,
        {**selection, "apply": "1", "carrier": "DHL", "tracking_number": "JD01"},
        follow=True,
    )
    shown = [str(message) for message in done.context["messages"]]
    assert f"{ready} is shipped." in shown
    assert f"{also_ready} is shipped." in shown
    assert f"{unconfirmed} is not confirmed yet, so it cannot be shipped." in " ".join(shown)
    assert set(Order.objects.filter(status="shipped").values_list("pk", flat=True)) == {
        ready.pk,
        also_ready.pk,
    }


def test_mark_delivered_and_cancel_report_each_order(staff):
    shipped, placed = shipped_order(), OrderFactory(lines={ProductFactory(): 1})
    changelist = reverse("admin:checkout_order_changelist")

    done = staff.post(
        changelist,
        {"action": "mark_delivered", ACTION_CHECKBOX_NAME: [shipped.pk, placed.pk]},
        follow=True,
    )
    shown = [str(message) for message in done.context["messages"]]
    assert f"{shipped} is delivered." in shown
    assert any(message.startswith(f"{placed}: ") for message in shown)

    cancelled = staff.post(
        changelist,
        {"action": "cancel_selected", ACTION_CHECKBOX_NAME: [shipped.pk, placed.pk]},
        follow=True,
    )
    shown = [str(message) for message in cancelled.context["messages"]]
    assert f"{placed} is cancelled." in shown
    assert f"{shipped}: {shipped} was already delivered, so it cannot be cancelled." in shown
