"""SQLite writers queue on a lock file (queued_sqlite/base.py): one transaction at a time,
each beginning as soon as the one before it ends, whether that one committed, rolled back or
lost its connection; and a writer that waits too long is told the database is locked."""

import threading

import pytest
from django.db import OperationalError, connection, transaction
from django.db.models import F

from catalog.models import Product
from catalog.tests.factories import ProductFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the queue is SQLite's"),
    pytest.mark.django_db(transaction=True),
]


def _in_a_thread(work):
    """Start work() in a thread with its own connection; return (thread, its outcome)."""
    outcome = {}

    def run():
        try:
            outcome["result"] = work()
        except Exception as error:
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def _holding_a_transaction(release: threading.Event, ending):
    """A thread that begins a transaction, writes, waits for `release`, then ends it with
    `ending` ("commit", "rollback" or "close"); returns it once the transaction has begun."""
    begun = threading.Event()
    product = ProductFactory(quantity=10)

    def work():
        try:
            with transaction.atomic():
                Product.objects.filter(pk=product.pk).update(quantity=1)
                begun.set()
                release.wait(10)
                if ending == "rollback":
                    raise RuntimeError("changed my mind")
                if ending == "close":
                    connection.close()  # mid-transaction: SQLite drops what it wrote
        except RuntimeError:
            pass

    thread, outcome = _in_a_thread(work)
    assert begun.wait(10)
    return thread, outcome, product


@pytest.mark.parametrize("ending", ["commit", "rollback", "close"])
def test_a_writer_begins_once_the_transaction_before_it_ends(ending):
    release = threading.Event()
    holder, held, product = _holding_a_transaction(release, ending)
    order = []

    def write():
        with transaction.atomic():
            order.append("second begins")
            Product.objects.filter(pk=product.pk).update(quantity=F("quantity") + 1)

    waiter, waited = _in_a_thread(write)
    waiter.join(0.3)
    assert waiter.is_alive() and order == []  # queued behind the open transaction

    order.append("first ends")
    release.set()
    holder.join(10)
    waiter.join(10)

    assert "error" not in held and "error" not in waited
    assert order == ["first ends", "second begins"]
    expected = 2 if ending == "commit" else 11  # on top of the first's 1, or of the 10 it undid
    assert Product.objects.get(pk=product.pk).quantity == expected


def test_a_writer_that_waits_longer_than_the_timeout_is_told_the_database_is_locked(
    monkeypatch,
):
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", 0.2)
    release = threading.Event()
    holder, _, product = _holding_a_transaction(release, "commit")

    def write():
        with transaction.atomic():
            Product.objects.filter(pk=product.pk).update(quantity=5)

    waiter, waited = _in_a_thread(write)
    waiter.join(10)
    release.set()
    holder.join(10)

    assert isinstance(waited.get("error"), OperationalError)
    assert "database is locked" in str(waited["error"])
    assert Product.objects.get(pk=product.pk).quantity == 1  # the holder's write, alone
