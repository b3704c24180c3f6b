"""Stock changes and the events they announce: back in stock (0 → n) and low stock (crossing
LOW_STOCK_THRESHOLD downward), whichever way the stock moves."""

import threading

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.urls import reverse

from catalog import services
from catalog.models import Product
from catalog.signals import back_in_stock, stock_low
from checkout import services as checkout_services
from checkout.tests.factories import OrderFactory

from .factories import ProductFactory


class Heard(list):
    """Every (signal name, product id, extra) a signal delivered while connected."""

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()

    def back(self, sender, product, **kwargs):
        with self._lock:
            self.append(("back_in_stock", product.pk, product.quantity))

    def low(self, sender, product, quantity, **kwargs):
        with self._lock:
            self.append(("stock_low", product.pk, quantity))


@pytest.fixture
def heard(settings):
    settings.LOW_STOCK_THRESHOLD = 5
    heard = Heard()
    back_in_stock.connect(heard.back, sender=Product, dispatch_uid="test.heard.back")
    stock_low.connect(heard.low, sender=Product, dispatch_uid="test.heard.low")
    yield heard
    back_in_stock.disconnect(sender=Product, dispatch_uid="test.heard.back")
    stock_low.disconnect(sender=Product, dispatch_uid="test.heard.low")


def edit_in_the_admin(client, product, **changes):
    """Post the admin's change form for `product` as staff would, with `changes`."""
    data = {
        "name": product.name,
        "slug": product.slug,
        "description": "",
        "price": "9.50",
        "quantity": str(product.quantity),
        # The pictures inline, left empty.
        "gallery-TOTAL_FORMS": "0",
        "gallery-INITIAL_FORMS": "0",
        **changes,
    }
    return client.post(reverse("admin:catalog_product_change", args=[product.pk]), data)


@pytest.fixture
def staff(client):
    admin = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin)
    return client


# Back in stock


@pytest.mark.django_db
def test_a_restock_from_zero_announces_back_in_stock_once(heard):
    product = ProductFactory(quantity=0)

    assert services.restock(product=product, quantity=4) == 4

    assert heard == [("back_in_stock", product.pk, 4)]
    assert Product.objects.get(pk=product.pk).quantity == 4


@pytest.mark.django_db
def test_more_stock_for_a_product_in_stock_announces_nothing(heard):
    product = ProductFactory(quantity=2)

    services.restock(product=product, quantity=10)

    assert heard == []
    assert Product.objects.get(pk=product.pk).quantity == 12


@pytest.mark.django_db
def test_a_restock_of_no_units_is_refused():
    with pytest.raises(ValueError):
        services.restock(product=ProductFactory(quantity=0), quantity=0)


@pytest.mark.django_db
def test_a_cancelled_order_bringing_the_last_units_back_announces_back_in_stock(heard):
    product = ProductFactory(quantity=2)
    order = checkout_services.order_confirm(order=OrderFactory(lines={product: 2}))
    heard.clear()  # the sale itself ran the product low: not what this test is about

    checkout_services.order_cancel(order=order)

    assert heard == [("back_in_stock", product.pk, 2)]


@pytest.mark.django_db
def test_a_cancelled_order_returning_units_to_a_product_in_stock_announces_nothing(heard):
    product = ProductFactory(quantity=3)
    order = checkout_services.order_confirm(order=OrderFactory(lines={product: 1}))
    heard.clear()

    checkout_services.order_cancel(order=order)

    assert heard == []
    assert Product.objects.get(pk=product.pk).quantity == 3


@pytest.mark.django_db
def test_an_admin_edit_from_zero_announces_back_in_stock_once(staff, heard):
    product = ProductFactory(quantity=0, name="Enamel Mug", slug="enamel-mug")

    response = edit_in_the_admin(staff, product, name="Enamel Mug", quantity="12")

    assert response.status_code == 302
    assert heard == [("back_in_stock", product.pk, 12)]


@pytest.mark.django_db
def test_an_admin_edit_of_other_fields_announces_nothing(staff, heard):
    product = ProductFactory(quantity=0, name="Enamel Mug", slug="enamel-mug")

    edit_in_the_admin(staff, product, name="Enamel Mug, blue", quantity="0")

    assert heard == []
    assert Product.objects.get(pk=product.pk).name == "Enamel Mug, blue"


