"""Orders as the dashboard meets them: in a state of their life, with its times."""

from datetime import timedelta
from decimal import Decimal

from checkout.models import Order
from checkout.tests.factories import OrderFactory


def sale(at, total="40.00", *, status=Order.Status.CONFIRMED, **fields) -> Order:
    """An order confirmed at `at` and moved on to `status` since, with `total` stored as what
    the customer agreed to pay (its other amounts do not matter to the dashboard)."""
    moves = {"confirmed_at": at}
    if status in (Order.Status.SHIPPED, Order.Status.DELIVERED):
        moves |= {"shipped_at": at + timedelta(hours=1), "carrier": "DHL", "tracking_number": "1"}
    if status == Order.Status.DELIVERED:
        moves["delivered_at"] = at + timedelta(hours=2)
    if status == Order.Status.CANCELLED:
        moves["cancelled_at"] = at + timedelta(hours=1)
    return OrderFactory(
        status=status,
        subtotal=Decimal(total),
        total_price=Decimal(total),
        **{**moves, **fields},
    )
