"""Work racing itself: N threads held at a barrier, then let go at once, each with its own
database connection. Used by every app's concurrency tests (with real transactions:
`@pytest.mark.django_db(transaction=True)`), so that they run the same way on SQLite and on
PostgreSQL."""

import threading

from django.db import connection


def at_once(work, items, *, expected: tuple[type[Exception], ...] = ()) -> list[Exception]:
    """Run `work(item)` for every item at the same moment, each in a thread of its own; return
    what they raised, the `expected` exceptions (a refusal the race is about) aside."""
    start = threading.Barrier(len(items), timeout=30)
    unexpected = []

    def run(item):
        try:
            start.wait()
            work(item)
        except expected:
            pass
        except Exception as error:  # a deadlock, a lost update: what these tests look for
            unexpected.append(error)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return unexpected
