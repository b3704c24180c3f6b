"""The shop's one money formatter: every amount a shopper, the admin or an e-mail reads.

Amounts are Decimals in a currency (settings.CURRENCY unless an order recorded another);
Babel's CLDR data knows each currency's symbol, its number of decimals and where the symbol
goes in the shop's locale (settings.MONEY_LOCALE): $1,234.50 in en_US, 1.234,50 € in de_DE.
Templates use the `money` filter (money/templatetags/money.py) and never write a
currency sign themselves.
"""

import functools
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency, get_currency_precision
from django.conf import settings


def format_money(amount: Decimal | int | str | None, currency: str | None = None) -> str:
    """`amount` in `currency` (the shop's by default), written for the shop's locale."""
    if amount is None or amount == "":
        return ""
    return _formatted(Decimal(amount), currency or settings.CURRENCY, settings.MONEY_LOCALE)


# Babel works out the pattern and symbol each time (about 0.1 ms); a page or an e-mail shows
# the same few prices again and again. The text depends on nothing but the three arguments.
@functools.lru_cache(maxsize=4096)
def _formatted(amount: Decimal, currency: str, locale: str) -> str:
    return format_currency(amount, currency, locale=locale)


def round_money(amount: Decimal, currency: str | None = None) -> Decimal:
    """`amount` rounded half-up to the smallest unit of `currency` (cents; yen have none).

    Half-up, as shoppers and tax offices round by hand, not Python's default half-even.
    """
    digits = get_currency_precision(currency or settings.CURRENCY)
    return amount.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def format_percent(rate: Decimal) -> str:
    """A percentage as people write it: 20 → "20", 7.50 → "7.5"."""
    text = f"{rate:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
