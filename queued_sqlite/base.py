"""Django's SQLite backend, with writers queued for the write lock instead of sleeping on it.

Every transaction begins with BEGIN IMMEDIATE (settings: `transaction_mode`), so a writer
holds SQLite's write lock from its first statement to its COMMIT. A second writer that finds
the lock taken is handled by SQLite's busy handler, which sleeps 1, 2, 5, 10, 15 ms… between
tries however soon the lock comes free. With two gunicorn workers that sleeping, not the work,
bounded the shop's writes: an add to cart took about 1 ms of SQLite's lock and waited 3 to 5
ms for it (docs/benchmarks.md, "Issue 14").

So a transaction first takes an advisory lock (`flock`) on a file beside the database,
`<database>-writers`, trying again every 50 µs to 0.5 ms, and begins only once it holds it;
the lock goes with the COMMIT or ROLLBACK, or with the connection. A writer that waits longer
than the database's `timeout` gets "database is locked", as it would have from SQLite. The
database itself is still guarded by SQLite's own lock: anything that does not queue here (the
sqlite3 shell, a write outside a transaction) is waited for as before.
"""

import fcntl
import os
import time

from django.db.backends.sqlite3 import base
from django.db.utils import OperationalError

FIRST_PAUSE = 0.00005  # seconds between tries, doubling up to
LONGEST_PAUSE = 0.0005


class DatabaseWrapper(base.DatabaseWrapper):
    _writers_file = None  # this connection's handle on the lock file, and its process
    _writers_pid = None
    _holds_writers_lock = False

    def _start_transaction_under_autocommit(self):
        if self.is_in_memory_db():  # one connection, nothing to queue with
            return super()._start_transaction_under_autocommit()
        self._queue_for_writing()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._leave_the_queue()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._leave_the_queue()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._leave_the_queue()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._leave_the_queue()

    def _queue_for_writing(self) -> None:
        lock_file = self._lock_file()
        deadline = time.monotonic() + self.settings_dict["OPTIONS"].get("timeout", 5)
        pause = FIRST_PAUSE
        while True:
            try:
                fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OperationalError("database is locked") from None
                time.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE)
        self._holds_writers_lock = True

    def _leave_the_queue(self) -> None:
        if self._holds_writers_lock:
            self._holds_writers_lock = False
            fcntl.flock(self._writers_file, fcntl.LOCK_UN)

    def _lock_file(self):
        # Opened once per connection and process: a lock belongs to an open file, so a handle
        # inherited through fork() would be shared with the parent, and exclude nothing.
        if self._writers_pid != os.getpid():
            self._writers_file = open(f"{self.settings_dict['NAME']}-writers", "ab")  # noqa: SIM115
            self._writers_pid = os.getpid()
        return self._writers_file
