from io import StringIO

import pytest
from django.core.management import call_command

from catalog.models import Product

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_has_low_and_sold_out_stock(settings):
    call_command("seed_demo", stdout=StringIO())
    first = Product.objects.count()
    output = StringIO()
    call_command("seed_demo", stdout=output)

    assert Product.objects.count() == first >= 24
    assert "catalog: 0 products added" in output.getvalue()
    assert Product.objects.filter(quantity=0).exists()
    low = settings.LOW_STOCK_THRESHOLD
    assert Product.objects.filter(quantity__gt=0, quantity__lte=low).exists()
    assert Product.objects.values("price").distinct().count() > 10
