from decimal import Decimal

import pytest
from django.db import IntegrityError, connection

from catalog.models import Product

from .factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_stock_can_never_go_below_zero_in_the_database():
    product = ProductFactory(quantity=1)
    with pytest.raises(IntegrityError):
        Product.objects.filter(pk=product.pk).update(quantity=-1)


def test_price_can_never_be_negative_in_the_database():
    with pytest.raises(IntegrityError):
        ProductFactory(price=Decimal("-0.01"))


def test_search_matches_every_word_in_name_or_description_ignoring_case():
    mug = ProductFactory(name="Enamel Camp Mug", description="Speckled blue enamel.")
    stool = ProductFactory(name="Camp Stool", description="Folding canvas stool.")
    ProductFactory(name="Teapot", description="Glazed stoneware.")

    assert list(Product.objects.search("camp")) == [stool, mug]
    assert list(Product.objects.search("CAMP speckled")) == [mug]
    assert list(Product.objects.search("nothing-like-this")) == []


def test_in_stock_leaves_out_sold_out_products():
    available = ProductFactory(quantity=1)
    ProductFactory(quantity=0)
    assert list(Product.objects.in_stock()) == [available]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_on_postgresql_a_search_uses_the_trigram_indexes_not_a_full_scan():
    ProductFactory.create_batch(50)
    # The search the paginator counts. A tiny table would be scanned anyway: switch the other
    # plans off to ask whether the trigram indexes *can* answer it.
    sql, params = Product.objects.search("walnut").order_by().query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "product_name_trgm_idx" in plan
    assert "product_description_trgm_idx" in plan
