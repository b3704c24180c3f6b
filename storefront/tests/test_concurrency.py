"""The `race` fixture (storefront/tests/concurrency.py), which every race test runs with."""

import threading

import pytest
from django.contrib.sites.models import Site
from django.db import connections


def test_every_call_runs_at_the_same_time_as_the_others(race):
    # Each call waits for all the others to be running too: a call left to run alone, after
    # another had finished, would break this barrier.
    together = threading.Barrier(5, timeout=10)

    calls = race(lambda number: (together.wait(), number)[1], range(5))

    assert calls.raised == []
    assert calls.returned == [0, 1, 2, 3, 4]


def test_what_each_call_returned_or_raised_is_kept_in_the_order_of_its_argument(race):
    def odd_ones_fail(number):
        if number % 2:
            raise ValueError(number)
        return number

    calls = race(odd_ones_fail, range(6))

    assert calls.returned == [0, 2, 4]
    assert [error.args[0] for error in calls.raised] == [1, 3, 5]
    assert calls.unexpected(ValueError) == []
    assert [error.args[0] for error in calls.unexpected(KeyError)] == [1, 3, 5]


@pytest.mark.django_db(transaction=True)
def test_each_thread_closes_the_database_connection_it_opened(race):
    def query(_):
        Site.objects.count()
        return connections["default"]  # the thread's own connection

    used = race(query, range(3)).returned

    assert len({id(connection) for connection in used}) == 3
    assert all(connection.connection is None for connection in used)
