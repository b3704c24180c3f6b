import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connections, transaction
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from outbox.models import OutboundEmail
from outbox.services import CLAIM_LEASE, claim_email, queue_email, recover_emails, resend_emails

from .factories import OutboundEmailFactory
from .fixtures import run_worker, time_passes

# Real commits: on_commit runs as in production, and the worker (which closes connections
# between tasks, as it should) can run in the test.
pytestmark = pytest.mark.django_db(transaction=True)


def _queue(**changes) -> OutboundEmail:
    fields = {
        "key": "order-1-shipped",
        "to": "ada@example.com",
        "subject": "Your parcel is on its way",
        "template": "mailtest/greeting",
        "context": {"name": "Ada", "parcel": "Tom & Jerry's <mugs>"},
    } | changes
    queue_email(**fields)
    return OutboundEmail.objects.get(key=fields["key"])


def _queued_tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(status=TaskResultStatus.READY))


def _queued_tasks_seen_by_another_connection() -> list[DBTaskResult]:
    """What a worker (its own connection) finds in the queue right now."""
    seen = []

    def look():
        try:
            seen.extend(_queued_tasks())
        finally:
            connections.close_all()

    thread = threading.Thread(target=look)
    thread.start()
    thread.join()
    return seen


def test_queued_mail_is_rendered_at_once_and_its_task_commits_with_it():
    with transaction.atomic():
        email = _queue()
        # Not visible to a worker (another connection) before the commit.
        assert _queued_tasks_seen_by_another_connection() == []

    assert email.status == OutboundEmail.Status.PENDING
    assert email.text_body == "Hello Ada,\n\nyour parcel Tom & Jerry's <mugs> is on its way.\n"
    assert "<strong>Tom &amp; Jerry&#x27;s &lt;mugs&gt;</strong>" in email.html_body
    [task] = _queued_tasks()
    assert task.task_path == "outbox.tasks.deliver_email"
    # The task names the mail by its key, and the mail names its task: both written once.
    assert task.args_kwargs["args"] == [email.key]
    assert email.task_id == str(task.id)


def test_the_worker_delivers_queued_mail_as_text_and_html():
    email = _queue()

    run_worker()

    [message] = mail.outbox
    assert message.to == ["ada@example.com"]
    assert message.subject == "Your parcel is on its way"
    assert "Tom & Jerry's <mugs>" in message.body
    assert message.alternatives[0].mimetype == "text/html"
    assert "Tom &amp; Jerry" in message.alternatives[0].content
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.sent_at is not None


def test_the_same_key_twice_queues_one_mail_the_first():
    first = _queue(subject="First")
    again = _queue(subject="Second", to="bob@example.com")

    assert again.pk == first.pk
    assert again.subject == "First"
    assert OutboundEmail.objects.get().to == "ada@example.com"
    # The second call's task is a spare wake-up for the same mail: it finds it sent.
    assert len(_queued_tasks()) == 2

    run_worker()
    _queue(subject="Third")
    run_worker()

    assert [message.subject for message in mail.outbox] == ["First"]


def test_rolling_back_the_causing_transaction_leaves_no_mail_and_no_task():
    with pytest.raises(RuntimeError), transaction.atomic():
        _queue()
        raise RuntimeError("the order could not be placed")

    assert not OutboundEmail.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_subject_is_folded_to_one_line_and_cut_to_fit():
    email = _queue(subject="Line one\r\nBcc: someone@example.com " + "x" * 300)

    assert "\n" not in email.subject
    assert email.subject.startswith("Line one Bcc: someone@example.com xxx")
    assert len(email.subject) == 255
    assert email.subject.endswith("…")


def test_resend_gives_failed_mail_fresh_attempts_and_never_repeats_sent_mail():
    failed = OutboundEmailFactory(failed=True)
    sent = OutboundEmailFactory(sent=True)

    queued = resend_emails(emails=OutboundEmail.objects.all())

    assert queued == 1
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (OutboundEmail.Status.PENDING, 0)
    assert [task.args_kwargs["args"] for task in _queued_tasks()] == [[failed.pk]]

    run_worker()

    assert [message.to for message in mail.outbox] == [[failed.to]]
    sent.refresh_from_db()
    assert sent.status == OutboundEmail.Status.SENT


def test_resend_leaves_mail_that_is_being_sent_alone():
    sending = OutboundEmailFactory()
    claimed = claim_email(sending.pk)

    queued = resend_emails(emails=OutboundEmail.objects.all())

    assert queued == 0
    sending.refresh_from_db()
    assert sending.claim_token == claimed.claim_token
    assert _queued_tasks() == []


def test_recovery_queues_mail_whose_task_was_lost():
    # As if the process died between the commit and its on_commit enqueue.
    lost = OutboundEmailFactory()

    assert recover_emails() == 1

    [task] = _queued_tasks()
    assert task.args_kwargs["args"] == [lost.pk]
    run_worker()
    assert [message.to for message in mail.outbox] == [[lost.to]]


def test_recovery_leaves_mail_whose_task_still_waits_alone():
    _queue()

    assert recover_emails() == 0
    assert len(_queued_tasks()) == 1


def test_recovery_keeps_a_retry_waiting_until_its_time():
    waiting = OutboundEmailFactory(
        attempts=2, next_attempt_at=timezone.now() + timedelta(minutes=5)
    )

    recover_emails()
    run_worker()
    assert mail.outbox == []

    time_passes(timedelta(minutes=5))
    run_worker()
    assert [message.to for message in mail.outbox] == [[waiting.to]]


def test_a_worker_killed_mid_delivery_is_recovered_and_the_mail_delivered_once():
    email = _queue()
    # The killed worker's state: its task RUNNING for good, the mail claimed by it.
    task = DBTaskResult.objects.get()
    task.claim("killed-worker")
    claim_email(email.pk)

    output = run_worker()  # the restarted worker

    assert "Queued 1 e-mail(s) whose delivery task was lost." in output
    assert mail.outbox == []  # the dead worker's claim still holds
    time_passes(CLAIM_LEASE)
    run_worker()
    run_worker()
    assert [message.to for message in mail.outbox] == [["ada@example.com"]]
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.SENT, 2)


def test_recover_email_command_reports_what_it_queued():
    OutboundEmailFactory.create_batch(2)
    OutboundEmailFactory(sent=True)
    output = StringIO()

    call_command("recover_email", stdout=output)

    assert output.getvalue().strip() == "Queued 2 e-mail(s) whose delivery task was lost."
    assert len(_queued_tasks()) == 2
