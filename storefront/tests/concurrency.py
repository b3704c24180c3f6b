"""Test fixture for races: N threads released together at a barrier.

Loaded for the whole suite through `pytest_plugins` in the root conftest.py. Each thread has a
database connection of its own, as each request or worker would, so a test that races writes
must commit them: `@pytest.mark.django_db(transaction=True)`, on SQLite and on PostgreSQL.
"""

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connections

# Time enough for every thread to reach the barrier, and for all of them to finish.
TIMEOUT = 60


@dataclass(frozen=True)
class Race:
    """What the racing calls did: the values returned and the exceptions raised, each in the
    order of the arguments the calls were given."""

    returned: list[Any]
    raised: list[Exception]

    def unexpected(self, *expected: type[Exception]) -> list[Exception]:
        """What was raised but the `expected` kinds (an order refused, a limit reached): the
        deadlocks, lost updates and "database is locked" errors a race test looks for."""
        return [error for error in self.raised if not isinstance(error, expected)]


def race_threads(work: Callable[[Any], Any], arguments: Iterable[Any]) -> Race:
    """Call `work(argument)` for each of `arguments`, each on a thread of its own, all released
    together at a barrier; wait for every one to finish, and say what each did."""
    arguments = list(arguments)
    start = threading.Barrier(len(arguments), timeout=TIMEOUT)
    outcomes: list[tuple[bool, Any]] = [(False, None)] * len(arguments)

    def run(index: int, argument: Any) -> None:
        try:
            start.wait()
            outcomes[index] = (True, work(argument))
        except Exception as error:  # whatever it is, the test judges it
            outcomes[index] = (False, error)
        finally:
            connections.close_all()  # the thread's own: Django closes only the test's

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(arguments)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + TIMEOUT
    for thread in threads:
        thread.join(max(0, deadline - time.monotonic()))
    if any(thread.is_alive() for thread in threads):
        pytest.fail(f"A racing thread was still running after {TIMEOUT} seconds.")
    return Race(
        returned=[value for returned, value in outcomes if returned],
        raised=[value for returned, value in outcomes if not returned],
    )


@pytest.fixture
def race() -> Callable[[Callable[[Any], Any], Iterable[Any]], Race]:
    """`race(work, arguments)`: `work(argument)` for each argument at once, on as many threads
    released together, each with a database connection of its own (`race_threads`)."""
    return race_threads
