"""Counting what one subject (an address, a user, a username from an address) does.

A `RateLimit` is named after an entry of `settings.RATE_LIMITS`: at most `limit` events per
`window`. The window opens with a subject's first event; the event that reaches the limit
starts a whole window of waiting, however long the count took, so a lockout after five failed
sign-ins lasts its full fifteen minutes. Then the count starts again from nothing.

The counts live in the database (`ratelimits.models.RateCounter`), one row per subject, and
each event is counted under that row's lock *before* anything is decided: a burst of requests
across any number of workers gets exactly `limit` through, and a lockout survives a cache
outage or a Redis restarted empty. The price is one small write per counted event (a sign-in
attempt, a sign-up, a comment, an availability check, a reset request), all rare next to page
views; old rows are pruned by `prune()`.

Why hand-written rather than a library:
- django-ratelimit counts in the cache: a cache outage either lets everything through
  (`RATELIMIT_FAIL_OPEN`) or refuses everyone, and a Redis restart forgets every lockout.
- django-axes counts failed sign-ins in the database, but checks the lockout before the
  password is tested and counts the failure after (a `user_login_failed` handler): N
  simultaneous guesses are all tested before the first is counted, the race this module
  exists to close (jazzband/django-axes#592, closed as a known issue, "won't fix"). It also
  covers sign-ins only, not sign-ups, comments or reset requests.
What is left to write is one row, one lock and a comparison.
"""

import hashlib
import math
import time
from datetime import UTC, datetime, timedelta
from ipaddress import IPv6Network, ip_address

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import ngettext

from storefront.http import client_ip

from .models import RateCounter


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
    or more strings (`limit.take(username, address)`); only a digest of them is stored, so
    keys are short whatever people type, and the table holds no usernames or addresses.
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

    def _key(self, subject: tuple[str, ...]) -> str:
        digest = hashlib.sha256("\x1f".join(subject).encode(errors="surrogatepass")).hexdigest()
        return f"{self.name}:{digest}"

    def record(self, *subject: str) -> int:
        """Count one event for `subject`; return the count in the current window, this one
        included."""
        now = _now()
        window = timedelta(seconds=self.window)
        # The row lock (SELECT ... FOR UPDATE on PostgreSQL; SQLite's writers queue behind
        # BEGIN IMMEDIATE) makes read-increment-write one step: no two events get one number.
        with transaction.atomic():
            counter, _ = RateCounter.objects.select_for_update().get_or_create(
                key=self._key(subject), defaults={"window_ends": now + window}
            )
            if counter.window_ends <= now:  # an old window: start again
                counter.count, counter.window_ends = 0, now + window
            counter.count += 1
            if counter.count == self.limit:
                # The wait starts now, whenever the window opened.
                counter.window_ends = now + window
            counter.save(update_fields=["count", "window_ends"])
        return counter.count

    def take(self, *subject: str) -> None:
        """Count an event that is about to happen, or raise `RateLimited` if it is one too many.

        Counting comes first, so a burst of simultaneous requests cannot all pass a check made
        before any of them is counted.
        """
        if self.record(*subject) > self.limit:
            raise RateLimited(self.retry_after(*subject))

    def retry_after(self, *subject: str) -> int:
        """Seconds until `subject` may act again: 0 while it is under the limit."""
        counter = RateCounter.objects.filter(key=self._key(subject)).first()
        now = _now()
        if counter is None or counter.window_ends <= now or counter.count < self.limit:
            return 0
        return max(1, math.ceil((counter.window_ends - now).total_seconds()))

    def reset(self, *subject: str) -> None:
        """Forget everything counted for `subject`."""
        RateCounter.objects.filter(key=self._key(subject)).delete()


def prune() -> int:
    """Delete the counts of windows that have closed; return how many went."""
    deleted, _ = RateCounter.objects.filter(window_ends__lte=_now()).delete()
    return deleted


def _now() -> datetime:
    # time.time() rather than timezone.now(): one clock for the tests to move.
    return datetime.fromtimestamp(time.time(), tz=UTC)


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
