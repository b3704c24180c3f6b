"""Every change to stock, and the stock events it causes.

Stock changes in four ways: a confirmation takes it (`stock_take`), a cancellation gives it
back and staff restock (`restock`), and staff set it in the admin (`product_save`). Each locks
the product's row, so it knows exactly what the stock was before and after, and announces
the transitions other apps care about (`catalog.signals`): back in stock (0 → more) and low
stock (crossing LOW_STOCK_THRESHOLD downward). They are detected here rather than in a
`post_save` receiver because most of these changes are UPDATEs, which send no `post_save`.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, When
from django.db.models.functions import Now

from .models import Product
from .pages import catalog as catalog_pages
from .signals import back_in_stock, stock_low


class OutOfStock(Exception):
    """`stock_take` found fewer units of `product_id` than asked for; `left` says how many."""

    def __init__(self, left: int, product_id: int | None = None):
        super().__init__(f"Only {left} left")
        self.left = left
        self.product_id = product_id


def _locked_stock(product_id: int) -> int:
    # The row stays locked until the commit: a racing change waits, then reads our result.
    return Product.objects.select_for_update().values_list("quantity", flat=True).get(pk=product_id)


def _announce(product_id: int, before: int, after: int) -> None:
    """Send the signals the move from `before` to `after` units calls for."""
    threshold = settings.LOW_STOCK_THRESHOLD
    came_back = before <= 0 < after
    ran_low = before > threshold >= after
    if not (came_back or ran_low):
        return
    product = Product.objects.get(pk=product_id)
    if came_back:
        back_in_stock.send(sender=Product, product=product)
    if ran_low:
        stock_low.send(sender=Product, product=product, quantity=after)


def stock_take(*, product_id: int, quantity: int) -> int:
    """Take `quantity` units, or raise `OutOfStock` taking none; return the units left."""
    return stock_take_lines([(product_id, quantity)])[product_id]


def stock_take_lines(lines: list[tuple[int, int]]) -> dict[int, int]:
    """Take the units of every (product_id, quantity) line, or raise `OutOfStock` for the
    first product (by id) that has too few, taking none; return the units left of each
    product.

    Two round trips, however many lines: one locked read of every product's stock, in
    product-id order (the order every stock change locks rows in, so two confirmations
    sharing products can never wait on each other in a cycle), and one UPDATE that takes
    every line's units. The rows stay locked until the commit, so the stock read is the
    stock the UPDATE changes, and the exact stock before and after the sale gives the
    announcements. The UPDATE is conditional all the same (`quantity >= n` on each row), so
    stock can never go below zero: should a row have moved despite the lock, the sale is
    refused, and the caller's transaction rolls back what the other rows gave.
    """
    wanted: dict[int, int] = {}
    for product_id, quantity in lines:  # one line per product; two would add up
        wanted[product_id] = wanted.get(product_id, 0) + quantity
    # Part of the caller's transaction (a confirmation) without a savepoint of its own: a
    # refusal is raised outside the block, leaving the caller's transaction usable, as it
    # changed nothing.
    with transaction.atomic(savepoint=False):
        before = dict(
            Product.objects.select_for_update()
            .filter(pk__in=wanted)
            .order_by("pk")
            .values_list("pk", "quantity")
        )
        short = next(
            (
                OutOfStock(before.get(product_id, 0), product_id=product_id)
                for product_id, quantity in sorted(wanted.items())
                if before.get(product_id, 0) < quantity
            ),
            None,
        )
        if short is None:
            rows = Q()
            for product_id, quantity in wanted.items():
                rows |= Q(pk=product_id, quantity__gte=quantity)
            taken = Product.objects.filter(rows).update(
                quantity=Case(
                    *(When(pk=pk, then=F("quantity") - n) for pk, n in wanted.items()),
                    default=F("quantity"),
                ),
                updated_at=Now(),
            )
            if taken != len(wanted):
                # Not while the read's locks hold; should a row have moved all the same,
                # refuse with the stock of the first product the UPDATE found short.
                now = dict(Product.objects.filter(pk__in=wanted).values_list("pk", "quantity"))
                product_id = next(
                    pk for pk in sorted(wanted) if now.get(pk) != before[pk] - wanted[pk]
                )
                short = OutOfStock(now.get(product_id, 0), product_id=product_id)
    if short is not None:
        raise short
    with transaction.atomic(savepoint=False):
        catalog_pages.forget()  # the UPDATE sent no post_save: the cached pages must go
        left = {product_id: before[product_id] - n for product_id, n in wanted.items()}
        for product_id in sorted(wanted):
            _announce(product_id, before=before[product_id], after=left[product_id])
    return left


def restock(*, product: Product | int, quantity: int) -> int:
    """Add `quantity` units (staff restocking, a cancelled order's units coming back).

    Announces `back_in_stock` if the product was sold out. The row is locked while its stock
    is read and raised, so of two restocks racing from 0 exactly one finds 0 and announces.
    Returns the new stock.
    """
    if quantity < 1:
        raise ValueError("A restock adds at least one unit.")
    product_id = product if isinstance(product, int) else product.pk
    # Part of the caller's transaction (a cancellation), or one of its own.
    with transaction.atomic(savepoint=False):
        before = _locked_stock(product_id)
        Product.objects.filter(pk=product_id).update(
            quantity=F("quantity") + quantity, updated_at=Now()
        )
        catalog_pages.forget()
        _announce(product_id, before=before, after=before + quantity)
    return before + quantity


@transaction.atomic
def product_save(*, product: Product) -> Product:
    """Save a product edited as a whole (the admin's form or list), stock included.

    A changed stock is announced as any other: set from 0 to 12 it is back in stock; from 20
    to 3 it ran low. A new product announces nothing (nobody can wait for what was not there).
    """
    before = _locked_stock(product.pk) if product.pk else None
    product.save()
    if before is not None:
        _announce(product.pk, before=before, after=product.quantity)
    return product
