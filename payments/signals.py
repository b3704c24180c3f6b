"""The events the payments app publishes. Payments does not know who listens.

A payment is one attempt to pay for an order (`payment.order_id`); its life is the table
`MOVES` (payments.lifecycle's, imported here as part of this contract). Every signal below is
sent **once per real move**, inside the transaction that makes it, after the payment is saved
in its new state and the move's ledger entry is written: an event heard twice (a webhook
delivered again, the provider's answer and its webhook, a retried task) moves nothing and
sends nothing the second time. The transaction holds the row locks of the payment and of its
order (taken in that order: the order first), so a receiver may move the order
(checkout confirms it) without waiting on anyone.

A receiver that must succeed or fail with the move runs right there; one that talks to the
outside world queues its work in the same transaction (the outbox's `queue_email`). Receivers
are called with `sender` (the `payments.models.Payment` class), `payment` (the payment, its
`status` the state just reached) and `entry` (the `LedgerEntry` the move wrote: its `amount`,
`reference`, `note` and unique `key`).
"""

from django.dispatch import Signal

from .lifecycle import MOVES

payment_started = Signal()
"""A payment has begun and waits for the customer: a card's page to fill in, or a bank transfer
to make (`payment.method`, "card" or "bank_transfer"; `payment.reference` is what the
transfer must say).

sender: the `payments.models.Payment` class. payment: the new pending payment. No `entry`:
no money has moved. Sent once per payment, inside the transaction that makes it.
"""

payment_authorized = MOVES["authorize"].signal
"""The customer's bank holds the payment's money for the shop (a card authorized it); it is
taken (captured) when the order is confirmed, or released (voided) if the order cannot be.

entry: the `authorized` ledger entry, its amount what the bank holds.
"""

payment_captured = MOVES["capture"].signal
"""The money is the shop's: a card's authorization was captured, or staff recorded that a bank
transfer arrived (for a transfer nothing was authorized first).

entry: the `captured` ledger entry, its amount what was taken.
"""

payment_failed = MOVES["fail"].signal
"""The customer's bank refused the payment (a declined card, a failed 3-D Secure check).
Nothing was taken; the order stays payable, and the customer may try again. Sent once per
payment, however many times the customer is refused on the provider's page.

entry: the `failed` ledger entry; its `note` is the provider's reason, for the customer.
"""

payment_voided = MOVES["void"].signal
"""An authorization was released without taking the money: the order was cancelled (its stock
had run out, say), or another payment had already paid it.

entry: the `voided` ledger entry, its amount what is released.
"""

payment_refunded = MOVES["refund"].signal
"""Captured money was given back, part (`payment.status` is "partially_refunded") or all
("refunded"). Sent once per refund: a payment may be refunded several times.

entry: the `refunded` ledger entry, its amount this refund's.
"""
