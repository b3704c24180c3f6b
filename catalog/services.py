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
from django.db.models import F
from django.db.models.functions import Now

from storefront.pagecache import invalidate

from .models import Product
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
    first line that finds too few (the caller's transaction then rolls back what earlier
    lines took); return the units left of each product.

    One conditional UPDATE (`quantity >= n`) per line takes them, so two sales racing for the
    last units cannot both win and stock never goes below zero. Each UPDATE locks its row;
    one read of all of them afterwards, in the same transaction, gives the exact stock after
    the sale, from which the announcements follow. Lines come in product-id order (the
    caller's), the order every stock change locks rows in.
    """
    # Part of the caller's transaction (a confirmation) without a savepoint of its own: a
    # savepoint per line would cost two queries and buy nothing, as a refusal changed nothing
    # (it is raised outside the block, leaving the caller's transaction usable).
    short = None
    with transaction.atomic(savepoint=False):
        for product_id, quantity in lines:
            taken = Product.objects.filter(pk=product_id, quantity__gte=quantity).update(
                quantity=F("quantity") - quantity, updated_at=Now()
            )
            if not taken:
                left = Product.objects.filter(pk=product_id).values_list("quantity", flat=True)
                short = OutOfStock(left.first() or 0, product_id=product_id)
                break
    if short is not None:
        raise short
    with transaction.atomic(savepoint=False):
        left = dict(
            Product.objects.filter(pk__in=[product_id for product_id, _ in lines]).values_list(
                "pk", "quantity"
            )
        )
        invalidate("catalog")  # the UPDATEs sent no post_save: the cached pages must go
        for product_id, quantity in lines:
            _announce(product_id, before=left[product_id] + quantity, after=left[product_id])
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
        invalidate("catalog")
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
