"""Benchmark volume for checkout: 20,000 past orders, and the work for the two POST endpoints.

Gathered by `python -m loadtest data build` (see loadtest/data.py for the contract) after
accounts and catalog, whose facts it builds on:

- 20,000 orders of all customers, one to four lines each, in the mix a running shop has
  (mostly delivered or on their way, some confirmed, some awaiting confirmation, some
  cancelled);
- CART_PRODUCTS products with stock no benchmark can exhaust, for "add to cart": the shoppers'
  additions are spread over them, so no cart line nears checkout.forms.MAX_LINE_QUANTITY;
- a cart for each signed-in shopper with two of those products in it, so the pages measured
  "signed in with a cart" show a real count;
- CONFIRM_POOL placed orders of the signed-in shoppers over CONFIRM_PRODUCTS products, each
  paid for (loadtest/volumes/payments.py) and so confirmed at most once by the "pay and
  confirm" endpoint; `tally()` then checks that the stock taken equals the units confirmed.
"""

import random

from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from catalog.models import Product
from checkout.models import Cart, CartItem, Order, OrderLine
from checkout.pricing import amounts_for

ORDERS = 20_000
CART_PRODUCTS = 8
CONFIRM_PRODUCTS = 10
# Enough for 5 rounds of 2 seconds at 1,500 confirmations a second (over ten times the rate
# of confirmations by the customer's own button, before payments); the harness reports it if
# a run ever runs out.
CONFIRM_POOL = 15_000
CONFIRM_STOCK = 1_000_000  # per product: the pool needs at most 2 per order of any
CART_STOCK = 1_000_000_000

SHIPPING = {
    "address_line1": "1 High Street",
    "city": "Bristol",
    "postal_code": "BS1 4DJ",
    "country": "GB",
}


def _order(customer_id: int, lines, status: str, now, *, was_confirmed: bool = False) -> Order:
    """An unsaved order; a cancelled one may have been confirmed before (`was_confirmed`)."""
    on_its_way = status in (Order.Status.SHIPPED, Order.Status.DELIVERED)
    confirmed = (
        status == Order.Status.CONFIRMED
        or on_its_way
        or (status == Order.Status.CANCELLED and was_confirmed)
    )
    return Order(
        customer_id=customer_id,
        status=status,
        confirmed_at=now if confirmed else None,
        cancelled_at=now if status == Order.Status.CANCELLED else None,
        shipped_at=now if on_its_way else None,
        delivered_at=now if status == Order.Status.DELIVERED else None,
        carrier="DHL" if on_its_way else "",
        tracking_number=f"JD{customer_id:012d}" if on_its_way else "",
        **amounts_for(sum(product.price * quantity for product, quantity in lines)).order_fields(),
        shipping_name=f"Customer {customer_id}",
        **SHIPPING,
    )


def _lines(order: Order, lines) -> list[OrderLine]:
    return [
        OrderLine(
            order=order,
            product=product,
            product_name=product.name,
            quantity=quantity,
            unit_price=product.price,
        )
        for product, quantity in lines
    ]


def _create(orders_and_lines) -> list[Order]:
    """Save (order, [(product, quantity), ...]) pairs in bulk: orders first, for their pks."""
    orders = Order.objects.bulk_create([order for order, _ in orders_and_lines], batch_size=1000)
    OrderLine.objects.bulk_create(
        [line for order, lines in orders_and_lines for line in _lines(order, lines)],
        batch_size=1000,
    )
    return orders


def build(*, scale: float, facts: dict, stdout) -> dict:
    rng = random.Random(6)
    now = timezone.now()
    products = list(Product.objects.order_by("pk"))
    # The catalog's last products by name: never on the first page, which the stock poll
    # watches, so the confirmations cannot change what the 304 measurement expects.
    special = list(Product.objects.order_by("-name", "-pk")[: CART_PRODUCTS + CONFIRM_PRODUCTS])
    cart_products, confirm_products = special[:CART_PRODUCTS], special[CART_PRODUCTS:]
    Product.objects.filter(pk__in=[p.pk for p in cart_products]).update(quantity=CART_STOCK)
    Product.objects.filter(pk__in=[p.pk for p in confirm_products]).update(quantity=CONFIRM_STOCK)

    User = get_user_model()
    customer_ids = list(User.objects.values_list("pk", flat=True))
    statuses = (
        [Order.Status.DELIVERED] * 4
        + [Order.Status.SHIPPED] * 2
        + [Order.Status.CONFIRMED]
        + [Order.Status.PLACED] * 2
        + [Order.Status.CANCELLED]
    )
    history = []
    for _ in range(round(ORDERS * scale)):
        lines = [(p, rng.randint(1, 3)) for p in rng.sample(products, rng.randint(1, 4))]
        order = _order(
            rng.choice(customer_ids),
            lines,
            rng.choice(statuses),
            now,
            was_confirmed=rng.random() < 0.5,
        )
        history.append((order, lines))
    _create(history)

    shoppers = list(
        User.objects.filter(username__in=facts["accounts"]["shoppers"]).order_by("username")
    )
    pool = []
    for number in range(max(1, round(CONFIRM_POOL * scale))):
        lines = [(p, rng.randint(1, 2)) for p in rng.sample(confirm_products, rng.randint(1, 3))]
        owner = shoppers[number % len(shoppers)]
        pool.append((_order(owner.pk, lines, Order.Status.PLACED, now), lines))
    pool_orders = _create(pool)

    carts = Cart.objects.bulk_create(Cart(user=shopper) for shopper in shoppers)
    CartItem.objects.bulk_create(
        CartItem(cart=cart, product=product, quantity=1)
        for cart in carts
        for product in cart_products[:2]
    )

    stdout.write(
        f"checkout: {len(history)} orders, and {len(pool_orders)} placed orders to confirm"
    )
    return {
        "orders": len(history),
        "cart_add_paths": [
            reverse("checkout:cart_add", kwargs={"product_id": p.pk}) for p in cart_products
        ],
        # The placed orders to confirm, from first to last: their money is what confirms them.
        "confirm_pks": [pool_orders[0].pk, pool_orders[-1].pk],
        "confirm_product_ids": [p.pk for p in confirm_products],
        "confirm_stock_at_start": _units_in_stock([p.pk for p in confirm_products]),
    }


def _units_in_stock(product_ids: list[int]) -> int:
    return Product.objects.filter(pk__in=product_ids).aggregate(units=Sum("quantity"))["units"]


def tally(facts: dict) -> dict:
    """After the confirm endpoint ran: how much stock went, and how much was confirmed.

    `oversell` (stock at start - stock left - units confirmed) is 0 when the catalog took
    exactly the units of the orders that were confirmed: negative if orders were confirmed
    without their stock being taken, positive if stock went without a confirmation for it.
    """
    first, last = facts["confirm_pks"]
    confirmed = OrderLine.objects.filter(
        order__pk__range=(first, last), order__status=Order.Status.CONFIRMED
    )
    units_confirmed = confirmed.aggregate(units=Sum("quantity"))["units"] or 0
    orders_confirmed = confirmed.values("order").distinct().count()
    stock_left = _units_in_stock(facts["confirm_product_ids"])
    start = facts["confirm_stock_at_start"]
    return {
        "stock_at_start": start,
        "stock_left": stock_left,
        "orders_confirmed": orders_confirmed,
        "units_confirmed": units_confirmed,
        "oversell": start - stock_left - units_confirmed,
    }
