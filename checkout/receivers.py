"""What checkout does when other parts of the system send signals."""

from .models import Cart
from .services import CART_SESSION_KEY, cart_for, cart_merge


def merge_visitor_cart(sender, request, user, **kwargs):
    """user_logged_in: move what a visitor put in their cart into the customer's cart.

    The session's data (with the visitor cart's id) survives the key change at sign-in.
    """
    if request is None or not hasattr(request, "session"):
        return
    cart_id = request.session.pop(CART_SESSION_KEY, None)
    visitor_cart = Cart.objects.filter(pk=cart_id, user=None).first() if cart_id else None
    if visitor_cart is not None:
        cart_merge(source=visitor_cart, target=cart_for(user=user, session=None, create=True))
