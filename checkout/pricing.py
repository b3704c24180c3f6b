"""What an order costs: subtotal, shipping, the tax included in it, and the total.

One function, `amounts_for`, does the sums for the cart, the checkout page and the order
placed from them, on the server and in Decimal, so what the shopper is shown is what the
order stores. Prices include tax (settings.TAX_RATE), and so does the flat shipping rate:
the tax is the part of the total that goes to the tax office, not an extra.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from money.formatting import format_percent, round_money


@dataclass(frozen=True)
class Amounts:
    """The money lines of a cart or an order, in `currency`."""

    currency: str
    subtotal: Decimal
    shipping: Decimal
    total: Decimal
    # The part of `total` that is tax, at `tax_rate` percent.
    tax: Decimal
    tax_rate: Decimal
    # How much more would make shipping free (None: it is free already, or never is).
    short_of_free_shipping: Decimal | None = None

    @property
    def tax_name(self) -> str:
        return settings.TAX_NAME

    @property
    def tax_percent(self) -> str:
        """The rate as people write it: "20", "7.5"."""
        return format_percent(self.tax_rate)

    def order_fields(self) -> dict:
        """The `Order` fields that store these amounts (`Order.amounts` reads them back)."""
        return {
            "currency": self.currency,
            "subtotal": self.subtotal,
            "shipping": self.shipping,
            "tax": self.tax,
            "tax_rate": self.tax_rate,
            "total_price": self.total,
        }


def shipping_for(subtotal: Decimal) -> Decimal:
    """The flat rate, or nothing from the free-shipping threshold on (and for an empty cart)."""
    threshold = settings.FREE_SHIPPING_THRESHOLD
    if subtotal <= 0 or (threshold and subtotal >= threshold):
        return Decimal("0.00")
    return settings.SHIPPING_FLAT_RATE


def amounts_for(subtotal: Decimal) -> Amounts:
    """The amounts for goods worth `subtotal`, at the shop's current rates and currency."""
    currency = settings.CURRENCY
    subtotal = round_money(subtotal, currency)
    shipping = round_money(shipping_for(subtotal), currency)
    total = subtotal + shipping
    rate = settings.TAX_RATE
    # Prices include tax: of a gross amount at rate r%, the tax is gross * r / (100 + r).
    tax = round_money(total * rate / (100 + rate), currency)
    threshold = settings.FREE_SHIPPING_THRESHOLD
    short = threshold - subtotal if shipping and threshold else None
    return Amounts(
        currency=currency,
        subtotal=subtotal,
        shipping=shipping,
        total=total,
        tax=tax,
        tax_rate=rate,
        short_of_free_shipping=short,
    )
