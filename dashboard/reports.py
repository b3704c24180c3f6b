"""Reports staff take away: the orders of some days as CSV, and packing slips.

The CSV opens cleanly in a spreadsheet: UTF-8 with a byte order mark (Excel reads UTF-8
without one as its local code page), one row per order line, amounts as plain numbers with a
decimal point and no currency sign, and no cell a spreadsheet would run as a formula, however
a customer typed their name.
"""

import csv
from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from django.apps import apps
from django.db.models import Prefetch
from django.utils import timezone

from .queries import midnight

BYTE_ORDER_MARK = "\ufeff"
# A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = [
    "Order",
    "Placed",
    "Status",
    "Customer",
    "City",
    "Postal code",
    "Country",
    "Currency",
    "Product",
    "Quantity",
    "Unit price",
    "Line total",
    # The order's own amounts, on its first row only: each column then adds up to the
    # orders' totals, as a spreadsheet's sum expects.
    "Subtotal",
    "Shipping",
    "Tax",
    "Total",
]


def neutralise(value):
    """A cell as a spreadsheet must show it: text that starts like a formula gets a leading
    single quote, OWASP's advice, so that it is shown as the text it is and never run.
    Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def placed_between(start: date, end: date):
    """The orders placed from the start of `start` to the end of `end`, days in the shop's
    time zone, the oldest first, with their lines."""
    Order = apps.get_model("checkout", "Order")
    OrderLine = apps.get_model("checkout", "OrderLine")
    return (
        Order.objects.filter(created_at__gte=midnight(start))
        .filter(created_at__lt=midnight(end + timedelta(days=1)))
        .order_by("created_at", "pk")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("pk")))
    )


def order_rows(orders: Iterable) -> Iterator[list]:
    """One row per line of each order (columns as COLUMNS), neutralised."""
    for order in orders:
        placed = timezone.localtime(order.created_at).strftime("%Y-%m-%d %H:%M")
        for index, line in enumerate(order.lines.all()):
            row = [
                order.pk,
                placed,
                order.get_status_display(),
                order.shipping_name,
                order.city,
                order.postal_code,
                str(order.country),  # the ISO 3166 code
                order.currency,
                line.product_name,
                line.quantity,
                line.unit_price,
                line.line_total,
            ]
            if index == 0:
                row += [order.subtotal, order.shipping, order.tax, order.total_price]
            else:
                row += [""] * 4
            yield [neutralise(value) for value in row]


class _Passthrough:
    """A file-like object whose write returns what it was given: csv.writer then produces
    one line at a time for a streaming response."""

    def write(self, text: str) -> str:
        return text


def orders_csv(orders) -> Iterator[str]:
    """The CSV of `orders`, a piece at a time: the byte order mark, the header, the rows.

    Text is quoted, numbers are not (QUOTE_NONNUMERIC), so a spreadsheet reads every amount
    and count as a number, written with a decimal point.
    """
    writer = csv.writer(_Passthrough(), quoting=csv.QUOTE_NONNUMERIC)
    yield BYTE_ORDER_MARK + writer.writerow(COLUMNS)
    # In chunks, each with its lines: memory stays flat over a year of orders.
    for row in order_rows(orders.iterator(chunk_size=500)):
        yield writer.writerow(row)
