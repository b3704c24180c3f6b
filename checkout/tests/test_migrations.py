"""The migrations that gave orders their money lines and addresses a country list, and the one
that dropped the confirmed flag, keep what was already there: old orders their totals and
their confirmations, every address its country."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    # The catalog as it is now: only checkout and accounts step back.
    ("catalog", "0003_categories_and_pictures"),
    ("checkout", "0002_order_fulfilment"),
    ("accounts", "0003_user_email_unique_customer_phone"),
]
AFTER = [
    ("catalog", "0003_categories_and_pictures"),
    ("checkout", "0003_order_amounts_and_country_code"),
    ("accounts", "0004_customer_country_code"),
]


@pytest.fixture
def old_schema():
    """The apps as they were before the migrations; the schema is put back afterwards."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        yield executor.loader.project_state(BEFORE).apps
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def migrate_forward():
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    return executor.loader.project_state(AFTER).apps


@pytest.mark.django_db(transaction=True)
def test_old_orders_keep_their_total_and_are_backfilled_at_the_shops_rate(old_schema, settings):
    settings.TAX_RATE = Decimal("20")
    settings.CURRENCY = "USD"
    User = old_schema.get_model("accounts", "User")
    Product = old_schema.get_model("catalog", "Product")
    Order = old_schema.get_model("checkout", "Order")
    user = User.objects.create(username="old-customer")
    product = Product.objects.create(
        name="Mug", slug="mug", price=Decimal("12.50"), quantity=5, image=""
    )
    address = {"shipping_name": "Ada", "address_line1": "1 Way", "city": "X", "postal_code": "1"}
    typed = {"United Kingdom": "GB", "usa": "US", "France": "FR", "Narnia": ""}
    orders = {}
    for country in typed:
        order = Order.objects.create(
            customer=user, total_price=Decimal("37.50"), country=country, **address
        )
        order.lines.create(product=product, product_name="Mug", quantity=3, unit_price="12.50")
        orders[country] = order.pk

    apps = migrate_forward()

    Order = apps.get_model("checkout", "Order")
    for country, code in typed.items():
        order = Order.objects.get(pk=orders[country])
        assert order.total_price == Decimal("37.50")  # what the customer paid, unchanged
        assert order.subtotal == Decimal("37.50")
        assert order.shipping == Decimal("0.00")  # shipping was free then
        assert order.tax_rate == Decimal("20.00")
        assert order.tax == Decimal("6.25")  # 37.50 * 20 / 120
        assert order.currency == "USD"
        assert order.country == code
    # A country that names none is kept on the address, not lost.
    assert Order.objects.get(pk=orders["Narnia"]).address_line2 == "Narnia"


@pytest.mark.django_db(transaction=True)
def test_customer_countries_become_codes_and_unreadable_ones_are_cleared(old_schema):
    User = old_schema.get_model("accounts", "User")
    Customer = old_schema.get_model("accounts", "Customer")
    typed = {"United Kingdom": "GB", "U.K.": "GB", "DEU": "DE", "": "", "Atlantis": ""}
    customers = {}
    for number, country in enumerate(typed):
        user = User.objects.create(username=f"customer-{number}")
        customers[country] = Customer.objects.create(user=user, country=country).pk

    apps = migrate_forward()

    Customer = apps.get_model("accounts", "Customer")
    for country, code in typed.items():
        assert Customer.objects.get(pk=customers[country]).country == code


@pytest.fixture
def schema():
    """`schema(targets)` migrates to `targets` and gives their apps; the schema is put back
    afterwards."""

    def migrate_to(targets):
        executor = MigrationExecutor(connection)
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    yield migrate_to
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_dropping_the_confirmed_flag_keeps_every_orders_confirmation(schema):
    old = schema([("checkout", "0004_cart_browser_key")])
    User = old.get_model("accounts", "User")
    Order = old.get_model("checkout", "Order")
    customer = User.objects.create(username="old-customer")
    fields = {
        "customer": customer,
        "total_price": Decimal("10.00"),
        "subtotal": Decimal("10.00"),
        "shipping": Decimal("0.00"),
        "tax": Decimal("1.67"),
        "tax_rate": Decimal("20"),
        "currency": "USD",
        "country": "GB",
    }
    confirmed_at = datetime(2026, 11, 1, 12, tzinfo=UTC)
    placed = Order.objects.create(**fields)
    cancelled = Order.objects.create(
        **fields, status="cancelled", confirmed=True, confirmed_at=confirmed_at
    )
    shipped = Order.objects.create(
        **fields,
        status="shipped",
        confirmed=True,
        confirmed_at=confirmed_at,
        shipped_at=confirmed_at,
        carrier="DHL",
        tracking_number="JD1",
    )

    new = schema([("checkout", "0005_order_confirmed_at_alone")])

    Order = new.get_model("checkout", "Order")
    assert "confirmed" not in {field.name for field in Order._meta.get_fields()}
    assert Order.objects.get(pk=placed.pk).confirmed_at is None
    # A cancelled order still tells that it had been confirmed (and its stock taken).
    assert Order.objects.get(pk=cancelled.pk).confirmed_at == confirmed_at
    assert Order.objects.get(pk=shipped.pk).confirmed_at == confirmed_at
