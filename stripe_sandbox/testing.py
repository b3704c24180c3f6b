"""pytest fixtures for tests that need a payment provider: the sandbox, as a real server.

The shop's conftest.py loads them with `pytest_plugins = [..., "stripe_sandbox.testing"]`:

- `stripe_sandbox`: a sandbox on a free loopback port, a real server in a subprocess (as the
  mail tests start a real SMTP server), handed over as a `SandboxClient`: its `url` and
  `api_key` for the shop's settings, `stripe_client()` for the SDK, and the control calls.
  Webhook deliveries are retried after 0.05, 0.1, 0.2 and 0.4 s, each waiting 2 s for an answer.
  One process serves the whole test run and is reset before each test (it then holds nothing
  and every fault is off), since starting a Python costs a third of a second; its log is in
  the run's basetemp, `stripe-sandbox*/log`. A test that needs a process of its own (other
  options, a port that refuses connections) starts a `SandboxProcess`.
- `webhook_receiver`: a small server on another free loopback port that keeps whatever is
  posted to it and answers as the test says: the shop's webhook view, for the sandbox's own
  tests. A GET finds a page there too, so the hosted page's redirects back to the shop land.
"""

import contextlib
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from stripe_sandbox.client import SandboxClient

HOST = "127.0.0.1"
API_KEY = "sk_test_sandbox"
FAST_RETRIES = ("--retry-delays", "0.05,0.1,0.2,0.4", "--delivery-timeout", "2")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class SandboxProcess:
    """`python -m stripe_sandbox` as a subprocess on a free loopback port, until `stop()`.

    It takes `api_key` alone; with None, any test key (the client then uses API_KEY).
    """

    def __init__(self, *options: str, log_path: Path, api_key: str | None = API_KEY):
        self.options = (*options, "--api-key", api_key) if api_key else options
        self.log_path = log_path
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 10.0) -> SandboxClient:
        """Start it and wait until it answers; refuses with its log when it does not."""
        command = [sys.executable, "-m", "stripe_sandbox", "--port", str(self.port)]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [*command, *self.options],
                cwd=Path(__file__).resolve().parent.parent,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        client = SandboxClient(f"http://{HOST}:{self.port}", API_KEY)
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                client.state()
                return client
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"The sandbox did not start:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
            self.process = None


@dataclass
class Received:
    """One request the receiver was sent, and the status it answered."""

    body: bytes
    headers: Message  # looked up without regard to case, as HTTP means
    status: int


class WebhookReceiver:
    """An HTTP server on a free loopback port that keeps every request posted to it.

    It answers with the statuses in `answers`, one per request (then 200 for ever), each after
    `stall` seconds: longer than the sender's timeout, that is an endpoint that never answers.
    """

    def __init__(self):
        self.received: list[Received] = []
        self.answers: list[int] = []
        self.stall = 0.0
        self._arrived = threading.Condition()
        self._httpd = ThreadingHTTPServer((HOST, 0), _receiving_handler(self))
        self.url = f"http://{HOST}:{self._httpd.server_address[1]}/stripe/webhook"

    def start(self) -> None:
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True).start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Received]:
        """Wait until `count` requests have arrived, and answer them all."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.received) >= count, timeout):
                raise TimeoutError(f"{len(self.received)} of {count} webhooks arrived")
            return list(self.received)

    def events(self, secret: str) -> list:
        """What arrived, each verified as the shop verifies it: by the SDK, on the raw body."""
        import stripe

        return [
            stripe.Webhook.construct_event(
                request.body, request.headers["Stripe-Signature"], secret
            )
            for request in self.received
        ]

    def _keep(self, body: bytes, headers: Message) -> int:
        with self._arrived:
            status = self.answers.pop(0) if self.answers else 200
            self.received.append(Received(body, headers, status))
            self._arrived.notify_all()
            return status


def _receiving_handler(receiver: WebhookReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status = receiver._keep(body, self.headers)
            time.sleep(receiver.stall)
            with contextlib.suppress(OSError):  # the sender may have given up waiting
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        def do_GET(self):
            # No favicon to ask for: a browser's late request could meet a stopped receiver.
            page = (
                b'<!doctype html><title>The shop</title><link rel="icon" href="data:,">'
                b"<h1>Back at the shop</h1>"
            )
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, format, *args):
            pass

    return Handler


@pytest.fixture(scope="session")
def stripe_sandbox_process(tmp_path_factory) -> Iterator[SandboxClient]:
    """The sandbox subprocess of the whole test run, stopped at its end."""
    process = SandboxProcess(
        *FAST_RETRIES, log_path=tmp_path_factory.mktemp("stripe-sandbox") / "log"
    )
    yield process.start()
    process.stop()


@pytest.fixture
def stripe_sandbox(stripe_sandbox_process) -> SandboxClient:
    """A sandbox holding nothing, every fault off, its webhooks retried within a second."""
    stripe_sandbox_process.reset()
    return stripe_sandbox_process


@pytest.fixture
def webhook_receiver() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    receiver.start()
    yield receiver
    receiver.stop()
