"""The events the catalog publishes about stock. The catalog does not know who listens.

Both are sent by `catalog.services`, inside the transaction that changes the stock and after
the change, with the product's row locked until the commit, whichever way the stock moved (a
confirmation, a cancellation, the admin, a shell). They are never sent for a change made by
`QuerySet.update()` or raw SQL outside those services. A receiver runs inside that
transaction: if it raises, the stock change rolls back with it, so receivers that talk to the
outside world queue their work (the outbox's `queue_email`) instead of doing it.
"""

from django.dispatch import Signal

back_in_stock = Signal()
"""A sold-out product has stock again: its quantity went from 0 to more than 0.

sender: the `catalog.models.Product` class.
product: the `Product`, with its new `quantity`.
Sent once per return: however many restocks race, only the one that found the product at 0
sends it (the row is locked while the stock is read and changed). More stock for a product
that was not sold out sends nothing.
"""

stock_low = Signal()
"""Taking stock made a product's quantity cross `settings.LOW_STOCK_THRESHOLD` downward.

sender: the `catalog.models.Product` class.
product: the `Product`, with its new `quantity`.
quantity: the units left (0 when the sale sold it out).
Sent once per crossing: a sale that leaves the stock at or below the threshold sends it only
if the stock was above the threshold before; further sales below it send nothing.
"""
