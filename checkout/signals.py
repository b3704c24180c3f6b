"""The events checkout publishes. Checkout does not know who listens.

Both signals are sent inside the transaction that changes the order, after the change is
saved. A receiver that must succeed or fail with the change (taking stock) does its work right
there and raises `OrderRefused` (below) to refuse it: the whole change rolls back
and the customer sees the exception's message. A receiver that talks to the outside world must
defer that work until the transaction commits (`transaction.on_commit`, a queued task).
"""

from django.dispatch import Signal


class OrderRefused(Exception):
    """Raised by an `order_confirmed` receiver to refuse the confirmation (e.g. out of stock).

    Part of the contract, so a receiver needs nothing of checkout but this module. The message
    is written for the customer: checkout shows it as it is, and the order stays as it was.
    """


order_confirmed = Signal()
"""An order has just been confirmed.

sender: the `checkout.models.Order` class.
order: the confirmed `Order`, its row locked for the rest of the transaction; `order.lines`
    is prefetched, ordered by product id (so receivers lock rows in one global order).
Sent once per order: confirming an order that is already confirmed sends nothing.
"""

order_cancelled = Signal()
"""An order has just been cancelled.

sender: the `checkout.models.Order` class.
order: the cancelled `Order`, row locked, `order.lines` prefetched and ordered by product id.
    `order.confirmed` tells whether it had been confirmed (and so whether stock was taken).
Sent once per order: cancelling a cancelled order sends nothing.
"""
