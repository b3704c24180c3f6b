"""The worker as a real process: killed in the middle of a delivery, then started again."""

import pytest
from django_tasks_db.models import DBTaskResult

from outbox.models import OutboundEmail
from outbox.services import CLAIM_LEASE, queue_email
from outbox.tasks import deliver_email

from .fixtures import kill_worker_mid_delivery, run_worker, time_passes

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_killed_mid_delivery_and_started_again_delivers_exactly_once(smtp_server):
    queue_email(
        key="parcel-1",
        to="ada@example.com",
        subject="Your parcel",
        template="mailtest/greeting",
        context={"name": "Ada", "parcel": "#1"},
    )
    email = OutboundEmail.objects.get(key="parcel-1")

    # The server stalls mid-conversation, before the message is handed over: killed there.
    kill_worker_mid_delivery(smtp_server)

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
