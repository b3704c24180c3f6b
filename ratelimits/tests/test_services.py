import time
import warnings
from datetime import timedelta

import pytest
from django.test import RequestFactory

from ratelimits.models import RateCounter
from ratelimits.services import RateLimit, RateLimited, client_network, minutes, prune


@pytest.fixture
def three_a_minute(settings, db) -> RateLimit:
    settings.RATE_LIMITS = {"test": {"limit": 3, "window": timedelta(minutes=1)}}
    return RateLimit("test")


@pytest.fixture
def clock(monkeypatch):
    """Move the clock that the limits and the cache's own expiry read, without sleeping."""
    start = time.time()

    def move_to(seconds_later: float) -> None:
        monkeypatch.setattr(time, "time", lambda: start + seconds_later)

    move_to(0)
    return move_to


def test_a_subject_may_act_up_to_the_limit_and_is_then_told_to_wait_a_whole_window(
    three_a_minute, clock
):
    for _ in range(3):
        three_a_minute.take("203.0.113.7")

    with pytest.raises(RateLimited) as refused:
        three_a_minute.take("203.0.113.7")

    assert refused.value.retry_after == 60
    assert refused.value.wait == "1 minute"
    assert three_a_minute.retry_after("203.0.113.7") == 60


def test_subjects_are_counted_apart(three_a_minute):
    for _ in range(3):
        three_a_minute.take("203.0.113.7")

    three_a_minute.take("203.0.113.8")
    three_a_minute.take("203.0.113.7", "another part")

    assert three_a_minute.retry_after("203.0.113.8") == 0


def test_the_wait_ends_with_the_window(three_a_minute, clock):
    for _ in range(3):
        three_a_minute.take("ada")

    clock(59)
    assert three_a_minute.retry_after("ada") == 1
    clock(61)
    assert three_a_minute.retry_after("ada") == 0
    for _ in range(3):
        three_a_minute.take("ada")


def test_the_event_that_reaches_the_limit_starts_a_whole_window_of_waiting(three_a_minute, clock):
    three_a_minute.record("ada")
    three_a_minute.record("ada")
    clock(50)  # the window opened 50 s ago

    three_a_minute.record("ada")

    clock(100)
    assert three_a_minute.retry_after("ada") == 10
    clock(111)
    assert three_a_minute.retry_after("ada") == 0


def test_events_of_an_old_window_are_forgotten(three_a_minute, clock):
    three_a_minute.record("ada")
    three_a_minute.record("ada")
    clock(61)

    assert three_a_minute.record("ada") == 1


def test_reset_forgets_the_subject(three_a_minute):
    for _ in range(3):
        three_a_minute.record("ada")

    three_a_minute.reset("ada")

    assert three_a_minute.retry_after("ada") == 0
    assert three_a_minute.record("ada") == 1


def test_the_numbers_come_from_the_settings_when_used(three_a_minute, settings):
    settings.RATE_LIMITS = {"test": {"limit": 1, "window": timedelta(hours=2)}}

    three_a_minute.take("ada")
    with pytest.raises(RateLimited) as refused:
        three_a_minute.take("ada")

    assert refused.value.retry_after == 7200
    assert refused.value.wait == "120 minutes"


def test_any_text_makes_a_valid_key_and_none_of_it_is_stored(three_a_minute):
    # Length and NUL characters would break the key column; only a digest is stored.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        three_a_minute.record("a name with spaces\x00 and 🦆 " * 20, "\u202eevil")

    assert "name" not in RateCounter.objects.get().key


def test_a_lockout_outlives_the_cache(three_a_minute, cache_outage):
    """Counted in the database: a cache outage (or a Redis restarted empty) forgets nothing."""
    for _ in range(3):
        three_a_minute.take("ada")
    cache_outage.start()  # the cache comes back, empty

    with pytest.raises(RateLimited):
        three_a_minute.take("ada")


def test_pruning_forgets_closed_windows_only(three_a_minute, clock):
    three_a_minute.record("old")
    clock(50)
    three_a_minute.record("new")
    clock(61)

    assert prune() == 1
    assert three_a_minute.record("new") == 2
    assert three_a_minute.record("old") == 1


@pytest.mark.django_db(transaction=True)
def test_a_burst_from_many_threads_lets_exactly_the_limit_through(settings, race):
    settings.RATE_LIMITS = {"test": {"limit": 5, "window": timedelta(minutes=1)}}
    limit, threads_count = RateLimit("test"), 16

    burst = race(lambda _: limit.take("ada", "203.0.113.7"), range(threads_count))

    assert burst.unexpected(RateLimited) == []
    allowed, refused = burst.returned, burst.raised
    assert (len(allowed), len(refused)) == (5, threads_count - 5)
    assert RateCounter.objects.get().count == threads_count


@pytest.mark.parametrize(
    ("seconds", "words"), [(1, "1 minute"), (60, "1 minute"), (61, "2 minutes")]
)
def test_waits_are_told_in_whole_minutes_rounded_up(seconds, words):
    assert minutes(seconds) == words


@pytest.mark.parametrize(
    ("remote_addr", "network"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("", ""),
    ],
    ids=["ipv4", "ipv6", "ipv6-same-64", "ipv4-mapped", "none"],
)
def test_per_address_limits_count_an_ipv6_client_by_its_64(remote_addr, network):
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr)

    assert client_network(request) == network
