import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.urls import reverse

from catalog.models import Product
from catalog.tests.factories import ProductFactory
from checkout.models import Order

from .factories import OrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    admin = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin)
    return client


def run_action(client, action, orders):
    return client.post(
        reverse("admin:checkout_order_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [order.pk for order in orders]},
        follow=True,
    )


def test_confirm_selected_goes_through_the_service_and_reports_each_failure(staff):
    mug = ProductFactory(quantity=3)
    skillet = ProductFactory(name="Cast Iron Skillet", quantity=1)
    fine = OrderFactory(lines={mug: 2})
    short = OrderFactory(lines={skillet: 2})

    response = run_action(staff, "confirm_selected", [fine, short])

    shown = [str(message) for message in response.context["messages"]]
    assert (
        f"{short}: Only 1 of Cast Iron Skillet left, but this order needs 2. Nothing was confirmed."
        in shown
    )
    assert f"{fine} is confirmed." in shown
    assert Order.objects.get(pk=fine.pk).status == Order.Status.CONFIRMED
    assert Order.objects.get(pk=short.pk).status == Order.Status.PLACED
    assert Product.objects.get(pk=mug.pk).quantity == 1  # the signal fired: stock was taken


def test_cancel_selected_puts_confirmed_stock_back(staff):
    mug = ProductFactory(quantity=3)
    order = OrderFactory(lines={mug: 2})
    run_action(staff, "confirm_selected", [order])

    run_action(staff, "cancel_selected", [order])

    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELLED
    assert Product.objects.get(pk=mug.pk).quantity == 3


def test_the_order_page_in_the_admin_shows_its_lines(staff):
    order = OrderFactory(lines={ProductFactory(name="Enamel Camp Mug"): 2})

    response = staff.get(reverse("admin:checkout_order_change", args=[order.pk]))

    assert response.status_code == 200
    assert b"Enamel Camp Mug" in response.content


def test_the_admin_shows_an_orders_stored_amounts_with_the_shops_formatter(staff, settings):
    settings.MONEY_LOCALE = "en_US"
    order = OrderFactory(lines={ProductFactory(price="14.00"): 2})
    settings.SHIPPING_FLAT_RATE = "1.00"  # the order keeps what it stored

    listing = staff.get(reverse("admin:checkout_order_changelist")).content.decode()
    page = staff.get(reverse("admin:checkout_order_change", args=[order.pk])).content.decode()

    assert "$32.95" in listing
    for text in ("$28.00", "$4.95", "$32.95", "$5.49 (20%)", "$14.00"):
        assert text in page
    # The amounts are shown, not offered for editing.
    assert 'name="total_price"' not in page and 'name="shipping"' not in page