@pytest.mark.django_db
def test_the_admin_restock_action_asks_how_many_then_adds_them(staff, heard):
    empty, full = ProductFactory(quantity=0), ProductFactory(quantity=30)
    selection = {"action": "restock", ACTION_CHECKBOX_NAME: [empty.pk, full.pk]}
    changelist = reverse("admin:catalog_product_changelist")

    question = staff.post(changelist, selection)
    assert question.status_code == 200
    assert "Units to add" in question.content.decode()
    assert Product.objects.get(pk=empty.pk).quantity == 0  # nothing until answered

    refused = staff.post(changelist, {**selection, "apply": "1", "quantity": "0"})
    assert refused.status_code == 200
    assert Product.objects.get(pk=empty.pk).quantity == 0

    done = staff.post(changelist, {**selection, "apply": "1", "quantity": "6"}, follow=True)
    shown = [str(message) for message in done.context["messages"]]
    assert f"{empty}: 6 added, 6 in stock." in shown
    assert f"{full}: 6 added, 36 in stock." in shown
    assert heard == [("back_in_stock", empty.pk, 6)]


@pytest.mark.django_db(transaction=True)
def test_two_restocks_racing_from_zero_announce_back_in_stock_once(heard, race):
    """Real threads, real transactions: on PostgreSQL the row lock decides who found 0."""
    product = ProductFactory(quantity=0)
    racers = 4

    restocks = race(lambda _: services.restock(product=product.pk, quantity=3), range(racers))

    assert restocks.raised == []
    assert Product.objects.get(pk=product.pk).quantity == 3 * racers
    assert [event for event, *_ in heard] == ["back_in_stock"]


# Low stock


@pytest.mark.django_db
def test_a_sale_crossing_the_threshold_announces_low_stock_once(heard):
    product = ProductFactory(quantity=7)

    assert services.stock_take(product_id=product.pk, quantity=3) == 4
    services.stock_take(product_id=product.pk, quantity=1)  # further sales below: nothing
    services.stock_take(product_id=product.pk, quantity=3)

    assert heard == [("stock_low", product.pk, 4)]


@pytest.mark.django_db
def test_a_sale_ending_exactly_at_the_threshold_crosses_it(heard):
    product = ProductFactory(quantity=6)

    services.stock_take(product_id=product.pk, quantity=1)

    assert heard == [("stock_low", product.pk, 5)]


@pytest.mark.django_db
def test_a_sale_staying_above_the_threshold_announces_nothing(heard):
    product = ProductFactory(quantity=20)

    services.stock_take(product_id=product.pk, quantity=14)

    assert heard == []


@pytest.mark.django_db
def test_stock_running_low_again_after_a_restock_is_a_new_crossing(heard):
    product = ProductFactory(quantity=6)
    services.stock_take(product_id=product.pk, quantity=3)
    services.restock(product=product, quantity=10)

    services.stock_take(product_id=product.pk, quantity=10)

    assert heard == [("stock_low", product.pk, 3), ("stock_low", product.pk, 3)]


@pytest.mark.django_db
def test_taking_more_than_there_is_takes_nothing_and_says_how_many_are_left(heard):
    product = ProductFactory(quantity=2)

    with pytest.raises(services.OutOfStock) as short:
        services.stock_take(product_id=product.pk, quantity=3)

    assert short.value.left == 2
    assert Product.objects.get(pk=product.pk).quantity == 2
    assert heard == []


@pytest.mark.django_db
def test_a_confirmation_taking_stock_low_announces_it(heard):
    product = ProductFactory(quantity=8)

    checkout_services.order_confirm(order=OrderFactory(lines={product: 4}))

    assert heard == [("stock_low", product.pk, 4)]


@pytest.mark.django_db
def test_staff_setting_stock_below_the_threshold_announce_low_stock(staff, heard):
    product = ProductFactory(quantity=20, name="Enamel Mug", slug="enamel-mug")

    edit_in_the_admin(staff, product, name="Enamel Mug", quantity="2")

    assert heard == [("stock_low", product.pk, 2)]
