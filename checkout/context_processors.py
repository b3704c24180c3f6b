from functools import cached_property

from django.db.models import Sum

from .models import CartItem
from .services import CART_SESSION_KEY


class CartSummary:
    """What the navbar shows of the cart; counted once, and only if a page shows it."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def count(self) -> int:
        """Units in the cart."""
        if self.request.user.is_authenticated:
            items = CartItem.objects.filter(cart__user=self.request.user)
        elif cart_id := self.request.session.get(CART_SESSION_KEY):
            items = CartItem.objects.filter(cart_id=cart_id, cart__user=None)
        else:
            return 0
        return items.aggregate(units=Sum("quantity"))["units"] or 0


def cart_summary(request) -> dict:
    return {"cart_summary": CartSummary(request)}
