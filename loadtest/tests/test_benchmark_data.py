"""The benchmark's data builders and sign-in, on a small scale and without load."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Customer, User
from catalog.models import Product
from checkout.models import Order, OrderLine
from checkout.services import order_confirm
from loadtest import data
from loadtest.commands.data import Command as DataCommand
from loadtest.measure import stripe_signature
from loadtest.server import WEBHOOK_SECRET
from loadtest.volumes import accounts as accounts_bench
from loadtest.volumes import catalog as catalog_bench
from loadtest.volumes import checkout as checkout_bench
from loadtest.volumes import dashboard as dashboard_bench
from payments.models import Payment
from payments.provider import minor_units

SCALE = 0.01


@pytest.fixture
def facts(db):
    return data.build(scale=SCALE, stdout=io.StringIO())


def test_every_app_builds_its_promised_volume(facts):
    shoppers = accounts_bench.SHOPPERS
    customers = User.objects.filter(is_staff=False)
    assert customers.count() == max(shoppers, round(accounts_bench.CUSTOMERS * SCALE))
    assert User.objects.get(is_staff=True).username == dashboard_bench.STAFF
    # bulk_create sent no post_save: the builder made every profile itself.
    assert Customer.objects.count() == User.objects.count()
    assert Product.objects.count() == round(catalog_bench.PRODUCTS * SCALE) == 100
    # Checkout's orders, topped up to the dashboard's in all.
    assert Order.objects.count() == round(dashboard_bench.ORDERS * SCALE) == 1_000
    assert {status for status, _ in Order.Status.choices} == set(
        Order.objects.values_list("status", flat=True).distinct()
    )
    assert not Order.objects.filter(lines=None).exists()
    assert facts["catalog"]["products"] == 100
    assert len(facts["accounts"]["shoppers"]) == shoppers


def test_the_dashboards_orders_spread_over_a_year_for_a_member_of_staff_to_see(facts, client):
    dashboard = facts["dashboard"]
    spread = Order.objects.filter(customer__username__startswith="bench-shopper").exclude(
        confirmed_at=None
    )
    oldest = spread.order_by("confirmed_at").first().confirmed_at
    newest = spread.order_by("-confirmed_at").first().confirmed_at

    assert dashboard["orders"] == 1_000
    assert newest - oldest > timedelta(days=dashboard_bench.DAYS - 2)
    assert {status for status, _ in Order.Status.choices} == set(
        spread.values_list("status", flat=True).distinct()
    ) | {Order.Status.PLACED}
    assert client.login(username=dashboard["staff"], password=dashboard["password"])
    response = client.get(dashboard["dashboard_path"])
    assert response.status_code == 200
    assert f"Orders to ship: {Order.objects.filter(status=Order.Status.CONFIRMED).count()}" in (
        response.content.decode()
    )


def test_the_confirm_pool_is_placed_orders_of_the_shoppers_over_ten_products(facts):
    checkout = facts["checkout"]
    first, last = checkout["confirm_pks"]
    pool = Order.objects.filter(pk__range=(first, last))

    assert pool.count() == round(checkout_bench.CONFIRM_POOL * SCALE)
    assert set(pool.values_list("status", flat=True)) == {Order.Status.PLACED}
    assert set(
        OrderLine.objects.filter(order__in=pool).values_list("product_id", flat=True)
    ) <= set(checkout["confirm_product_ids"])
    assert len(checkout["confirm_product_ids"]) == checkout_bench.CONFIRM_PRODUCTS
    shoppers = set(facts["accounts"]["shoppers"])
    assert set(pool.values_list("customer__username", flat=True)) <= shoppers


def test_each_order_of_the_pool_waits_for_its_card_payment_whose_event_the_bench_posts(facts):
    first, last = facts["checkout"]["confirm_pks"]
    webhooks = facts["payments"]["webhooks"]

    payments = Payment.objects.filter(order__pk__range=(first, last))
    assert payments.count() == len(webhooks) == last - first + 1
    assert set(payments.values_list("status", flat=True)) == {Payment.Status.PENDING}
    path, session, body = webhooks[0]
    event = json.loads(body)["data"]["object"]
    payment = payments.get(pk=event["metadata"]["payment"])
    assert (path, session) == ("/payments/webhook/stripe/", None)
    assert event["id"] == payment.intent_id
    assert event["amount_capturable"] == minor_units(payment.order.total_price, "USD")


@pytest.mark.django_db(transaction=True)
def test_the_benchmarks_event_posted_as_the_bench_posts_it_confirms_its_order_once(
    client, settings
):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    facts = data.build(scale=SCALE, stdout=io.StringIO())
    path, _, body = facts["payments"]["webhooks"][0]
    order = Payment.objects.get(pk=json.loads(body)["data"]["object"]["metadata"]["payment"]).order

    answers = [
        client.post(
            path,
            body,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=stripe_signature(body),
        ).status_code
        for _ in range(2)
    ]

    assert answers == [200, 200]
    assert Order.objects.get(pk=order.pk).status == Order.Status.CONFIRMED
    tally = checkout_bench.tally(facts["checkout"])
    assert (tally["orders_confirmed"], tally["oversell"]) == (1, 0)


def test_the_stock_poll_watches_the_first_page_which_the_pool_never_touches(facts):
    ids = {int(pk) for pk in facts["catalog"]["poll_path"].split("ids=")[1].split(",")}
    first_page = set(Product.objects.values_list("pk", flat=True)[:12])

    assert ids == first_page
    assert not ids & set(facts["checkout"]["confirm_product_ids"])


def test_tally_balances_confirmed_units_against_stock_taken(facts):
    checkout = facts["checkout"]
    first, _ = checkout["confirm_pks"]
    order = Order.objects.get(pk=first)
    units = sum(order.lines.values_list("quantity", flat=True))

    order_confirm(order=order)
    tally = checkout_bench.tally(checkout)

    assert tally["orders_confirmed"] == 1
    assert tally["units_confirmed"] == units
    assert tally["stock_left"] == checkout["confirm_stock_at_start"] - units
    assert tally["oversell"] == 0


def test_tally_notices_a_confirmation_that_took_no_stock(facts):
    checkout = facts["checkout"]
    Order.objects.filter(pk=checkout["confirm_pks"][0]).update(
        status=Order.Status.CONFIRMED, confirmed_at="2026-01-01T00:00Z"
    )

    assert checkout_bench.tally(checkout)["oversell"] < 0


def test_benchmark_databases_are_told_by_their_own_name():
    assert data.is_benchmark_database("/home/me/shop/.bench/bench.sqlite3")
    assert data.is_benchmark_database("storefront_bench_small")
    assert not data.is_benchmark_database("/home/me/bench/db.sqlite3")
    assert not data.is_benchmark_database("storefront")


@pytest.mark.django_db
def test_the_data_command_refuses_a_database_that_is_not_a_benchmark_one(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "is_benchmark_database", lambda name: False)

    with pytest.raises(CommandError, match="not a benchmark database"):
        call_command(DataCommand(), "build", f"--facts={tmp_path / 'facts.json'}")
    assert not Product.objects.exists()


@pytest.mark.django_db
def test_the_data_command_builds_into_a_benchmark_database(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "is_benchmark_database", lambda name: True)
    facts_file = tmp_path / "facts.json"

    call_command(
        DataCommand(), "build", "--scale=0.01", f"--facts={facts_file}", stdout=io.StringIO()
    )
    output = io.StringIO()
    call_command(DataCommand(), "tally", f"--facts={facts_file}", stdout=output)

    assert json.loads(facts_file.read_text())["catalog"]["products"] == 100
    assert json.loads(output.getvalue())["oversell"] == 0
