from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.tests.factories import UserFactory
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from checkout import services
from checkout.models import Cart, CartItem, Order
from checkout.services import CheckoutError
from checkout.signals import OrderRefused, order_cancelled, order_confirmed
from outbox.models import OutboundEmail
from outbox.tasks import deliver_email

from .factories import SHIPPING, CartFactory, CartItemFactory, OrderFactory

pytestmark = pytest.mark.django_db


def stock(product) -> int:
    return Product.objects.get(pk=product.pk).quantity


@pytest.fixture
def received():
    """Every order_confirmed / order_cancelled sent during the test, as (signal, sender, order)."""
    calls = []

    def on_confirmed(sender, order, **kwargs):
        calls.append(("confirmed", sender, order.pk))

    def on_cancelled(sender, order, **kwargs):
        calls.append(("cancelled", sender, order.pk))

    order_confirmed.connect(on_confirmed)
    order_cancelled.connect(on_cancelled)
    yield calls
    order_confirmed.disconnect(on_confirmed)
    order_cancelled.disconnect(on_cancelled)


# Confirming


def test_confirming_takes_stock_for_every_line_and_announces_it(received):
    mug, towel = ProductFactory(quantity=10), ProductFactory(quantity=5)
    order = OrderFactory(lines={mug: 3, towel: 5})

    confirmed = services.order_confirm(order=order)

    assert (stock(mug), stock(towel)) == (7, 0)
    assert confirmed.status == Order.Status.CONFIRMED
    assert confirmed.was_confirmed is True
    assert confirmed.confirmed_at is not None
    assert received == [("confirmed", Order, order.pk)]


def test_confirming_twice_takes_stock_once(received):
    mug = ProductFactory(quantity=10)
    order = OrderFactory(lines={mug: 4})

    services.order_confirm(order=order)
    services.order_confirm(order=order)

    assert stock(mug) == 6
    assert received == [("confirmed", Order, order.pk)]


def test_a_short_line_rolls_back_the_whole_confirmation_with_a_clear_error(received):
    mug = ProductFactory(name="Enamel Camp Mug", quantity=10)
    skillet = ProductFactory(name="Cast Iron Skillet", quantity=2)
    # Lines are handled in product id order: the mug's stock is taken before the skillet fails.
    order = OrderFactory(lines={mug: 1, skillet: 3})

    with pytest.raises(OrderRefused, match=r"Only 2 of Cast Iron Skillet left.*needs 3"):
        services.order_confirm(order=order)

    assert (stock(mug), stock(skillet)) == (10, 2)
    order.refresh_from_db()
    assert (order.status, order.was_confirmed, order.confirmed_at) == (
        Order.Status.PLACED,
        False,
        None,
    )


def test_a_sold_out_line_says_so():
    candle = ProductFactory(name="Beeswax Candle Pair", quantity=0)
    order = OrderFactory(lines={candle: 1})

    with pytest.raises(OrderRefused, match="Beeswax Candle Pair is sold out"):
        services.order_confirm(order=order)


def test_a_cancelled_order_cannot_be_confirmed():
    mug = ProductFactory(quantity=10)
    order = services.order_cancel(order=OrderFactory(lines={mug: 1}))

    with pytest.raises(CheckoutError, match="cancelled"):
        services.order_confirm(order=order)

    assert stock(mug) == 10


# Cancelling


def test_cancelling_a_confirmed_order_puts_the_stock_back_once(received):
    mug = ProductFactory(quantity=10)
    order = services.order_confirm(order=OrderFactory(lines={mug: 4}))

    services.order_cancel(order=order)
    services.order_cancel(order=order)

    assert stock(mug) == 10
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert order.cancelled_at is not None
    assert order.was_confirmed is True  # it had been confirmed: that is why stock came back
    assert received == [("confirmed", Order, order.pk), ("cancelled", Order, order.pk)]


def test_cancelling_an_unconfirmed_order_leaves_stock_alone():
    mug = ProductFactory(quantity=10)

    services.order_cancel(order=OrderFactory(lines={mug: 4}))

    assert stock(mug) == 10


# Placing


