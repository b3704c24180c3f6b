"""What the catalog does when other parts of the shop send signals.

Checkout never calls the catalog to move stock: it announces `order_confirmed` and
`order_cancelled`, and these receivers keep the stock true.
"""

from checkout.signals import OrderRefused

from .services import OutOfStock, restock, stock_take_lines


def take_stock(sender, order, **kwargs):
    """order_confirmed: take every line's units from stock, or refuse the confirmation.

    Runs inside the confirming transaction, through `catalog.services.stock_take_lines` (which
    announces a product running low). A line that finds too little raises, and the whole
    confirmation, stock already taken for earlier lines included, rolls back.
    """
    lines = list(order.lines.all())
    try:
        stock_take_lines([(line.product_id, line.quantity) for line in lines])
    except OutOfStock as short:
        line = next(line for line in lines if line.product_id == short.product_id)
        if short.left == 0:
            raise OrderRefused(
                f"{line.product_name} is sold out, so this order cannot be confirmed."
            ) from None
        raise OrderRefused(
            f"Only {short.left} of {line.product_name} left, but this order needs "
            f"{line.quantity}. Nothing was confirmed."
        ) from None


def put_stock_back(sender, order, **kwargs):
    """order_cancelled: return the units of a cancelled order, if its confirmation took them.

    Through `catalog.services.restock`, so a product this brings back from 0 is announced as
    back in stock. The lines come in product-id order, the order every stock change locks in.
    """
    if not order.was_confirmed:
        return
    for line in order.lines.all():
        restock(product=line.product_id, quantity=line.quantity)
