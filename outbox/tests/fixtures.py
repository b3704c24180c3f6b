"""Test fixtures for the outgoing mail: a real SMTP server, the real worker, and a clock to move.

Loaded for the whole suite through `pytest_plugins` in the root conftest.py, so the blog's and
checkout's tests and the browser tests use the same ones.
"""

import asyncio
import email
import signal
import socket
import threading
from datetime import timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db.models import F
from django.tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from outbox.models import OutboundEmail
from storefront.environment import mailers_from_url


class LoopbackSMTPServer:
    """An aiosmtpd server on a free loopback port that keeps every message it accepts.

    The port is chosen at once and the server started later (`start()`), so a test can point
    the shop at a port where nothing listens yet: a mail server outage. `hold()` makes the
    server sit on the next recipient until `release()`: a slow server, with a client stuck in
    the middle of handing over a message.
    """

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"smtp://127.0.0.1:{self.port}"
        self.messages: list[EmailMessage] = []
        self.delivering = threading.Event()
        self._released = threading.Event()
        self._released.set()
        self._controller = None

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        self._released.set()
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def hold(self) -> None:
        self._released.clear()

    def release(self) -> None:
        self._released.set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        """aiosmtpd's hook for each recipient: accept it, after waiting out a hold."""
        self.delivering.set()
        await asyncio.to_thread(self._released.wait, 30)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        """aiosmtpd's hook for a message's content: keep it."""
        self.messages.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    """A running SMTP server on a free loopback port, and the shop's mailer pointed at it."""
    server = LoopbackSMTPServer()
    settings.MAILERS = mailers_from_url(server.url)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_outage(settings):
    """The shop's mailer pointed at a free loopback port where nothing listens (yet).

    Connections are refused until the test calls `.start()` on the returned server.
    """
    server = LoopbackSMTPServer()
    settings.MAILERS = mailers_from_url(server.url)
    yield server
    server.stop()


def run_worker() -> str:
    """Run `manage.py run_worker --batch`: recover lost mail, run every due task, then return.

    The worker installs its own SIGINT/SIGTERM handlers; they are put back afterwards, so
    Ctrl+C still stops the test run. Returns what the worker printed.
    """
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    output = StringIO()
    try:
        call_command("run_worker", batch=True, reload=False, startup_delay=False, stdout=output)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
    return output.getvalue()


def time_passes(delta: timedelta) -> None:
    """Move the mail outbox and the task queue `delta` into the future, without sleeping.

    Every stored point in time the worker compares with "now" moves back by `delta`: next
    attempt times, claim expiries, and the `run_after` of queued tasks.
    """
    OutboundEmail.objects.update(
        next_attempt_at=F("next_attempt_at") - delta, claimed_at=F("claimed_at") - delta
    )
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).exclude(
        run_after=get_date_max()
    ).update(run_after=F("run_after") - delta)
