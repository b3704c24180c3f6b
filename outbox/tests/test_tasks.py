import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connections
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from outbox.models import OutboundEmail
from outbox.services import (
    CLAIM_LEASE,
    INTERRUPTED,
    MAX_ATTEMPTS,
    RECOVERY_INTERVAL,
    RETRY_DELAYS,
    claim_email,
    queue_email,
    record_failure,
)
from outbox.tasks import deliver_email, recover_lost_email

from .factories import OutboundEmailFactory
from .fixtures import run_worker, time_passes


def _queued_deliveries() -> list[DBTaskResult]:
    """Delivery tasks waiting in the queue (a recovery round may be waiting there too)."""
    return list(
        DBTaskResult.objects.filter(
            task_path=deliver_email.module_path, status=TaskResultStatus.READY
        )
    )


# Real commits: the races below run on separate connections, as separate workers would.
pytestmark = pytest.mark.django_db(transaction=True)


def _in_thread(function, *args) -> threading.Thread:
    """Run `function` on its own thread and database connection, like a second worker."""

    def run():
        try:
            function(*args)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_delivery_sends_a_multipart_message_and_records_it():
    email = OutboundEmailFactory(to="ada@example.com")

    assert deliver_email.call(email.pk) == OutboundEmail.Status.SENT

    [message] = mail.outbox
    assert message.to == ["ada@example.com"]
    assert message.body == email.text_body
    assert message.alternatives[0].content == email.html_body
    assert message.extra_headers["Message-ID"] == email.message_id
    email.refresh_from_db()
    assert (email.status, email.attempts, email.claim_token) == (OutboundEmail.Status.SENT, 1, None)
    assert email.sent_at is not None


def test_a_duplicate_run_after_a_success_sends_nothing():
    email = OutboundEmailFactory()
    deliver_email.call(email.pk)
    time_passes(CLAIM_LEASE * 2)

    assert deliver_email.call(email.pk) == OutboundEmail.Status.SENT

    assert len(mail.outbox) == 1


def test_an_early_retry_sends_nothing():
    email = OutboundEmailFactory(attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=1))

    assert deliver_email.call(email.pk) == OutboundEmail.Status.PENDING

    assert mail.outbox == []
    email.refresh_from_db()
    assert email.attempts == 1


def test_a_run_that_finds_a_live_claim_leaves_it_alone():
    email = OutboundEmailFactory()
    holder = claim_email(email.pk)

    assert deliver_email.call(email.pk) == OutboundEmail.Status.SENDING

    assert mail.outbox == []
    email.refresh_from_db()
    assert (email.claim_token, email.attempts) == (holder.claim_token, 1)


def test_a_retry_racing_a_slow_success_delivers_once(smtp_server):
    email = OutboundEmailFactory(to="ada@example.com")
    smtp_server.hold()
    slow = _in_thread(deliver_email.call, email.pk)
    assert smtp_server.delivering.wait(5), "the first run never reached the mail server"

    # The slow run is in the middle of talking to the server: a retry now must do nothing.
    assert deliver_email.call(email.pk) == OutboundEmail.Status.SENDING
    smtp_server.release()
    slow.join(10)

    assert [message["To"] for message in smtp_server.messages] == ["ada@example.com"]
    time_passes(CLAIM_LEASE * 2)
    assert deliver_email.call(email.pk) == OutboundEmail.Status.SENT
    assert len(smtp_server.messages) == 1


def test_two_runs_starting_together_send_once(race):
    email = OutboundEmailFactory()

    outcomes = race(lambda _: claim_email(email.pk), range(2)).returned

    assert sorted(outcome is None for outcome in outcomes) == [False, True]


def test_a_stale_claim_is_taken_over_and_the_old_run_cannot_overwrite_the_outcome():
    email = OutboundEmailFactory()
    dead = claim_email(email.pk)  # a run whose worker then hung or died
    time_passes(CLAIM_LEASE)

    assert deliver_email.call(email.pk) == OutboundEmail.Status.SENT
    # The old run wakes up and reports a failure: the success stands.
    assert record_failure(dead, TimeoutError("timed out")) == OutboundEmail.Status.SENT

    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (OutboundEmail.Status.SENT, 2, "")
    assert len(mail.outbox) == 1


def test_the_retry_schedule_allows_at_least_five_attempts_over_ten_minutes():
    assert MAX_ATTEMPTS >= 5
    assert sum(RETRY_DELAYS, timedelta()) >= timedelta(minutes=10)
    assert list(RETRY_DELAYS) == sorted(set(RETRY_DELAYS))  # growing


def test_a_refusing_mail_server_is_retried_with_growing_delays_then_given_up(smtp_outage):
    queue_email(
        key="parcel-1",
        to="ada@example.com",
        subject="Your parcel",
        template="mailtest/greeting",
        context={"name": "Ada", "parcel": "#1"},
    )
    email = OutboundEmail.objects.get(key="parcel-1")

    for attempt, delay in enumerate(RETRY_DELAYS, start=1):
        before = timezone.now()
        run_worker()
        email.refresh_from_db()
        assert (email.status, email.attempts) == (OutboundEmail.Status.PENDING, attempt)
        assert f"Attempt {attempt}: ConnectionRefusedError" in email.last_error
        assert before + delay <= email.next_attempt_at <= timezone.now() + delay
        [retry] = _queued_deliveries()
        assert retry.run_after == email.next_attempt_at

        time_passes(delay - timedelta(seconds=1))
        run_worker()  # not yet: the retry waits for its time
        email.refresh_from_db()
        assert email.attempts == attempt
        time_passes(timedelta(seconds=1))

    run_worker()

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.FAILED, MAX_ATTEMPTS)
    assert not _queued_deliveries()
    assert f"Attempt {MAX_ATTEMPTS}: ConnectionRefusedError" in email.last_error


def test_an_interrupted_last_attempt_is_given_up_not_repeated():
    email = OutboundEmailFactory(attempts=MAX_ATTEMPTS - 1)
    claim_email(email.pk)  # the last attempt, whose worker is then killed
    time_passes(CLAIM_LEASE)

    assert deliver_email.call(email.pk) == OutboundEmail.Status.FAILED

    assert mail.outbox == []
    email.refresh_from_db()
    assert (email.attempts, email.last_error) == (MAX_ATTEMPTS, INTERRUPTED)


def _an_already_running_worker_works_through_what_is_due() -> None:
    """The library's worker loop, without the start-up recovery of our run_worker command:
    what a worker started long ago does on its next rounds."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="long-running",
        excluded_queue_names=[],
    ).run()


def test_a_running_worker_recovers_lost_mail_on_its_own_every_few_minutes():
    run_worker()  # a worker starts, and books its first recovery round
    # Then a web process commits a mail and dies before queuing its delivery.
    lost = OutboundEmailFactory()

    _an_already_running_worker_works_through_what_is_due()
    assert mail.outbox == []  # nothing knows about the mail yet

    time_passes(RECOVERY_INTERVAL)
    _an_already_running_worker_works_through_what_is_due()

    assert [message.to for message in mail.outbox] == [[lost.to]]
    rounds = DBTaskResult.objects.filter(
        task_path=recover_lost_email.module_path, status=TaskResultStatus.READY
    )
    assert rounds.count() == 1  # and the next round is booked, once
