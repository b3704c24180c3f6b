"""Counting what one subject (an address, a user, a username from an address) does, in the cache.

A `RateLimit` is named after an entry of `settings.RATE_LIMITS`: at most `limit` events per
`window`. The window opens with a subject's first event; the event that reaches the limit
starts a whole window of waiting, however long the count took, so a lockout after five failed
sign-ins lasts its full fifteen minutes. Then the count starts again from nothing.

The cache is the store: the development default is per process, so production must point
every web worker at one shared cache (Redis), or each worker counts on its own.
"""

import hashlib
import math
import time
from ipaddress import IPv6Network, ip_address

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import ngettext

from .http import client_ip


class RateLimited(Exception):
    """Raised by `RateLimit.take()` for an event over the limit, which must not happen."""

    def __init__(self, retry_after: int):
        super().__init__(f"Rate limited: retry after {retry_after} s")
        self.retry_after = retry_after

    @property
    def wait(self) -> str:
        """How long until the subject may try again, in words: "1 minute", "15 minutes"."""
        return minutes(self.retry_after)


def minutes(seconds: int) -> str:
    """A wait in whole minutes, rounded up: nobody is told "0 minutes"."""
    count = max(1, math.ceil(seconds / 60))
    return ngettext("%(count)d minute", "%(count)d minutes", count) % {"count": count}


class RateLimit:
    """At most `limit` events per `window` for each subject, as `settings.RATE_LIMITS[name]` says.

    The numbers are read when used, so a changed setting takes effect at once. A subject is one
    or more strings (`limit.take(username, address)`); only a digest of them reaches the cache,
    so keys are short and safe whatever people type, and the cache holds no usernames.
    """

    def __init__(self, name: str):
        self.name = name

    @property
    def limit(self) -> int:
        return settings.RATE_LIMITS[self.name]["limit"]

    @property
    def window(self) -> int:
        """The window in whole seconds."""
        return math.ceil(settings.RATE_LIMITS[self.name]["window"].total_seconds())

    def _keys(self, subject: tuple[str, ...]) -> tuple[str, str]:
        digest = hashlib.sha256("\x1f".join(subject).encode(errors="surrogatepass")).hexdigest()
        prefix = f"ratelimit:{self.name}:{digest}"
        return f"{prefix}:count", f"{prefix}:until"

    def record(self, *subject: str) -> int:
        """Count one event that has happened (a failed sign-in); return the count so far."""
        count_key, until_key = self._keys(subject)
        window, now = self.window, time.time()
        # The deadline is stored beside the count: caches do not tell how long a key has left,
        # and a refused visitor is told when to come back.
        cache.add(until_key, now + window, window)
        cache.add(count_key, 0, window)
        try:
            # incr is atomic (Redis INCR; locmem under its lock): simultaneous events all count.
            count = cache.incr(count_key)
        except ValueError:  # the window ran out between add() and incr()
            cache.set(until_key, now + window, window)
            cache.set(count_key, 1, window)
            count = 1
        if count == self.limit:
            # The wait starts now, whenever the window opened.
            cache.set(until_key, now + window, window)
            cache.touch(count_key, window)
        return count

    def take(self, *subject: str) -> None:
        """Count an event that is about to happen, or raise `RateLimited` if it is one too many.

        Counting comes first, so a burst of simultaneous requests cannot all pass a check made
        before any of them is counted.
        """
        if self.record(*subject) > self.limit:
            raise RateLimited(self.retry_after(*subject))

    def retry_after(self, *subject: str) -> int:
        """Seconds until `subject` may act again: 0 while it is under the limit."""
        count_key, until_key = self._keys(subject)
        if (cache.get(count_key) or 0) < self.limit:
            return 0
        until = cache.get(until_key)
        return max(1, math.ceil(until - time.time())) if until else 1

    def reset(self, *subject: str) -> None:
        """Forget everything counted for `subject`."""
        cache.delete_many(self._keys(subject))


def client_network(request: HttpRequest) -> str:
    """What a per-address limit counts against: the client's IPv4 address, or the /64 network
    of its IPv6 address (providers give each customer a whole /64, to hop around in at will).
    """
    address = client_ip(request)
    try:
        parsed = ip_address(address)
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped:  # ::ffff:203.0.113.7 is the IPv4 client 203.0.113.7
        return str(parsed.ipv4_mapped)
    return str(IPv6Network((int(parsed) >> 64 << 64, 64)))
