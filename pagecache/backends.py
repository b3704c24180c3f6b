"""The shop's cache backends: files on one machine, or Redis that may go away.

`DiskCache` is the default of a production server without CACHE_URL (settings.CACHES): the
workers of one machine share it. `ResilientRedisCache` serves every `redis://` CACHE_URL.

## DiskCache

Django's FileBasedCache keeps a file per key: a read opens it, unpickles the expiry, then
decompresses and unpickles the value; a write makes a temporary file, renames it, and lists
the whole directory to see whether it must cull. A signed-in page reads four keys (its
scope's generation, the shopper's session, user and cart count): nearly a third of the
page's cost (docs/benchmarks.md). diskcache keeps the keys in SQLite files instead, read
through connections that stay open: a read is an indexed SELECT, a write an INSERT, both
several times cheaper here. It is Grant Jenks's `diskcache` (5.6.3, 2023: finished rather
than abandoned, and among PyPI's most downloaded packages); the README's "Dependencies" says
why not one of its forks.

**Whoever can write the cache folder can run code as the shop.** Values are pickled (the shop
stores model instances, as Django's own file and Redis caches would pickle them too), and
reading a pickle can run any code it names: CVE-2025-69872, which no release of diskcache
changes. So the folder is the trust boundary: `DiskCache` makes it readable and writable by
the shop's user alone (mode 0700), and refuses to open one that belongs to another user or
that others may read or write, before a single value is read from it. The folders above it
must not be writable by others either (the project's own folder, or /var/lib/<shop>).

## ResilientRedisCache

Django's own `RedisCache` raises whatever redis-py raises: with Redis down, every page that
reads the cache answered 500. `ResilientRedisCache` is that same backend with every operation
answering as a miss when Redis cannot be reached: `get` returns the default, `set` and
`delete` do nothing (and say so by returning False), so pages are rendered uncached and the
shop carries on, slower.

Why not django-redis with `DJANGO_REDIS_IGNORE_EXCEPTIONS`? It swallows the errors too, but it
logs one line per failed call (hundreds a second under load) or none at all, and every request
still waits for its own failed connection attempt. Both matter in an outage, and both need the
small piece of state kept here, which a subclass of Django's backend holds in a few lines:

- **A circuit breaker.** After a failure, this process stops calling Redis for
  `RETRY_AFTER` seconds (option, default 5): requests skip the cache at once instead of each
  waiting for a timeout. Then the next call tries again; success closes the breaker.
- **One log line per outage.** An error when Redis is first lost, a warning when it is back
  (with how long it was away), nothing in between.
- **Short timeouts, no retries.** redis-py retries a refused connection with back-off (about
  3 s per call); a cache is worth nothing at that price. Connecting and answering get 0.25 s
  and 0.5 s unless OPTIONS say otherwise.
- **Lost invalidations.** Writes that could not reach Redis may have been invalidations (a new
  page generation after stock moved). When Redis answers again, `cache_reconnected` is sent
  with `lost_writes=True` (pagecache.signals), and the page cache starts new generations for
  every set of pages (pagecache.receivers), so nothing stale from before the outage is served.

Used for every `redis://` CACHE_URL (storefront/settings.py).
"""

import logging
import os
import threading
import time

from diskcache import DjangoCache
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from .signals import cache_reconnected

logger = logging.getLogger(__name__)


class _Breaker:
    """The health of one Redis server as this process sees it, shared by every thread.

    Django gives each thread its own cache backend instance, so the state lives here, one per
    server location, behind a lock.
    """

    def __init__(self, location: str, retry_after: float):
        self.location = location
        self.retry_after = retry_after
        self._lock = threading.Lock()
        self.down_since: float | None = None
        self._closed_until = 0.0  # while time.monotonic() is below, Redis is not called
        self.lost_writes = False

    def allows_call(self) -> bool:
        return time.monotonic() >= self._closed_until

    def failed(self, error: Exception, *, write: bool) -> None:
        with self._lock:
            now = time.monotonic()
            self._closed_until = now + self.retry_after
            self.lost_writes = self.lost_writes or write
            if self.down_since is None:
                self.down_since = now
                logger.error(
                    "Cache %s unreachable (%s: %s): pages are served uncached until it answers; "
                    "next try in %g s.",
                    self.location,
                    error.__class__.__name__,
                    error,
                    self.retry_after,
                )

    def skipped(self, *, write: bool) -> None:
        if write:
            with self._lock:
                self.lost_writes = True

    def succeeded(self) -> bool:
        """Record a call that reached Redis; True if it ended an outage."""
        if self.down_since is None:  # the common case: no lock, no work
            return False
        with self._lock:
            if self.down_since is None:
                return False
            down_for = time.monotonic() - self.down_since
            lost_writes = self.lost_writes
            self.down_since, self.lost_writes = None, False
        logger.warning("Cache %s is back after %.0f s.", self.location, down_for)
        cache_reconnected.send(
            sender=ResilientRedisCache,
            location=self.location,
            down_for=down_for,
            lost_writes=lost_writes,
        )
        return True

    @property
    def is_down(self) -> bool:
        return self.down_since is not None


_breakers: dict[str, _Breaker] = {}
_breakers_lock = threading.Lock()


def _breaker_for(location: str, retry_after: float) -> _Breaker:
    with _breakers_lock:
        if location not in _breakers:
            _breakers[location] = _Breaker(location, retry_after)
        return _breakers[location]


