"""What the payments app does when other parts of the shop send signals: money follows the
order it pays for, and a worker starting books the reconciliation."""

from . import services, tasks


def settle_order_payments(sender, order, **kwargs):
    """order_confirmed, order_cancelled: the order is decided, so its money follows.

    A confirmed order's authorization is captured, a cancelled order's authorization voided and
    its captured money refunded: by a task queued in this transaction, which calls the
    provider after the commit (with an idempotency key, so a retry never acts twice). A bank
    transfer still awaited for an order decided otherwise is let go at once.
    """
    services.settle_order(order=order)


def book_reconciliation(sender, **kwargs):
    """worker_started: make sure a round of reconciliation with the provider is booked."""
    tasks.schedule_reconciliation()
