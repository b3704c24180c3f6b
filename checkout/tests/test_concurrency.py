"""Confirmations racing for the same stock, with real transactions and real threads.

Runs on SQLite (writers queue behind BEGIN IMMEDIATE and a busy timeout) and on PostgreSQL
(row locks and conditional updates) in CI.
"""

import threading

import pytest
from django.db import connection

from catalog.models import Product
from catalog.tests.factories import ProductFactory
from checkout import services
from checkout.models import Order
from checkout.signals import OrderRefused

from .factories import OrderFactory

CUSTOMERS = 20
IN_STOCK = 10


@pytest.mark.django_db(transaction=True)
def test_twenty_customers_racing_for_ten_units_never_oversell():
    product = ProductFactory(quantity=IN_STOCK)
    orders = [OrderFactory(lines={product: 1}) for _ in range(CUSTOMERS)]
    start = threading.Barrier(CUSTOMERS)
    refused, unexpected = [], []

    def confirm(order):
        try:
            start.wait()
            services.order_confirm(order=order)
        except OrderRefused as error:
            refused.append(error)
        except Exception as error:  # anything else is the failure this test looks for
            unexpected.append(error)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=confirm, args=(order,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert unexpected == []
    assert Order.objects.filter(status=Order.Status.CONFIRMED).count() == IN_STOCK
    assert len(refused) == CUSTOMERS - IN_STOCK
    assert Product.objects.get(pk=product.pk).quantity == 0