def test_placing_copies_the_cart_at_current_prices_and_empties_it_without_touching_stock():
    customer = UserFactory()
    mug = ProductFactory(price=Decimal("14.00"), quantity=10)
    towel = ProductFactory(price=Decimal("9.50"), quantity=10)
    cart = CartFactory(user=customer)
    CartItemFactory(cart=cart, product=mug, quantity=2)
    CartItemFactory(cart=cart, product=towel, quantity=1)

    order = services.order_place(cart=cart, customer=customer, shipping=SHIPPING)

    assert order.subtotal == Decimal("37.50")
    assert order.status == Order.Status.PLACED
    assert {(line.product, line.quantity, line.unit_price) for line in order.lines.all()} == {
        (mug, 2, Decimal("14.00")),
        (towel, 1, Decimal("9.50")),
    }
    assert not cart.items.exists()
    assert (stock(mug), stock(towel)) == (10, 10)


def test_an_empty_cart_cannot_be_placed():
    customer = UserFactory()

    with pytest.raises(CheckoutError, match="empty"):
        services.order_place(cart=CartFactory(user=customer), customer=customer, shipping=SHIPPING)

    assert not Order.objects.exists()


def test_a_cart_line_above_stock_stops_placing_and_changes_nothing():
    customer = UserFactory()
    cart = CartFactory(user=customer)
    CartItemFactory(cart=cart, product=ProductFactory(name="Skillet", quantity=1), quantity=3)

    with pytest.raises(CheckoutError, match=r"Skillet \(only 1 left\)"):
        services.order_place(cart=cart, customer=customer, shipping=SHIPPING)

    assert not Order.objects.exists()
    assert cart.items.get().quantity == 3


# Cart


def test_adding_to_cart_adds_up_to_the_stock_and_no_further():
    user = UserFactory()
    mug = ProductFactory(name="Mug", quantity=3)

    services.cart_add(user=user, session={}, product_id=mug.pk, quantity=2)
    services.cart_add(user=user, session={}, product_id=mug.pk, quantity=1)
    with pytest.raises(CheckoutError, match="Only 3 of Mug left and you already have 3"):
        services.cart_add(user=user, session={}, product_id=mug.pk, quantity=1)

    assert user.cart.items.get().quantity == 3


def test_adding_moves_the_carts_updated_at_once_a_minute():
    user = UserFactory()
    mug = ProductFactory(quantity=10)
    services.cart_add(user=user, session={}, product_id=mug.pk, quantity=1)
    Cart.objects.filter(user=user).update(updated_at=F("updated_at") - timedelta(seconds=30))
    half_a_minute_ago = Cart.objects.get(user=user).updated_at

    services.cart_add(user=user, session={}, product_id=mug.pk, quantity=1)
    assert Cart.objects.get(user=user).updated_at == half_a_minute_ago  # a burst of adds

    Cart.objects.filter(user=user).update(updated_at=F("updated_at") - timedelta(seconds=31))
    services.cart_add(user=user, session={}, product_id=mug.pk, quantity=1)
    assert Cart.objects.get(user=user).updated_at > timezone.now() - timedelta(seconds=5)
    assert user.cart.items.get().quantity == 3


def test_a_visitors_first_add_makes_a_cart_and_remembers_it_in_the_session():
    session = {}
    mug = ProductFactory(quantity=3)

    item = services.cart_add(user=AnonymousUser(), session=session, product_id=mug.pk, quantity=1)

    assert session == {services.CART_SESSION_KEY: item.cart_id}
    assert item.cart.user is None


def test_a_sold_out_product_cannot_be_added():
    user = UserFactory()

    with pytest.raises(CheckoutError, match="sold out"):
        services.cart_add(
            user=user, session={}, product_id=ProductFactory(quantity=0).pk, quantity=1
        )

    assert not CartItem.objects.filter(cart__user=user).exists()


def test_lowering_a_quantity_above_stock_is_allowed_but_raising_it_is_not():
    item = CartItemFactory(product=ProductFactory(quantity=2), quantity=5)

    with pytest.raises(CheckoutError):
        services.cart_set_quantity(item=item, quantity=6)
    services.cart_set_quantity(item=item, quantity=4)

    assert CartItem.objects.get(pk=item.pk).quantity == 4


