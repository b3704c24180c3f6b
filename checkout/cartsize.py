"""How many units a shopper's cart holds: the navbar's count on every page, from the cache.

Counting is a query (a join and a sum), and every page a shopper with a session sees shows the
count. So the count is kept as a copy in the cache (pagecache.rows) per cart owner: the
signed-in user, or the visitor's cart. The services that change a cart drop the copy
(`forget`), inside their transaction and again after it commits, so the next page counts
again. A change made any other way (a product deleted, taking its cart lines with it) shows
within COPY_TIMEOUT.
"""

from django.db.models import Sum

from pagecache import rows

from .models import Cart, CartItem

COPY_TIMEOUT = 10 * 60


def _key(*, user_id=None, cart_id=None) -> str:
    if user_id is not None:
        return f"checkout:cart-units:user:{user_id}"
    return f"checkout:cart-units:cart:{cart_id}"


def units(*, user_id=None, cart_id=None) -> int:
    """Units in the signed-in user's cart (`user_id`), or in a visitor's cart (`cart_id`)."""
    if user_id is None and cart_id is None:
        return 0
    key = _key(user_id=user_id, cart_id=cart_id)
    count = rows.get(key)
    if count is None:
        if user_id is not None:
            items = CartItem.objects.filter(cart__user_id=user_id)
        else:
            items = CartItem.objects.filter(cart_id=cart_id, cart__user=None)
        count = items.aggregate(units=Sum("quantity"))["units"] or 0
        rows.set(key, count, COPY_TIMEOUT)
    return count


def forget(cart: Cart) -> None:
    """After a change to `cart`'s lines: its owner's count is counted again."""
    rows.forget(_key(user_id=cart.user_id) if cart.user_id else _key(cart_id=cart.pk))
