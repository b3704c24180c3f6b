"""What the dashboard shows, read in a fixed number of queries however many orders there are.

Every number comes from the orders as stored: the totals the customers agreed to, summed by
the database, never recomputed from today's prices. What counts, as the page says too:

- A **sale** is an order confirmed and not cancelled since (checkout's table: the states in
  which the "confirm" move is made). It counts on the day it was confirmed, at its stored
  total (goods, shipping and tax), in the shop's currency.
- An order is **to ship** while staff may ship it (the table's "ship" move), and has waited
  since it came into that state.
- **Days** are the shop's (settings.TIME_ZONE), midnight to midnight.

The result is kept in the cache for at most a minute (`CACHE_SECONDS`), and dropped by the
dashboard's own actions, so that a restock or a re-send shows at once.
"""

import heapq
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Count, DecimalField, F, Q, Sum, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from checkout.signals import MOVES
from money.formatting import round_money

DAYS = 30
CACHE_KEY = "dashboard:v1"
CACHE_SECONDS = 60
# Rows each to-do list shows, the most pressing first; its heading counts them all.
LIST_LENGTH = 20
BEST_SELLERS = 5

CONFIRM, SHIP, CANCEL = MOVES["confirm"], MOVES["ship"], MOVES["cancel"]
# Confirmed, or moved on from there (shipped, delivered); not cancelled, even if it was
# confirmed first.
SOLD = (CONFIRM.to, *CONFIRM.done_in)

# Orders awaiting payment: those only the system may confirm, which it does when their money
# arrives (a card's authorization, a bank transfer staff record). An empty tuple would cost no
# query and leave the list out of the page.
AWAITING_PAYMENT: tuple[str, ...] = CONFIRM.system

# A line's amount as stored: its unit price when the order was placed, times its quantity.
LINE_AMOUNT = DecimalField(max_digits=14, decimal_places=2)


@dataclass(frozen=True)
class Sales:
    """Sales over some time: what they brought in, and how many orders."""

    revenue: Decimal
    orders: int

    @property
    def average(self) -> Decimal | None:
        """The average order value, or None without orders."""
        return round_money(self.revenue / self.orders) if self.orders else None


@dataclass(frozen=True)
class Day:
    day: date
    sales: Sales


@dataclass(frozen=True)
class Dashboard:
    """Everything the dashboard shows, as plain values that keep in the cache."""

    as_of: datetime
    currency: str
    # To do. Each list holds at most LIST_LENGTH rows; its count says how many there are.
    to_ship: list[dict]
    to_ship_count: int
    awaiting_payment: list[dict]
    awaiting_payment_count: int
    low_stock: list[dict]
    low_stock_count: int
    waiting: list[dict]  # sold-out products with the subscribers waiting for each
    failed_mail: list[dict]
    failed_mail_count: int
    # How it goes.
    days: list[Day]  # the last DAYS days, oldest first, today last
    today: Sales
    last_week: Sales  # the same weekday a week ago, up to the same time of day
    cancelled: Sales  # orders cancelled in the last DAYS days, at their stored totals
    best_by_units: list[dict]
    best_by_revenue: list[dict]

    @property
    def month(self) -> Sales:
        """The sales of the last DAYS days together."""
        return Sales(
            revenue=sum((day.sales.revenue for day in self.days), Decimal(0)),
            orders=sum(day.sales.orders for day in self.days),
        )

    @property
    def change_on_last_week(self) -> int | None:
        """Today's revenue against the same weekday last week by the same time, in whole
        percent up (or down, negative); None when that day had no sales to compare with."""
        before = self.last_week.revenue
        if not before:
            return None
        return round((self.today.revenue - before) / before * 100)


def dashboard(*, fresh: bool = False) -> Dashboard:
    """The dashboard from the cache when it holds one at most CACHE_SECONDS old, else read
    now (and kept). `fresh` reads it now whatever the cache holds."""
    found = None if fresh else cache.get(CACHE_KEY)
    if found is None:
        found = read_dashboard()
        cache.set(CACHE_KEY, found, CACHE_SECONDS)
    return found