# Operations that change what the cache holds: losing one may leave stale data behind.
_WRITES = {"set", "add", "touch", "delete", "set_many", "delete_many", "incr", "clear"}


def _guarded(name: str, on_failure):
    """The RedisCache method `name`, answering `on_failure(*args, **kwargs)` in an outage."""
    write = name in _WRITES
    original = getattr(RedisCache, name)

    def call(self, args, kwargs):
        try:
            return True, original(self, *args, **kwargs)
        except RedisError as error:
            self._breaker.failed(error, write=write)
            return False, on_failure(*args, **kwargs)

    def method(self, *args, **kwargs):
        breaker = self._breaker
        if not breaker.allows_call():
            breaker.skipped(write=write)
            return on_failure(*args, **kwargs)
        answered, result = call(self, args, kwargs)
        if answered and breaker.succeeded() and not write:
            # The receivers of cache_reconnected may just have changed what this read returns
            # (a page generation retired): read again rather than hand back the stale value.
            result = call(self, args, kwargs)[1]
        return result

    method.__name__ = name
    method.__doc__ = original.__doc__
    return method


def _default(key, default=None, version=None):
    return default


def _incr_missing(key, delta=1, version=None):
    # What a cache says for a key it does not hold; callers of incr() already handle it.
    raise ValueError(f"Key '{key}' not found (the cache is unreachable).")


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, answering as an empty cache while Redis cannot be reached."""

    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**params.get("OPTIONS", {})}}
        options = params["OPTIONS"]
        retry_after = float(options.pop("RETRY_AFTER", 5))
        options.setdefault("socket_connect_timeout", 0.25)
        options.setdefault("socket_timeout", 0.5)
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(server, params)
        self._breaker = _breaker_for(str(server), retry_after)

    def is_reachable(self) -> bool:
        """Whether Redis answers a PING now (for /readyz); records the outcome like any call."""
        try:
            self._cache.get_client(write=False).ping()
        except RedisError as error:
            self._breaker.failed(error, write=False)
            return False
        self._breaker.succeeded()
        return True

    get = _guarded("get", _default)
    get_many = _guarded("get_many", lambda keys, version=None: {})
    has_key = _guarded("has_key", lambda key, version=None: False)
    set = _guarded("set", lambda *args, **kwargs: False)
    add = _guarded("add", lambda *args, **kwargs: False)
    touch = _guarded("touch", lambda *args, **kwargs: False)
    delete = _guarded("delete", lambda *args, **kwargs: False)
    set_many = _guarded("set_many", lambda data, *args, **kwargs: list(data))
    delete_many = _guarded("delete_many", lambda *args, **kwargs: None)
    incr = _guarded("incr", _incr_missing)
    clear = _guarded("clear", lambda: False)


class DiskCache(DjangoCache):
    """diskcache's Django backend in a folder only the shop can use, with its connections kept
    open between requests.

    Django closes every cache when a request ends (`request_finished`). For its own
    backends that is free or a no-op; here it would close the SQLite connections, and each
    request would open and set them up again, which costs more than every read it makes
    (`make bench`: the signed-in catalog page answered 425 requests a second so, 884 with
    the connections kept). They are one per thread, and diskcache opens new ones in a
    process forked from this one, so keeping them for the life of the worker is safe.

    One thing would make them wrong: the folder removed or replaced under a running shop
    (someone clearing the cache with `rm -rf .cache`). A process holding open files would
    go on reading and writing the removed ones, while a process started after it made a new
    folder: invalidations made by one would never reach the other. So at the end of each
    request (one `stat`) a process whose folder changed opens the new one, making it again
    if need be: the processes share one cache again after at most one request each.

    The folder is made private (mode 0700), or checked to be, whenever it is opened: see
    "Whoever can write the cache folder" above.
    """

    def __init__(self, directory, params):
        _private_folder(directory)
        self._opening = (directory, params)
        super().__init__(*self._opening)
        self._folder = _identity(directory)

    def close(self, **kwargs):
        if _identity(self._opening[0]) != self._folder:
            self._cache.close()
            # Opened again as on start: the folder and its databases made if need be.
            self.__init__(*self._opening)


def _private_folder(folder: str) -> None:
    """Make `folder` readable and writable by this user alone, or check that it is.

    A folder that is another user's, or open to others, may hold pickles someone else
    wrote: it is refused, not repaired, so that nothing in it is ever read.
    """
    os.makedirs(folder, mode=0o700, exist_ok=True)
    found = os.stat(folder)
    if found.st_uid != os.geteuid() or found.st_mode & 0o077:
        raise ImproperlyConfigured(
            f"The cache folder {folder} must belong to this user ({os.geteuid()}) and be closed "
            f"to everyone else (mode 0700), not to user {found.st_uid} with mode "
            f"{found.st_mode & 0o777:o}: its values are pickles, and whoever can write them "
            "can run code as the shop. Remove the folder (it is only a cache) or "
            f"`chmod 700 {folder}` if only the shop ever had it."
        )


def _identity(folder: str) -> tuple[int, int] | None:
    """Which folder is at this path now (None: none)."""
    try:
        found = os.stat(folder)
    except FileNotFoundError:
        return None
    return found.st_dev, found.st_ino
