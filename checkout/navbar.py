"""What every page's navbar shows of the cart: the number of units in it.

Registered with the page cache as the personal value "cart_count" (base.html's cart badge),
so a page shared through the cache gets each shopper's own count. It runs on every page a
shopper with a session sees, so it reads the count's copy in the cache (checkout.cartsize)
and renders the badge once per count, not once per page.
"""

import functools

from django.template.loader import render_to_string

from pagecache.pages import personal_value

from . import cartsize
from .models import CART_SESSION_KEY


@personal_value("cart_count")
def cart_count(request) -> str:
    """The badge's text for the visitor: their cart's units, in words for screen readers."""
    if request.user.is_authenticated:
        return badge(cartsize.units(user_id=request.user.pk))
    return badge(cartsize.units(cart_id=request.session.get(CART_SESSION_KEY)))


@functools.lru_cache(maxsize=256)
def badge(count: int) -> str:
    """The badge's text for `count` units. The template reads nothing but the count, so
    each count renders to the same text, once."""
    return render_to_string("checkout/cart_badge.html", {"count": count})
