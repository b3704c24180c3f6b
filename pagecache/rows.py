"""Copies of database rows in the cache that never outlive a write the cache missed.

Every page a shopper with a session sees shows how many units their cart holds: a query (a
join and a sum) on every page view. So that count is copied into the cache
(checkout.cartsize); its owner deletes the copy when the cart changes (`forget`), and the
database stays the truth.

Who is signed in is never read from here: a copy that missed a sign-out would sign the shopper
back in (accounts.sessions reads sessions from the database on every request). A stale count
is only wrong, but it is still wrong, and it happens only when a write never reached the cache,
which is what an outage does (pagecache.backends drops writes while Redis is away). So every
copy is stored with the cache's *epoch*, and a copy from another epoch is a miss. A request
reads the epoch once, at its first copy, and keeps it to the end. The epoch is replaced
whenever a process finds the cache again after losing it (`cache_reconnected`), lost writes or
not: whichever process notices first retires every copy made before the outage, even if the
writes it missed were another process's. An emptied cache (Redis restarted) holds no epoch
and no copies, which is just as safe.

Only a cache that can drop a write needs this. The local-memory and file caches (Django's, and
the shop's default, pagecache.backends.DiskCache, whose writes wait for SQLite's lock as long as
it takes) store every write or raise, so with them a copy can only be current, and the epoch
is not read at all.
"""

import uuid
from contextvars import ContextVar

from django.core.cache import cache, caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction

from .backends import DiskCache

EPOCH_KEY = "rowcache:epoch"
# The epoch of caches that never drop a write: it never changes.
EVERLASTING = "-"

# While a request is served: {} until the epoch is read, then {"epoch": token}. Outside
# requests (tasks, commands) None: every read asks the cache.
_request_epoch: ContextVar[dict | None] = ContextVar("rowcache_request_epoch", default=None)


def _drops_writes() -> bool:
    return not isinstance(caches["default"], DiskCache | FileBasedCache | LocMemCache)


def _epoch() -> str | None:
    if not _drops_writes():
        return EVERLASTING
    memo = _request_epoch.get()
    if memo is not None and "epoch" in memo:
        return memo["epoch"]
    epoch = cache.get(EPOCH_KEY)
    if memo is not None and epoch is not None:
        memo["epoch"] = epoch
    return epoch


def get(key: str):
    """The copy stored under `key` in the current epoch, or None."""
    epoch = _epoch()
    if epoch is None:
        return None
    stored = cache.get(key)
    if stored is None or stored[0] != epoch:
        return None
    return stored[1]


def set(key: str, value, timeout: float) -> None:
    """Store a copy of `value` (never None) for at most `timeout` seconds."""
    epoch = (
        cache.get_or_set(EPOCH_KEY, uuid.uuid4().hex, timeout=None)
        if _drops_writes()
        else EVERLASTING
    )
    # In an outage get_or_set answers with the new token it could not store: the copy is
    # then not stored either, and is a miss like everything else.
    cache.set(key, (epoch, value), timeout)


def forget(key: str) -> None:
    """Delete the copy under `key`: now, and again once the transaction commits.

    Now, so this transaction reads the row itself from here on. Again after the commit,
    because until then another request still reads the old row and may copy it back.
    """
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def new_epoch() -> None:
    """Retire every copy made before now (pagecache.receivers, when the cache comes back)."""
    epoch = uuid.uuid4().hex
    cache.set(EPOCH_KEY, epoch, timeout=None)
    if (memo := _request_epoch.get()) is not None:
        memo["epoch"] = epoch


class OneEpochPerRequestMiddleware:
    """Read the epoch at most once per request (MIDDLEWARE): a page with a session reads
    three copies, and the epoch is the same for all of them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_epoch.set({})
        try:
            return self.get_response(request)
        finally:
            _request_epoch.reset(token)
