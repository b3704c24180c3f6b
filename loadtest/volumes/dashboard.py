"""Benchmark volume for the dashboard: orders up to 100,000 in all, over the last year, and a
member of staff to look at them.

Gathered by `python -m loadtest data build` (see loadtest/data.py for the contract) after
checkout, whose orders it tops up (35,000 at full scale, all of today): the database then
holds ORDERS orders in the mix a running shop has, a year's history of about 180 a day, and
the dashboard's thirty days hold about 19,000 of them (checkout's 14,000 confirmed today
among them). The dashboard reads them with the same queries as an empty shop's
(dashboard/queries.py); this volume measures how long those take.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from catalog.models import Product
from checkout.models import Order, OrderLine
from checkout.pricing import amounts_for

ORDERS = 100_000  # in the database, all apps' together
DAYS = 365
STAFF = "bench-staff"
# A benchmark database is thrown away after the run; this password never guards anything real.
PASSWORD = "bench-staff-password"
BATCH = 2_000


def build(*, scale: float, facts: dict, stdout) -> dict:
    rng = random.Random(27)
    now = timezone.now()
    products = list(Product.objects.values_list("pk", "name", "price"))
    customers = list(get_user_model().objects.values_list("pk", flat=True))
    count = max(0, round(ORDERS * scale) - Order.objects.count())
    for start in range(0, count, BATCH):
        batch = []
        for _ in range(min(BATCH, count - start)):
            lines = [(p, rng.randint(1, 3)) for p in rng.sample(products, rng.randint(1, 4))]
            placed = now - timedelta(days=DAYS * rng.random())
            batch.append((_order(rng.choice(customers), lines, placed, now, rng), lines))
        orders = Order.objects.bulk_create([order for order, _ in batch])
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                product_id=pk,
                product_name=name,
                quantity=quantity,
                unit_price=price,
            )
            for order, (_, lines) in zip(orders, batch, strict=True)
            for (pk, name, price), quantity in lines
        )
    staff = get_user_model().objects.create_user(
        STAFF, f"{STAFF}@example.com", PASSWORD, is_staff=True, is_superuser=True
    )
    stdout.write(f"dashboard: {count} orders over {DAYS} days, and {staff.username}")
    return {
        "orders": Order.objects.count(),
        # Read afresh each time: a cache miss, the most it ever costs (once a minute at most).
        "dashboard_path": "/admin/?refresh",
        "staff": STAFF,
        "password": PASSWORD,
    }


def _order(customer_id: int, lines, placed, now, rng) -> Order:
    """An unsaved order placed at `placed`, as far along its life as its age makes likely:
    a week old and more mostly delivered, the last days' mostly still to ship, a few
    cancelled (some after confirmation), a few never confirmed."""
    age, roll = now - placed, rng.random()
    stamps = {"confirmed_at": min(placed + timedelta(minutes=rng.randint(1, 120)), now)}
    if roll < 0.05:
        status = Order.Status.PLACED
        stamps = {}
    elif roll < 0.10:
        status = Order.Status.CANCELLED
        stamps["cancelled_at"] = min(placed + timedelta(hours=rng.randint(1, 20)), now)
        if roll < 0.07:
            del stamps["confirmed_at"]
    elif age < timedelta(days=2 + 5 * roll):
        status = Order.Status.CONFIRMED
    else:
        status = Order.Status.DELIVERED if age > timedelta(days=5) else Order.Status.SHIPPED
        stamps |= {
            "shipped_at": placed + timedelta(days=1),
            "carrier": "DHL",
            "tracking_number": f"JD{customer_id:012d}",
        }
        if status == Order.Status.DELIVERED:
            stamps["delivered_at"] = placed + timedelta(days=3)
    subtotal = sum((price * quantity for (_, _, price), quantity in lines), Decimal(0))
    return Order(
        customer_id=customer_id,
        status=status,
        **stamps,
        **amounts_for(subtotal).order_fields(),
        shipping_name=f"Customer {customer_id}",
        address_line1="1 High Street",
        city="Bristol",
        postal_code="BS1 4DJ",
        country="GB",
    )
