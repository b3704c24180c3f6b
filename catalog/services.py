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
    """`stock_take` found fewer units than asked for; `left` says how many there are."""

    def __init__(self, left: int):
        super().__init__(f"Only {left} left")
        self.left = left


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
    """Take `quantity` units, or raise `OutOfStock` taking none; return the units left.

    One conditional UPDATE (`quantity >= n`) takes them, so two sales racing for the last
    units cannot both win and stock never goes below zero. That UPDATE locks the row; reading
    it back in the same transaction gives the exact stock after the sale.
    """
    # Part of the caller's transaction (a confirmation) without a savepoint of its own: a
    # savepoint per line would cost two queries and buy nothing, as a refusal changed nothing
    # (it is raised outside the block, leaving the caller's transaction usable).
    with transaction.atomic(savepoint=False):
        taken = Product.objects.filter(pk=product_id, quantity__gte=quantity).update(
            quantity=F("quantity") - quantity, updated_at=Now()
        )
        left = Product.objects.filter(pk=product_id).values_list("quantity", flat=True).first()
        left = left or 0
        if taken:
            invalidate("catalog")  # the UPDATE sent no post_save: the cached pages must go
            _announce(product_id, before=left + quantity, after=left)
    if not taken:
        raise OutOfStock(left)
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
