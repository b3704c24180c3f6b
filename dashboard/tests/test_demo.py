from io import StringIO

import pytest
from django.core.management import call_command

from checkout.models import Order
from dashboard import demo

pytestmark = pytest.mark.django_db


def _seed() -> str:
    output = StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


def test_seed_demo_adds_a_staff_member_and_a_month_of_trade_once(client):
    first, second = _seed(), _seed()

    assert (
        f"dashboard: demo staff added; sign in at /admin/ as {demo.STAFF} / {demo.PASSWORD}; "
        f"{demo.ORDERS} demo orders of the last 30 days added." in first
    )
    assert "dashboard: demo staff already there" in second
    assert "demo orders already there." in second
    orders = Order.objects.filter(customer__username__startswith="demo-")
    assert orders.count() == demo.ORDERS
    assert orders.filter(status=Order.Status.CONFIRMED).exists()  # something to ship
    assert orders.filter(status=Order.Status.CANCELLED).exists()

    assert client.login(username=demo.STAFF, password=demo.PASSWORD)
    html = client.get("/admin/").content.decode()
    assert "Failed mail: 1" in html
    assert "Beeswax Candle Pair" in html  # three people wait for it
    assert "No sales in the last 30 days." not in html
