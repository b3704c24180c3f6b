"""Test fixtures for a cache outage: a real redis-server of the tests' own, to stop and start.

Loaded for the whole suite through `pytest_plugins` in the root conftest.py (the browser tests
use them too). Needs Debian's redis-server, which `make test` installs.
"""

import os
import shutil
import signal
import socket
import subprocess
import time

import pytest


class RedisProcess:
    """A redis-server of the tests' own, on a free loopback port, to stop and start at will.

    The machine's Redis is never touched. `stop()` is a real outage (connections refused);
    `start()` brings it back, empty, or with what it held when stopped with `keep=True`
    (a network cut rather than a restart: the cache comes back with its old contents).
    """

    def __init__(self, directory):
        self.directory = directory
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process = None

    def start(self) -> None:
        self._process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--bind", "127.0.0.1",
                "--port", str(self.port),
                "--dir", str(self.directory),
                "--save", "",
                "--appendonly", "no",
            ],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def freeze(self) -> None:
        """Stop the server in its tracks (SIGSTOP), as a stalled host or a long GC pause does:
        connections stay open and its memory is kept, but nothing is answered."""
        os.kill(self._process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        """Let a frozen server run again (SIGCONT), with everything it held."""
        os.kill(self._process.pid, signal.SIGCONT)

    def stop(self, *, keep: bool = False) -> None:
        if self._process is None:
            return
        self.thaw()  # a frozen server would never read its SHUTDOWN
        if keep:
            with socket.create_connection(("127.0.0.1", self.port), timeout=2) as conn:
                conn.sendall(b"SHUTDOWN SAVE\r\n")
        else:
            self._process.kill()
        self._process.wait(10)
        self._process = None


def point_cache_at(settings, url: str, *, retry_after: float = 0) -> None:
    """Point the shop's cache at `url`, through the shop's Redis backend."""
    from storefront import cache as resilient

    resilient._breakers.clear()  # this process's memory of earlier outages
    settings.CACHES = {
        "default": {
            "BACKEND": "storefront.cache.ResilientRedisCache",
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