def test_merging_a_visitor_cart_adds_quantities_capped_at_stock():
    mug, towel, candle = (
        ProductFactory(quantity=5),
        ProductFactory(quantity=10),
        ProductFactory(quantity=0),
    )
    customer_cart = CartFactory(user=UserFactory())
    CartItemFactory(cart=customer_cart, product=mug, quantity=4)
    visitor_cart = CartFactory()
    CartItemFactory(cart=visitor_cart, product=mug, quantity=3)
    CartItemFactory(cart=visitor_cart, product=towel, quantity=2)
    CartItemFactory(cart=visitor_cart, product=candle, quantity=1)

    services.cart_merge(source=visitor_cart, target=customer_cart)

    assert dict(customer_cart.items.values_list("product", "quantity")) == {mug.pk: 5, towel.pk: 2}
    assert not Cart.objects.filter(pk=visitor_cart.pk).exists()


# The confirmation e-mail


def test_confirming_queues_one_confirmation_email(settings):
    settings.SITE_URL = "https://shop.example.com"
    mug = ProductFactory(name="Enamel Camp Mug", price=Decimal("14.00"), quantity=10)
    order = OrderFactory(customer=UserFactory(email="ada@example.com"), lines={mug: 2})

    services.order_confirm(order=order)
    services.order_confirm(order=order)

    email = OutboundEmail.objects.get()
    assert email.to == "ada@example.com"
    assert email.subject == f"Order #{order.pk} is confirmed"
    assert "2 × Enamel Camp Mug at $14.00 = $28.00" in email.text_body
    assert f"https://shop.example.com/orders/{order.pk}/" in email.text_body
    # The same money lines as the order page: stored on the order, not worked out again.
    assert "Subtotal: $28.00\nShipping: $4.95\nTotal: $32.95\nincl. VAT 20%: $5.49" in (
        email.text_body
    )
    assert "$32.95" in email.html_body and "incl. VAT 20%" in email.html_body
    # One delivery task, committed with the order's confirmation.
    [task] = DBTaskResult.objects.filter(task_path=deliver_email.module_path)
    assert task.args_kwargs["args"] == [email.key]


def test_a_refused_confirmation_queues_no_email():
    order = OrderFactory(lines={ProductFactory(quantity=0): 1})

    with pytest.raises(OrderRefused):
        services.order_confirm(order=order)

    assert not OutboundEmail.objects.exists()


def test_the_confirmation_email_is_delivered_by_the_worker(mailoutbox, settings):
    settings.SITE_URL = "https://shop.example.com"
    order = OrderFactory(customer=UserFactory(email="ada@example.com"), lines={ProductFactory(): 1})

    with transaction.atomic():
        services.order_confirm(order=order)
    deliver_email.call(OutboundEmail.objects.get().pk)

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ada@example.com"]
    assert f"https://shop.example.com/orders/{order.pk}/" in message.body
    assert message.alternatives[0].mimetype == "text/html"


# Orders left unpaid


def test_orders_unpaid_past_the_deadline_are_cancelled_by_the_system_and_told_why(settings):
    settings.UNPAID_ORDER_DAYS = 3
    long_ago = timezone.now() - timedelta(days=3, minutes=1)
    customer = UserFactory(email="ada@example.com")
    unpaid = OrderFactory(customer=customer, lines={ProductFactory(quantity=5): 1})
    recent = OrderFactory(customer=customer, lines={ProductFactory(quantity=5): 1})
    paid = services.order_confirm(
        order=OrderFactory(customer=customer, lines={ProductFactory(quantity=5): 1}),
        by_system=True,
    )
    Order.objects.filter(pk__in=[unpaid.pk, paid.pk]).update(created_at=long_ago)

    cancelled = services.cancel_unpaid_orders()
    again = services.cancel_unpaid_orders()

    assert (cancelled, again) == (1, 0)
    states = dict(Order.objects.values_list("pk", "status"))
    assert states == {
        unpaid.pk: Order.Status.CANCELLED,
        recent.pk: Order.Status.PLACED,
        paid.pk: Order.Status.CONFIRMED,
    }
    assert Order.objects.get(pk=unpaid.pk).cancellation_reason == (
        "It was not paid within 3 days of being placed."
    )
    assert OutboundEmail.objects.filter(key=f"checkout.order.{unpaid.pk}.cancelled").exists()
