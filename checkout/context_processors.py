from django.db.models import Sum
from django.utils.functional import SimpleLazyObject

from .models import CartItem
from .services import CART_SESSION_KEY


def cart_count(request) -> dict:
    """`cart_count` for the navbar badge: units in the cart, counted only if a page shows it."""

    def count() -> int:
        if request.user.is_authenticated:
            items = CartItem.objects.filter(cart__user=request.user)
        elif cart_id := request.session.get(CART_SESSION_KEY):
            items = CartItem.objects.filter(cart_id=cart_id, cart__user=None)
        else:
            return 0
        return items.aggregate(units=Sum("quantity"))["units"] or 0

    return {"cart_count": SimpleLazyObject(count)}
