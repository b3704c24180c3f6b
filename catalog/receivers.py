"""What the catalog does when other parts of the shop send signals.

Checkout never calls the catalog to move stock: it announces `order_confirmed` and
`order_cancelled`, and these receivers keep the stock true.
"""

from django.db.models import F
from django.db.models.functions import Now

from checkout.signals import OrderRefused
from storefront.pagecache import invalidate

from .models import Product


def take_stock(sender, order, **kwargs):
    """order_confirmed: take every line's units from stock, or refuse the confirmation.

    Runs inside the confirming transaction. Each line is one conditional UPDATE
    (`quantity >= n`), so two confirmations racing for the last units cannot both win and
    stock never goes below zero; a line that finds too little raises, and the whole
    confirmation, stock already taken for earlier lines included, rolls back.
    """
    for line in order.lines.all():
        taken = Product.objects.filter(pk=line.product_id, quantity__gte=line.quantity).update(
            quantity=F("quantity") - line.quantity, updated_at=Now()
        )
        if not taken:
            stock = Product.objects.filter(pk=line.product_id).values_list("quantity", flat=True)
            left = stock.first() or 0
            if left == 0:
                raise OrderRefused(
                    f"{line.product_name} is sold out, so this order cannot be confirmed."
                )
            raise OrderRefused(
                f"Only {left} of {line.product_name} left, but this order needs {line.quantity}. "
                "Nothing was confirmed."
            )
    # The stock moved through UPDATEs, which send no post_save: say so to the page cache.
    invalidate("catalog")


def put_stock_back(sender, order, **kwargs):
    """order_cancelled: return the units of a cancelled order, if its confirmation took them."""
    if not order.confirmed:
        return
    for line in order.lines.all():
        Product.objects.filter(pk=line.product_id).update(
            quantity=F("quantity") + line.quantity, updated_at=Now()
        )
    invalidate("catalog")


def forget_catalog_pages(sender, **kwargs):
    """post_save / post_delete of a Product, ProductImage or Category (the admin, a shell,
    seed_demo): cached catalog pages show it, so they go once the change commits."""
    invalidate("catalog")
