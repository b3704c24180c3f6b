"""Delivery of the shop's outgoing mail, one OutboundEmail per task run.

django-tasks-db runs each task once and never retries, and a worker killed mid-task leaves its
task RUNNING for good. So the durable state lives on OutboundEmail, not in the queue: a task is
only a wake-up call for one mail, and any number of them may arrive (duplicates, early retries,
recovery after a crash). Each run claims the mail with a conditional UPDATE, and only the run
holding the claim sends it; every other run finds nothing to do.
"""

import logging
import uuid
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import OutboundEmail

logger = logging.getLogger(__name__)

# Wait after the 1st, 2nd, ... failed attempt. Six attempts over more than five hours ride out
# a mail server restart as well as an afternoon's outage.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=4),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1

# How long a claim holds. It must outlast the slowest real attempt, or a second worker could
# send the mail while the first is still talking to the server: the mailer's 10 s socket
# timeout bounds each of the handful of SMTP exchanges, far below this.
CLAIM_LEASE = timedelta(minutes=5)

INTERRUPTED = (
    "The last attempt was interrupted (its worker stopped) and may or may not have reached "
    "the mail server. Re-send it if it did not arrive."
)


@task
def deliver_email(email_id: int) -> str | None:
    """Send one OutboundEmail unless another run has sent it, holds it, or it is not due yet.

    The mail is sent outside any transaction: a slow server must not hold database locks.
    A failure (refused, timed out, rejected address) schedules the next attempt with a growing
    delay; after MAX_ATTEMPTS the mail is marked failed for staff to see and re-send. Returns
    the mail's status afterwards, which the task result keeps.
    """
    email = claim_email(email_id)
    if email is None:
        return _status(email_id)
    try:
        email.to_message().send()
    except Exception as error:
        # Whatever stopped this attempt, the mail did not go: record why and try again later,
        # rather than leave the claim to expire.
        return _record_failure(email, error)
    return _record_success(email)


def enqueue_delivery(*, email_id: int, run_after: datetime | None = None) -> None:
    """Queue a deliver_email run for the mail, not before `run_after`, and remember its id."""
    result = deliver_email.using(run_after=run_after).enqueue(email_id)
    OutboundEmail.objects.filter(pk=email_id).update(task_id=result.id)


def claim_email(email_id: int) -> OutboundEmail | None:
    """Take the mail for this run, or return None when it is not ours to send.

    One UPDATE decides, so two runs can never both win: the database applies them one after
    the other, and the second no longer matches `due()` (PostgreSQL re-checks the WHERE clause
    on the row the first one committed).
    """
    now = timezone.now()
    token = uuid.uuid4()
    due = OutboundEmail.objects.due(now).filter(pk=email_id)
    claimed = due.filter(attempts__lt=MAX_ATTEMPTS).update(
        status=OutboundEmail.Status.SENDING,
        claim_token=token,
        claimed_at=now,
        next_attempt_at=now + CLAIM_LEASE,
        attempts=F("attempts") + 1,
    )
    if claimed:
        return OutboundEmail.objects.get(pk=email_id, claim_token=token)
    # An expired claim on the final attempt: its worker died mid-send. Trying again would
    # exceed the attempts allowed, and could deliver twice; staff decide instead.
    if due.filter(status=OutboundEmail.Status.SENDING, attempts__gte=MAX_ATTEMPTS).update(
        status=OutboundEmail.Status.FAILED, claim_token=None, last_error=INTERRUPTED
    ):
        logger.error("Gave up e-mail %s: its last attempt was interrupted.", email_id)
    return None


def _record_success(email: OutboundEmail) -> str:
    now = timezone.now()
    recorded = OutboundEmail.objects.filter(pk=email.pk, claim_token=email.claim_token).update(
        status=OutboundEmail.Status.SENT, sent_at=now, claim_token=None
    )
    if not recorded:
        # Only possible if this attempt outlived CLAIM_LEASE and another run took over.
        logger.warning("E-mail %s was sent after its claim expired.", email.pk)
    logger.info("Sent e-mail %s to %s (attempt %d).", email.pk, email.to, email.attempts)
    return OutboundEmail.Status.SENT


def _record_failure(email: OutboundEmail, error: Exception) -> str:
    now = timezone.now()
    last_error = f"Attempt {email.attempts}: {type(error).__name__}: {error}"
    if email.attempts >= MAX_ATTEMPTS:
        status, next_attempt_at = OutboundEmail.Status.FAILED, email.next_attempt_at
    else:
        status, next_attempt_at = (
            OutboundEmail.Status.PENDING,
            now + RETRY_DELAYS[email.attempts - 1],
        )
    # The new state and the retry's task commit together, as queue_email() does it: a worker
    # dying in between can leave neither a pending mail without its task nor the reverse.
    with transaction.atomic():
        recorded = OutboundEmail.objects.filter(pk=email.pk, claim_token=email.claim_token).update(
            status=status, next_attempt_at=next_attempt_at, claim_token=None, last_error=last_error
        )
        if recorded and status == OutboundEmail.Status.PENDING:
            enqueue_delivery(email_id=email.pk, run_after=next_attempt_at)
    if not recorded:
        # Another run took over after this one outlived CLAIM_LEASE: its outcome stands.
        logger.warning("E-mail %s failed after its claim expired: %s", email.pk, last_error)
        return _status(email.pk)
    if status == OutboundEmail.Status.FAILED:
        logger.error("Gave up e-mail %s after %d attempts: %s", email.pk, email.attempts, error)
        return status
    logger.warning("E-mail %s not sent, next attempt at %s: %s", email.pk, next_attempt_at, error)
    return status


def _status(email_id: int) -> str | None:
    return OutboundEmail.objects.filter(pk=email_id).values_list("status", flat=True).first()


# How often a running worker looks for mail whose delivery task was lost.
RECOVERY_INTERVAL = timedelta(minutes=5)


@task
def recover_lost_email() -> int:
    """Queue delivery again for mail whose task was lost, then book the next round.

    A recurring task: while any worker runs, lost mail (a web process died between its commit
    and queuing the delivery) goes out within RECOVERY_INTERVAL, with no restart and no cron.
    Returns how many mails were queued again.
    """
    # Imported here: storefront.mail imports this module for deliver_email.
    from .mail import recover_emails

    recovered = recover_emails()
    schedule_recovery()
    return recovered


def schedule_recovery() -> None:
    """Make sure a recovery round waits in the queue (a worker calls this when it starts)."""
    waiting = DBTaskResult.objects.filter(
        task_path=recover_lost_email.module_path, status=TaskResultStatus.READY
    )
    if not waiting.exists():
        recover_lost_email.using(run_after=timezone.now() + RECOVERY_INTERVAL).enqueue()