def forget() -> None:
    """Drop the cached dashboard: the next look reads it afresh (after a restock, a re-send)."""
    cache.delete(CACHE_KEY)


def read_dashboard(now: datetime | None = None) -> Dashboard:
    """Read everything the dashboard shows from the database, as of `now`."""
    now = timezone.localtime(now or timezone.now(), timezone.get_default_timezone())
    today = now.date()
    first_day = today - timedelta(days=DAYS - 1)
    since = midnight(first_day)
    a_week_ago = today - timedelta(days=7)
    confirmed = CONFIRM.stamp  # the field that keeps when the order was confirmed

    def sales(begin: datetime, end: datetime | None = None) -> dict:
        """Aggregates of the sales confirmed from `begin` (until `end`)."""
        when = Q(**{f"{confirmed}__gte": begin})
        if end:
            when &= Q(**{f"{confirmed}__lt": end})
        return {
            "revenue": Sum("total_price", filter=_sold() & when, default=Decimal(0)),
            "orders": Count("pk", filter=_sold() & when),
        }

    Order = apps.get_model("checkout", "Order")
    cancelled = Q(status=CANCEL.to, currency=settings.CURRENCY, **{f"{CANCEL.stamp}__gte": since})
    # One pass over the orders for every total, each an aggregate with its own filter, over
    # the orders one of them may count: the month's, and those waiting for the shop.
    counted = (
        Q(**{f"{confirmed}__gte": since})
        | Q(**{f"{CANCEL.stamp}__gte": since})
        | Q(status__in=[*SHIP.staff, *AWAITING_PAYMENT])
    )
    totals = Order.objects.filter(counted).aggregate(
        **_prefixed("today_", sales(midnight(today))),
        # The same weekday last week, up to the same time of day: a fair match for a day
        # that is not over yet.
        **_prefixed("last_week_", sales(midnight(a_week_ago), _at(a_week_ago, now.time()))),
        cancelled_revenue=Sum("total_price", filter=cancelled, default=Decimal(0)),
        cancelled_orders=Count("pk", filter=cancelled),
        to_ship_count=Count("pk", filter=Q(status__in=SHIP.staff)),
        awaiting_payment_count=Count("pk", filter=Q(status__in=AWAITING_PAYMENT)),
    )

    # The days are the shop's: the database truncates each confirmation time to its date in
    # settings.TIME_ZONE.
    per_day = {
        row["day"]: Sales(revenue=cents(row["revenue"]), orders=row["orders"])
        for row in Order.objects.filter(_sold(), **{f"{confirmed}__gte": since})
        .annotate(day=TruncDate(confirmed, tzinfo=now.tzinfo))
        .values("day")
        .annotate(revenue=Sum("total_price"), orders=Count("pk"))
        .order_by("day")
    }
    no_sales = Sales(revenue=Decimal(0), orders=0)
    days = [first_day + timedelta(days=n) for n in range(DAYS)]

    return Dashboard(
        as_of=now,
        currency=settings.CURRENCY,
        to_ship=_waiting_orders(SHIP.staff),
        to_ship_count=totals["to_ship_count"],
        awaiting_payment=_waiting_orders(AWAITING_PAYMENT),
        awaiting_payment_count=totals["awaiting_payment_count"],
        **_stock(),
        **_failed_mail(),
        days=[Day(day, per_day.get(day, no_sales)) for day in days],
        today=Sales(revenue=cents(totals["today_revenue"]), orders=totals["today_orders"]),
        last_week=Sales(
            revenue=cents(totals["last_week_revenue"]), orders=totals["last_week_orders"]
        ),
        cancelled=Sales(
            revenue=cents(totals["cancelled_revenue"]), orders=totals["cancelled_orders"]
        ),
        **_best_sellers(since),
    )


def _sold(path: str = "") -> Q:
    """Sales in the shop's currency: orders, or what reaches them through `path` ("order__")."""
    return Q(**{f"{path}status__in": SOLD, f"{path}currency": settings.CURRENCY})


