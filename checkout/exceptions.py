class CheckoutError(Exception):
    """A checkout action that cannot happen. The message is written for the customer."""


class OrderRefused(CheckoutError):
    """Raised by an `order_confirmed` receiver to refuse the confirmation (e.g. out of stock)."""
