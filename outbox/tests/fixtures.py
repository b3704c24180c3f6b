"""Test fixtures for the outgoing mail: a real SMTP server, the real worker (in this process or
killed in one of its own), a clock to move, and a message to send.

Loaded for the whole suite through `pytest_plugins` in the root conftest.py, so the blog's and
checkout's tests and the browser tests use the same ones.
"""

import asyncio
import email
import os
import signal
import socket
import subprocess
import sys
import threading
from datetime import timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from io import StringIO
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.management import call_command
from django.db.models import F
from django.tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from outbox.models import OutboundEmail
from storefront.environment import mailers_from_url
from storefront.tests.processes import database_url


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


def kill_worker_mid_delivery(smtp_server: LoopbackSMTPServer) -> None:
    """Start `manage.py run_worker` as a process of its own, hold `smtp_server` when the worker
    reaches it, SIGKILL the worker there, in the middle of a delivery, then let the server go.

    The worker reads the test database, so the test commits what it queued
    (`django_db(transaction=True)`); the mail is left claimed and its task running, as a worker
    dying mid-delivery leaves them.
    """
    smtp_server.hold()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--no-reload", "--no-startup-delay"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": database_url(), "EMAIL_URL": smtp_server.url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert smtp_server.delivering.wait(30), "the worker never reached the mail server"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    smtp_server.release()


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


@pytest.fixture
def mail_test_templates(settings):
    """A message of the tests' own to send, `mailtest/greeting.{txt,html}`: the outbox's tests
    use it (outbox/tests/conftest.py), and so may any other app's."""
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "DIRS": [*settings.TEMPLATES[0]["DIRS"], Path(__file__).parent / "templates"],
        }
    ]
