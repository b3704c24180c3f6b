"""Test fixtures for a cache outage: a real redis-server of the tests' own, to stop and start.

Loaded for the whole suite through `pytest_plugins` in the root conftest.py (the browser tests
use them too). Needs Debian's redis-server, which `make test` installs.
"""

import socket

import pytest

from loadtest.chaos import OwnRedis


class RedisProcess(OwnRedis):
    """A redis-server of the tests' own, on a free loopback port, to stop and start at will.

    The machine's Redis is never touched. `stop()` is a real outage (connections refused);
    `start()` brings it back, empty, or with what it held when stopped with `keep=True`
    (a network cut rather than a restart: the cache comes back with its old contents).
    `freeze()` and `thaw()` stall it and let it run again (loadtest.chaos.OwnRedis).
    """

    def stop(self, *, keep: bool = False) -> None:
        if self.process is None:
            return
        self.thaw()  # a frozen server would never read its SHUTDOWN
        if keep:
            with socket.create_connection(("127.0.0.1", self.port), timeout=2) as conn:
                conn.sendall(b"SHUTDOWN SAVE\r\n")
            self.process.wait(10)
            self.process = None
        else:
            super().stop()


def point_cache_at(settings, url: str, *, retry_after: float = 0) -> None:
    """Point the shop's cache at `url`, through the shop's Redis backend."""
    from pagecache import backends as resilient

    resilient._breakers.clear()  # this process's memory of earlier outages
    settings.CACHES = {
        "default": {
            "BACKEND": "pagecache.backends.ResilientRedisCache",
            "LOCATION": url,
            # 0 in tests: each request tries Redis again.
            "OPTIONS": {"RETRY_AFTER": retry_after},
        }
    }


@pytest.fixture
def redis_server(settings, tmp_path):
    """A running redis-server of the test's own, and the shop's cache pointed at it."""
    server = RedisProcess(tmp_path)
    server.start()
    point_cache_at(settings, server.url)
    yield server
    server.stop()


@pytest.fixture
def cache_outage(settings, tmp_path):
    """The shop's cache pointed at a loopback port where no Redis listens (yet).

    Connections are refused until the test calls `.start()` on the returned server.
    """
    server = RedisProcess(tmp_path)
    point_cache_at(settings, server.url)
    yield server
    server.stop()
