"""What checkout does when other parts of the system send signals."""

from payments.signals import payment_authorized

from . import tasks
from .models import Cart
from .services import (
    CART_SESSION_KEY,
    CheckoutError,
    cart_for,
    cart_merge,
    order_cancel,
    order_confirm,
)
from .signals import OrderRefused

# What the customer is told of their money when an order paid for cannot be filled.
MONEY_RELEASED = "The amount held on your card is released: you are not charged for it."
MONEY_RETURNED = "What you paid for it is refunded."


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


def confirm_paid_order(sender, payment, signal, **kwargs):
    """payment_authorized, payment_captured: money is held or paid for an order, so the system
    confirms it (the catalog then takes its stock).

    Inside the payment's transaction. If the confirmation is refused (its stock ran out while
    the customer paid), it rolls back to its savepoint (order_confirm's own atomic block) and
    the system cancels the order instead, with the reason for the customer; the payments app
    hears order_cancelled and gives the money back. An order that no longer awaits payment
    (cancelled meanwhile, or already paid) is left as it is: the payments app settles money
    that came for an order decided before it.
    """
    try:
        order_confirm(order=payment.order_id, by_system=True)
    except OrderRefused as refusal:
        returned = MONEY_RELEASED if signal is payment_authorized else MONEY_RETURNED
        order_cancel(order=payment.order_id, by_system=True, reason=f"{refusal} {returned}")
    except CheckoutError:
        pass


def book_unpaid_order_cancellation(sender, **kwargs):
    """worker_started: make sure a round of cancelling long-unpaid orders is booked."""
    tasks.schedule_unpaid_cancellation()
