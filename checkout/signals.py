"""The events checkout publishes, and the one question it asks. Checkout does not know who
listens.

Every event is sent inside the transaction that changes the order, after the change is
saved. A receiver that must succeed or fail with the change (taking stock) does its work right
there and raises `OrderRefused` (below) to refuse it: the whole change rolls back
and the customer sees the exception's message. A receiver that talks to the outside world must
queue that work in the same transaction (the outbox's `queue_email`) or defer it until the
transaction commits (`transaction.on_commit`), so it can neither block nor undo the change.

Once placed, an order moves between states as the table `MOVES` allows (checkout.lifecycle's,
imported here as part of this contract). Each move sends a signal of its own, named below,
once the order is saved in the state the move leads to (`move.to`, which is then
`order.status`). A receiver that answers every move (the customer's mails) reads the table
rather than a list of its own.

The question, `address_wanted`, is how checkout prefills an address it does not keep: the
receivers' answers are its return values.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.dispatch import Signal

from .lifecycle import MOVES

if TYPE_CHECKING:
    from addresses.models import Address


class OrderRefused(Exception):
    """Raised by an `order_confirmed` receiver to refuse the confirmation (e.g. out of stock).

    Part of the contract, so a receiver needs nothing of checkout but this module. The message
    is written for the customer: checkout shows it as it is, and the order stays as it was.
    """


order_confirmed = MOVES["confirm"].signal
"""An order has just been confirmed.

sender: the `checkout.models.Order` class.
order: the confirmed `Order`, its row locked for the rest of the transaction; `order.lines`
    is prefetched, ordered by product id (so receivers lock rows in one global order), each
    line with its `product` as read before the confirmation (not locked: read the stock
    afresh, under a lock, to change it).
Sent once per order: confirming an order that is already confirmed sends nothing.
"""

order_cancelled = MOVES["cancel"].signal
"""An order has just been cancelled.

sender: the `checkout.models.Order` class.
order: the cancelled `Order`, row locked, `order.lines` prefetched and ordered by product id.
    `order.was_confirmed` tells whether it had been confirmed (and so whether stock was
    taken). A cancelled order may have shipped (`MOVES["cancel"]` lets staff cancel one whose
    parcel came back): its stock goes back like any other confirmed order's.
Sent once per order: cancelling a cancelled order sends nothing.
"""

order_placed = Signal()
"""A cart has just become an order awaiting confirmation.

sender: the `checkout.models.Order` class.
order: the new `Order`, an `addresses.models.Address` (its fields are where the order goes;
    `order.address_parts` has them all) with the `shipping_name` of whom it is for.
save_address: True when the customer asked for that address to be remembered as theirs
    ("Save as my address" at checkout); whoever keeps customer profiles stores it.
Sent inside the placing transaction: a receiver that raises undoes the order.
"""

address_wanted = Signal()
"""Checkout is about to ask a customer where to send their order: who knows their address?

sender: the `checkout.models.Order` class.
customer: the signed-in user (`settings.AUTH_USER_MODEL`) at the checkout.
A receiver that keeps customers' addresses answers with a `SavedAddress` (below), or None when
it keeps none for this customer; `Signal.send` hands checkout the answers, and checkout fills
in its form with the first one given. With none, the form starts empty. Checkout does not
know where profiles live: this is how it asks.
Sent only to read: a receiver answers and changes nothing.
"""


@dataclass(frozen=True)
class SavedAddress:
    """An answer to `address_wanted`: where the customer has their parcels sent, and to whom."""

    # Who the parcel is for, "" when unknown (checkout then takes the account's full name).
    name: str
    # The address: an instance of any model built on `addresses.models.Address`.
    address: "Address"


order_shipped = MOVES["ship"].signal
"""An order has just been handed to a carrier.

sender: the `checkout.models.Order` class.
order: the shipped `Order`, row locked, with `carrier`, `tracking_number` and `shipped_at`
    set (`order.tracking_url` links to the carrier's tracking page when the carrier is known).
Sent once per order, inside the shipping transaction: shipping a shipped order sends nothing.
Checkout mails no one itself: telling the customer is a receiver's work, queued in the
outbox like any receiver's talk with the outside world, so that it cannot block.
"""

order_delivered = MOVES["deliver"].signal
"""An order has just been delivered to the customer.

sender: the `checkout.models.Order` class.
order: the delivered `Order`, row locked, `delivered_at` set.
Sent once per order, inside the delivering transaction: delivering it again sends nothing.
"""
