from functools import cached_property

from . import cartsize
from .services import CART_SESSION_KEY


class CartSummary:
    """What the navbar shows of the cart; counted once, and only if a page shows it."""

    def __init__(self, request):
        self.request = request

    @cached_property
    def count(self) -> int:
        """Units in the cart."""
        user = self.request.user
        if user.is_authenticated:
            return cartsize.units(user_id=user.pk)
        return cartsize.units(cart_id=self.request.session.get(CART_SESSION_KEY))


def cart_summary(request) -> dict:
    return {"cart_summary": CartSummary(request)}
