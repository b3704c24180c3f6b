from io import StringIO

import pytest
from django.core.management import call_command

from checkout.models import Order

pytestmark = pytest.mark.django_db


def _seed() -> str:
    output = StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


def test_seed_demo_gives_the_demo_shopper_a_delivered_and_a_shipped_order_once(client):
    first, second = _seed(), _seed()

    assert "checkout: 2 demo orders added" in first
    assert "checkout: demo orders already there." in second
    orders = Order.objects.filter(customer__username="shopper")
    assert sorted(orders.values_list("status", flat=True)) == ["delivered", "shipped"]
    shipped = orders.get(status="shipped")
    assert shipped.lines.count() == 2
    assert shipped.total_price == sum(line.line_total for line in shipped.lines.all())

    client.login(username="shopper", password="demo-shopper-2026")
    page = client.get(shipped.get_absolute_url()).content.decode()
    assert "1Z999AA10123456784" in page
    assert "ups.com/track" in page
