"""The worker as a real process: killed in the middle of a delivery, then started again."""

import os
import signal
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from outbox.models import OutboundEmail
from outbox.services import CLAIM_LEASE, queue_email
from outbox.tasks import deliver_email

from .fixtures import run_worker, time_passes

pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    """The test database, as a DATABASE_URL another process can use."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def test_a_worker_killed_mid_delivery_and_started_again_delivers_exactly_once(smtp_server):
    queue_email(
        key="parcel-1",
        to="ada@example.com",
        subject="Your parcel",
        template="mailtest/greeting",
        context={"name": "Ada", "parcel": "#1"},
    )
    email = OutboundEmail.objects.get(key="parcel-1")
    smtp_server.hold()  # the server stalls mid-conversation, before the message is handed over
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--no-reload", "--no-startup-delay"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": _database_url(), "EMAIL_URL": smtp_server.url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert smtp_server.delivering.wait(30), "the worker never reached the mail server"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    smtp_server.release()
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENDING
    delivery = DBTaskResult.objects.get(task_path=deliver_email.module_path)
    assert delivery.status == "RUNNING"  # and so it stays: no retries there

    output = run_worker()  # started again
    assert "Queued 1 e-mail(s) whose delivery task was lost." in output
    assert smtp_server.messages == []  # the dead worker's claim holds until it expires
    time_passes(CLAIM_LEASE)
    run_worker()
    run_worker()

    [received] = smtp_server.messages
    assert received["To"] == "ada@example.com"
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.SENT, 2)
