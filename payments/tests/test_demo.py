from io import StringIO

import pytest
from django.core.management import call_command

from payments.models import Payment

pytestmark = pytest.mark.django_db


def _seed() -> str:
    output = StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


def test_seed_demo_pays_the_demo_orders_once_by_each_method(client):
    first, second = _seed(), _seed()

    assert "payments: 2 demo orders paid" in first
    assert "payments: demo payments already there." in second
    payments = Payment.objects.filter(order__customer__username="shopper")
    assert sorted(payments.values_list("method", flat=True)) == ["bank_transfer", "card"]
    for payment in payments:
        assert payment.status == Payment.Status.CAPTURED
        assert payment.totals().captured == payment.order.total_price

    client.login(username="shopper", password="demo-shopper-2026")
    card = payments.get(method="card")
    page = client.get(card.order.get_absolute_url()).content.decode()
    assert "Card:" in page and "paid" in page
