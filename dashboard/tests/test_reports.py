"""The orders as CSV, as a spreadsheet reads them: the right numbers, and no formulas."""

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductFactory
from checkout.models import Order
from checkout.tests.factories import OrderFactory
from dashboard.reports import COLUMNS, neutralise

pytestmark = pytest.mark.django_db

CSV = reverse("dashboard:orders_csv")


@pytest.fixture
def staff(client, settings):
    settings.TIME_ZONE = "America/New_York"
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def placed(order: Order, when: datetime) -> Order:
    Order.objects.filter(pk=order.pk).update(created_at=when)
    order.refresh_from_db()
    return order


def download(client, start: str, end: str):
    response = client.get(CSV, {"start": start, "end": end})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return response, b"".join(response.streaming_content)


def rows_of(body: bytes) -> list[dict]:
    """The CSV's rows, read as UTF-8 after its byte order mark, each {column: text}."""
    assert body.startswith("\ufeff".encode())
    reader = csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    rows = list(reader)
    assert reader.fieldnames == COLUMNS
    return rows


def total(rows: list[dict], column: str) -> Decimal:
    """A column's sum, as a spreadsheet adds it up (empty cells count for nothing)."""
    return sum((Decimal(row[column] or 0) for row in rows), Decimal(0))


def test_the_csv_has_a_row_per_line_and_its_totals_add_up_to_the_orders(staff):
    mug = ProductFactory(name="Enamel Camp Mug", price=Decimal("14.00"))
    skillet = ProductFactory(name="Cast Iron Skillet", price=Decimal("48.00"))
    towel = ProductFactory(name="Linen Tea Towel", price=Decimal("9.50"))
    orders = [
        placed(
            OrderFactory(lines={mug: 2, skillet: 1}, shipping_name='=HYPERLINK("http://x")'),
            datetime(2026, 11, 3, 15, tzinfo=UTC),
        ),
        placed(OrderFactory(lines={towel: 3}), datetime(2026, 11, 4, 15, tzinfo=UTC)),
        placed(
            OrderFactory(lines={mug: 1}, status=Order.Status.CANCELLED),
            datetime(2026, 11, 5, 15, tzinfo=UTC),
        ),
    ]

    response, body = download(staff, "2026-11-03", "2026-11-05")

    rows = rows_of(body)
    assert response["Content-Disposition"] == (
        'attachment; filename="orders-2026-11-03-to-2026-11-05.csv"'
    )
    assert len(rows) == 4  # 2 + 1 + 1 lines
    assert total(rows, "Total") == sum(order.total_price for order in orders)
    assert total(rows, "Subtotal") == sum(order.subtotal for order in orders)
    assert total(rows, "Line total") == sum(order.subtotal for order in orders)
    assert total(rows, "Quantity") == 7
    first = rows[0]
    assert first["Order"] == str(orders[0].pk)
    assert first["Customer"] == '\'=HYPERLINK("http://x")'  # shown as text, never run
    assert first["Placed"] == "2026-11-03 10:00"  # in the shop's time zone
    assert rows[-1]["Status"] == "Cancelled"
    assert [row["Product"] for row in rows[:2]] == ["Enamel Camp Mug", "Cast Iron Skillet"]


def test_amounts_are_plain_numbers_with_a_decimal_point(staff, settings):
    settings.MONEY_LOCALE = "de_DE"
    order = OrderFactory(lines={ProductFactory(price=Decimal("1234.50")): 1})

    _, body = download(staff, "2000-01-01", "2100-01-01")

    text = body.decode("utf-8-sig")
    assert f",1234.50,1234.50,1234.50,{order.shipping},{order.tax},{order.total_price}\r\n" in text
    assert "€" not in text and "$" not in text


def test_the_days_are_the_shops_and_include_both_ends(staff):
    product = ProductFactory()
    early = placed(OrderFactory(lines={product: 1}), datetime(2026, 11, 3, 4, 59, tzinfo=UTC))
    first = placed(OrderFactory(lines={product: 1}), datetime(2026, 11, 3, 5, 0, tzinfo=UTC))
    last = placed(OrderFactory(lines={product: 1}), datetime(2026, 11, 5, 4, 59, tzinfo=UTC))
    late = placed(OrderFactory(lines={product: 1}), datetime(2026, 11, 5, 5, 0, tzinfo=UTC))

    _, body = download(staff, "2026-11-03", "2026-11-04")

    numbers = [int(row["Order"]) for row in rows_of(body)]
    assert numbers == [first.pk, last.pk]
    assert early.pk not in numbers and late.pk not in numbers


def test_without_orders_the_csv_is_its_header(staff):
    _, body = download(staff, "2026-11-03", "2026-11-04")

    assert rows_of(body) == []


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "=cmd|' /C calc'!A0"],
)
def test_text_a_spreadsheet_would_run_as_a_formula_gets_a_leading_quote(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Ada Lovelace", "O'Brien", "1 High St", "", 12, Decimal("-3")])
def test_other_values_stay_as_they_are(value):
    assert neutralise(value) == value


@pytest.mark.parametrize(
    "query, says",
    [
        ({"start": "2026-11-05", "end": "2026-11-03"}, "The first day comes after the last"),
        ({"start": "2026-13-01", "end": "2026-11-03"}, "Enter a date."),
        ({"start": "yesterday", "end": "2026-11-03"}, "Enter a date."),
        ({"end": "2026-11-03"}, "Enter the first day."),
        ({"start": "2026-11-03"}, "Enter the last day."),
        ({"start": "99999-01-01", "end": "2026-11-03"}, "Enter a date."),
    ],
)
def test_bad_dates_get_the_form_again_with_what_is_wrong(staff, query, says):
    response = staff.get(CSV, query)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert says in response.content.decode()


def test_without_dates_the_page_asks_for_them(staff):
    response = staff.get(CSV)

    assert response.status_code == 200
    assert "Download CSV" in response.content.decode()


def test_the_csv_is_for_staff_who_may_see_orders(client):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(CSV, {"start": "2026-11-03", "end": "2026-11-04"}).status_code == 403
