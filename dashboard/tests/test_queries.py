"""What the dashboard reads: sales from the orders as stored, on the shop's days, the to-do
lists, in a fixed number of queries, kept for a minute at most."""

import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tests.factories import UserFactory
from alerts.models import StockSubscription
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from checkout.models import Order
from checkout.tests.factories import OrderFactory
from dashboard import queries
from dashboard.queries import Sales, dashboard, read_dashboard
from outbox.tests.factories import OutboundEmailFactory

from .factories import sale

pytestmark = pytest.mark.django_db

# Saturday 28 November 2026, 10:00 in New York (15:00 UTC).
NOW = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def new_york(settings):
    """The shop's days are New York's: five hours behind UTC in November."""
    settings.TIME_ZONE = "America/New_York"
    settings.CURRENCY = "USD"


def utc(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def test_a_sale_counts_on_the_shops_day_it_was_confirmed_at_its_stored_total():
    sale(utc(28, 3, 30), "25.00")  # 22:30 on the 27th in New York
    sale(utc(28, 6, 0), "40.00")  # 01:00 on the 28th

    board = read_dashboard(NOW)

    *_, friday, saturday = board.days
    assert (friday.day.isoformat(), friday.sales) == ("2026-11-27", Sales(Decimal("25.00"), 1))
    assert (saturday.day.isoformat(), saturday.sales) == ("2026-11-28", Sales(Decimal("40.00"), 1))
    assert board.today == Sales(Decimal("40.00"), 1)


def test_only_orders_confirmed_and_not_cancelled_since_are_sales():
    OrderFactory(total_price=Decimal("100.00"))  # placed, never confirmed
    sale(utc(27, 12), "10.00")
    sale(utc(27, 12), "20.00", status=Order.Status.SHIPPED)
    sale(utc(27, 12), "30.00", status=Order.Status.DELIVERED)
    sale(utc(27, 12), "50.00", status=Order.Status.CANCELLED)

    board = read_dashboard(NOW)

    assert board.month == Sales(Decimal("60.00"), 3)
    assert board.cancelled == Sales(Decimal("50.00"), 1)


def test_revenue_is_what_the_orders_stored_not_what_the_products_cost_today():
    mug = ProductFactory(name="Enamel mug", price=Decimal("10.00"))
    order = OrderFactory(lines={mug: 2}, status=Order.Status.CONFIRMED, confirmed_at=utc(27, 12))
    Product.objects.filter(pk=mug.pk).update(price=Decimal("99.00"))

    board = read_dashboard(NOW)

    assert board.month.revenue == order.total_price  # goods, shipping and tax, as stored
    [best] = board.best_by_revenue
    assert (best["name"], best["units"], best["revenue"]) == (
        "Enamel mug",
        2,
        Decimal("20.00"),
    )


def test_orders_in_another_currency_are_not_added_to_the_shops():
    sale(utc(27, 12), "10.00")
    sale(utc(27, 12), "900.00", currency="EUR")

    assert read_dashboard(NOW).month == Sales(Decimal("10.00"), 1)


def test_the_chart_holds_the_last_thirty_days_oldest_first_days_without_sales_at_nothing():
    # New York keeps summer time (UTC-4) until 1 November: the first day began at 04:00 UTC.
    sale(utc(30, 3, 59, month=10), "5.00")  # 23:59 on 29 October there: a day too old
    sale(utc(30, 4, month=10), "7.00")  # midnight on 30 October, the first of the thirty
    sale(utc(30, 12, month=10), "11.00")
    sale(utc(1, 12), "13.00")

    board = read_dashboard(NOW)

    assert len(board.days) == 30
    assert board.days[0].day.isoformat() == "2026-10-30"
    assert board.days[-1].day.isoformat() == "2026-11-28"
    assert board.days[0].sales == Sales(Decimal("18.00"), 2)
    by_day = {day.day.isoformat(): day.sales for day in board.days}
    assert by_day["2026-11-01"] == Sales(Decimal("13.00"), 1)
    assert by_day["2026-11-02"] == Sales(Decimal(0), 0)
    assert board.month == Sales(Decimal("31.00"), 3)


def test_today_is_compared_with_the_same_weekday_last_week_by_the_same_time():
    sale(utc(21, 14), "20.00")  # last Saturday at 09:00 in New York: before 10:00
    sale(utc(21, 16), "80.00")  # last Saturday at 11:00: later in the day than it is now
    sale(utc(28, 14), "30.00")  # today at 09:00

    board = read_dashboard(NOW)

    assert board.last_week == Sales(Decimal("20.00"), 1)
    assert board.today == Sales(Decimal("30.00"), 1)
    assert board.change_on_last_week == 50


def test_the_average_order_is_the_revenue_over_the_orders_rounded_to_cents():
    for total in ["10.00", "10.00", "13.33"]:
        sale(utc(27, 12), total)

    assert read_dashboard(NOW).month.average == Decimal("11.11")
    assert Sales(Decimal(0), 0).average is None


def test_orders_to_ship_are_listed_the_longest_waiting_first_and_all_are_counted(settings):
    newer = sale(utc(28, 9))
    older = sale(utc(26, 9))
    sale(utc(25, 9), status=Order.Status.SHIPPED)
    OrderFactory()  # placed: not confirmed yet, nothing to ship
    for _ in range(queries.LIST_LENGTH):
        sale(utc(28, 12))

    board = read_dashboard(NOW)

    assert board.to_ship_count == queries.LIST_LENGTH + 2
    assert len(board.to_ship) == queries.LIST_LENGTH
    assert [row["pk"] for row in board.to_ship[:2]] == [older.pk, newer.pk]
    assert board.to_ship[0]["since"] == older.confirmed_at


def test_products_at_or_below_the_threshold_are_low_the_fewest_first(settings):
    settings.LOW_STOCK_THRESHOLD = 5
    ProductFactory(name="Plenty", quantity=6)
    ProductFactory(name="Five", quantity=5)
    ProductFactory(name="None", quantity=0)
    ProductFactory(name="Three", quantity=3)

    board = read_dashboard(NOW)

    assert [(p["name"], p["quantity"]) for p in board.low_stock] == [
        ("None", 0),
        ("Three", 3),
        ("Five", 5),
    ]
    assert board.low_stock_count == 3


def test_people_still_waiting_are_counted_for_each_sold_out_product():
    candles = ProductFactory(name="Beeswax candles", quantity=0)
    can = ProductFactory(name="Watering can", quantity=0)
    mug = ProductFactory(name="Mug", quantity=4)  # back already: its mail went out
    for email in ["a@example.com", "b@example.com"]:
        StockSubscription.objects.create(product=candles, email=email)
    StockSubscription.objects.create(product=candles, email="c@example.com", notified_at=NOW)
    StockSubscription.objects.create(product=can, email="a@example.com")
    StockSubscription.objects.create(product=mug, email="a@example.com")

    board = read_dashboard(NOW)

    assert [(row["product__name"], row["subscribers"]) for row in board.waiting] == [
        ("Beeswax candles", 2),
        ("Watering can", 1),
    ]


def test_failed_mail_is_listed_newest_first():
    first = OutboundEmailFactory(failed=True)
    second = OutboundEmailFactory(failed=True)
    OutboundEmailFactory(sent=True)
    OutboundEmailFactory()  # still trying

    board = read_dashboard(NOW)

    assert [mail["pk"] for mail in board.failed_mail] == [second.pk, first.pk]
    assert board.failed_mail_count == 2


def test_best_sellers_by_units_and_by_revenue_come_from_the_sales_lines():
    cheap = ProductFactory(name="Tea towel", price=Decimal("5.00"))
    dear = ProductFactory(name="Skillet", price=Decimal("100.00"))
    never = ProductFactory(name="Returned", price=Decimal("500.00"))
    OrderFactory(lines={cheap: 6}, status=Order.Status.CONFIRMED, confirmed_at=utc(27, 9))
    OrderFactory(lines={cheap: 4, dear: 1}, status=Order.Status.CONFIRMED, confirmed_at=utc(26, 9))
    OrderFactory(
        lines={never: 9},
        status=Order.Status.CANCELLED,
        confirmed_at=utc(26, 9),
        cancelled_at=utc(26, 10),
    )

    board = read_dashboard(NOW)

    by_units = [(row["name"], row["units"]) for row in board.best_by_units]
    by_revenue = [(row["name"], row["revenue"]) for row in board.best_by_revenue]
    assert by_units == [("Tea towel", 10), ("Skillet", 1)]
    assert by_revenue == [("Skillet", Decimal("100.00")), ("Tea towel", Decimal("50.00"))]


def test_orders_awaiting_payment_are_listed_the_longest_waiting_first():
    sale(utc(27, 12))
    older, newer = OrderFactory(), OrderFactory()
    Order.objects.filter(pk=older.pk).update(created_at=utc(26, 9))
    Order.objects.filter(pk=newer.pk).update(created_at=utc(27, 9))

    board = read_dashboard(NOW)

    assert queries.AWAITING_PAYMENT == (Order.Status.PLACED,)
    assert board.awaiting_payment_count == 2
    assert [waiting["pk"] for waiting in board.awaiting_payment] == [older.pk, newer.pk]


# The dashboard's queries: one pass of aggregates over the orders, the days, the orders to
# ship, the orders awaiting payment, low stock (rows and count), the waiting, failed mail
# (rows and count), the products sold and the best sellers' names.
QUERY_BUDGET = 11


def test_the_dashboard_reads_in_a_fixed_number_of_queries_however_many_orders():
    product = ProductFactory(quantity=2)
    StockSubscription.objects.create(product=ProductFactory(quantity=0), email="a@example.com")
    OutboundEmailFactory(failed=True)
    customer = UserFactory()

    def queries_with(orders: int) -> int:
        for n in range(orders):
            at = NOW - timedelta(days=n % 35, hours=1)
            OrderFactory(
                customer=customer,
                lines={product: 1},
                status=Order.Status.CONFIRMED,
                confirmed_at=at,
            )
        with CaptureQueriesContext(connection) as captured:
            read_dashboard(NOW)
        return len(captured)

    assert queries_with(3) == QUERY_BUDGET
    assert queries_with(100) == QUERY_BUDGET  # 103 orders, over more days


def test_the_dashboard_is_kept_for_a_minute_and_no_longer(settings, monkeypatch):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    first = dashboard()
    sale(timezone.now(), "30.00")

    with CaptureQueriesContext(connection) as captured:
        again = dashboard()
    assert (len(captured), again.as_of, again.today.orders) == (0, first.as_of, 0)
    assert dashboard(fresh=True).today.orders == 1

    sale(timezone.now(), "30.00")
    later = time.time() + queries.CACHE_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)  # the cache's clock, a minute on
    assert dashboard().today.orders == 2


def test_forgetting_the_dashboard_reads_it_afresh_next_time(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    dashboard()
    sale(timezone.now(), "30.00")

    queries.forget()

    assert dashboard().today.orders == 1


def test_sums_of_money_are_exact_to_the_cent_on_every_database():
    """SQLite adds decimals up as floating-point numbers; the sums still come out in cents."""
    for total in ["1234567.89", "9876543.21", "0.07", "0.10", "0.20"]:
        sale(utc(28, 14), total)
    towel = ProductFactory(name="Tea towel", price=Decimal("0.10"))
    OrderFactory(lines={towel: 3}, status=Order.Status.CONFIRMED, confirmed_at=utc(27, 14))

    board = read_dashboard(NOW)

    assert str(board.today.revenue) == "11111111.47"
    assert str(board.days[-1].sales.revenue) == "11111111.47"
    assert str(board.best_by_revenue[0]["revenue"]) == "0.30"