def _waiting_orders(states) -> list[dict]:
    """Orders in `states`, the longest waiting first, each with the time it came into its
    state (`since`: the stamp of the move that led there; created_at for the first state)."""
    if not states:
        return []
    Order = apps.get_model("checkout", "Order")
    stamps = {move.to: move.stamp for move in MOVES.values()}
    since = Case(*(When(status=state, then=F(stamps.get(state, "created_at"))) for state in states))
    return list(
        Order.objects.filter(status__in=states)
        .annotate(since=since)
        .order_by("since", "pk")
        .values("pk", "shipping_name", "city", "country", "currency", "total_price", "since")[
            :LIST_LENGTH
        ]
    )


def _stock() -> dict:
    """Products at or below the low-stock threshold, the fewest units first, and the sold-out
    products people wait for, the most waited-for first."""
    Product = apps.get_model("catalog", "Product")
    StockSubscription = apps.get_model("alerts", "StockSubscription")
    low = Product.objects.filter(quantity__lte=settings.LOW_STOCK_THRESHOLD)
    return {
        "low_stock": list(
            low.order_by("quantity", "name").values("pk", "name", "quantity")[:LIST_LENGTH]
        ),
        "low_stock_count": low.count(),
        "waiting": list(
            StockSubscription.objects.waiting()
            .filter(product__quantity__lte=0)
            .values("product", "product__name")
            .annotate(subscribers=Count("pk"))
            .order_by("-subscribers", "product__name")[:LIST_LENGTH]
        ),
    }


def _failed_mail() -> dict:
    """Mail the outbox gave up on, the newest first."""
    OutboundEmail = apps.get_model("outbox", "OutboundEmail")
    failed = OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED)
    return {
        "failed_mail": list(
            failed.order_by("-created_at", "-pk").values(
                "pk", "to", "subject", "last_error", "created_at"
            )[:LIST_LENGTH]
        ),
        "failed_mail_count": failed.count(),
    }


def _best_sellers(since: datetime) -> dict:
    """The products of the last DAYS days' sales that sold the most units, and those that
    brought in the most, from the lines as stored, each with its name."""
    Order = apps.get_model("checkout", "Order")
    OrderLine = apps.get_model("checkout", "OrderLine")
    Product = apps.get_model("catalog", "Product")
    sales = Order.objects.filter(_sold(), **{f"{CONFIRM.stamp}__gte": since}).values("pk")
    # One pass adds up every product sold, and both rankings are taken from it here: a row
    # per product is cheaper to send than a second pass over the lines is to make. The lines
    # are found through their orders (`order_id IN (...)`): SQLite would otherwise walk every
    # line ever sold and look its order up, five times slower.
    sold = list(
        OrderLine.objects.filter(order__in=sales)
        .values("product")
        .annotate(
            units=Sum("quantity"),
            revenue=Sum(F("unit_price") * F("quantity"), output_field=LINE_AMOUNT),
        )
        .order_by()
    )
    best = {
        ranking: heapq.nlargest(BEST_SELLERS, sold, key=lambda row: (row[by], -row["product"]))
        for ranking, by in [("best_by_units", "units"), ("best_by_revenue", "revenue")]
    }
    wanted = {row["product"] for rows in best.values() for row in rows}
    names = dict(Product.objects.filter(pk__in=wanted).values_list("pk", "name"))
    return {
        ranking: [
            {**row, "revenue": cents(row["revenue"]), "name": names[row["product"]]} for row in rows
        ]
        for ranking, rows in best.items()
    }


def cents(amount: Decimal) -> Decimal:
    """A sum of money from the database, in the currency's smallest unit: SQLite adds
    decimals up as floating-point numbers (11845509.0499999900 for 11845509.05)."""
    return round_money(amount)


def midnight(day: date) -> datetime:
    """When `day` begins in the shop's time zone."""
    return _at(day, time())


def _at(day: date, wall_clock: time) -> datetime:
    """The moment the shop's clocks show `wall_clock` on `day`."""
    return datetime.combine(day, wall_clock, tzinfo=timezone.get_default_timezone())


def _prefixed(prefix: str, aggregates: dict) -> dict:
    return {f"{prefix}{name}": value for name, value in aggregates.items()}
