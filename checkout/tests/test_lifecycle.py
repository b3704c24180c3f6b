"""An order's life is written down once, in checkout.lifecycle.MOVES: change a row or add one,
and the services, `Order.can_*`, the order page's buttons and polling, the admin's actions and
the alerts' mail wiring all follow it."""

import dataclasses

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.tests.factories import UserFactory
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from checkout import services
from checkout.admin import OrderAdmin
from checkout.lifecycle import MOVES, Move, Status
from checkout.models import Order
from checkout.services import CheckoutError
from outbox.models import OutboundEmail

from .factories import OrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def table(monkeypatch):
    """Change the table of moves for one test: a name in it rewrites that row with the fields
    given, a new name adds a row. The table is put back afterwards."""

    def change(name: str, **fields) -> Move:
        row = dataclasses.replace(MOVES[name], **fields) if name in MOVES else Move(name, **fields)
        monkeypatch.setitem(MOVES, name, row)
        return row

    return change


@pytest.fixture
def customer(client):
    user = UserFactory(email="ada@example.com")
    client.force_login(user)
    return user


def offered_actions(admin_client) -> set[str]:
    page = admin_client.get(reverse("admin:checkout_order_changelist"))
    return {name for name, _ in page.context["action_form"].fields["action"].choices if name}


def stock(product) -> int:
    return Product.objects.get(pk=product.pk).quantity


def test_the_admin_offers_an_action_for_every_move_staff_may_make_and_no_other(admin_client):
    offered = offered_actions(admin_client)

    moves = {getattr(getattr(OrderAdmin, name, None), "move", None) for name in offered}
    assert moves - {None} == {name for name, move in MOVES.items() if move.staff}


def test_money_confirms_an_order_so_its_page_offers_to_pay_and_never_to_confirm(client, customer):
    mug = ProductFactory(quantity=5)
    order = OrderFactory(customer=customer, lines={mug: 2})

    page = client.get(order.get_absolute_url()).content.decode()
    with pytest.raises(CheckoutError, match="Please contact us"):
        services.order_confirm(order=order, customer=customer)
    services.order_confirm(order=order, by_system=True)  # its payment arrived

    assert not order.can("confirm")
    assert order.awaits_payment
    assert "Confirm order" not in page
    assert "Pay by card" in page
    assert "Cancel order" in page
    assert Order.objects.get(pk=order.pk).status == Order.Status.CONFIRMED
    assert stock(mug) == 3


def test_a_confirmation_only_the_system_makes_leaves_the_admin_without_it_and_the_page_waiting(
    table, client, customer, admin_client
):
    table("confirm", staff=())
    mug = ProductFactory(quantity=5)
    order = OrderFactory(customer=customer, lines={mug: 2})

    actions = offered_actions(admin_client)
    waiting = client.get(order.get_absolute_url()).content.decode()
    with pytest.raises(CheckoutError, match="cannot be confirmed"):
        services.order_confirm(order=order)
    services.order_confirm(order=order, by_system=True)

    assert "confirm_selected" not in actions
    assert "cancel_selected" in actions
    assert "?seen=" in waiting  # the page watches for the system's move
    assert Order.objects.get(pk=order.pk).status == Order.Status.CONFIRMED
    assert stock(mug) == 3  # the catalog heard of it
    assert OutboundEmail.objects.filter(key=f"checkout.order.{order.pk}.confirmed").exists()


def test_taking_paying_away_from_the_table_takes_the_pay_buttons_away(table, client, customer):
    table("confirm", system=())
    order = OrderFactory(customer=customer, lines={ProductFactory(quantity=5): 1})

    page = client.get(order.get_absolute_url()).content.decode()

    assert not order.awaits_payment
    assert "Pay by card" not in page
    assert "Pay by bank transfer" not in page


def test_letting_customers_cancel_a_shipped_order_gives_them_the_button_and_the_stock_back(
    table, client, customer
):
    table("cancel", customer=(Status.PLACED, Status.CONFIRMED, Status.SHIPPED))
    mug = ProductFactory(quantity=5)
    order = services.order_confirm(order=OrderFactory(customer=customer, lines={mug: 2}))
    services.order_ship(order=order, carrier="DHL", tracking_number="JD0146000012")

    page = client.get(order.get_absolute_url()).content.decode()
    client.post(reverse("checkout:order_cancel", args=[order.pk]))

    assert "Cancel order" in page
    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELLED
    assert stock(mug) == 5
    assert OutboundEmail.objects.filter(key=f"checkout.order.{order.pk}.cancelled").exists()


def test_a_new_move_is_made_by_whom_the_table_says_announced_and_mailed_about(
    table, client, customer
):
    returned = table("return", to=Status.CANCELLED, stamp="cancelled_at", staff=(Status.DELIVERED,))
    heard = []

    def hear(sender, order, **kwargs):
        heard.append(order.pk)

    returned.signal.connect(hear, sender=Order)
    order = services.order_confirm(
        order=OrderFactory(customer=customer, lines={ProductFactory(): 1})
    )
    services.order_ship(order=order, carrier="DHL", tracking_number="JD0146000012")
    order = services.order_deliver(order=order)

    page = client.get(order.get_absolute_url()).content.decode()
    with pytest.raises(CheckoutError) as refused:
        services._transition(order=order, move="return", by="customer")
    services._transition(order=order, move="return", by="staff")
    services._transition(order=order, move="return", by="staff")  # once made, made

    assert str(refused.value) == (
        f"{order} was already delivered, so it can no longer be cancelled here. Please contact us."
    )
    assert order.can("return", by="staff")
    assert not order.can("return")
    assert "?seen=" in page  # a delivered order now waits for the shop: it may come back
    order.refresh_from_db()
    assert (order.status, order.cancelled_at is not None) == (Order.Status.CANCELLED, True)
    assert heard == [order.pk]
    assert returned in apps.get_app_config("alerts").mailed_moves()
