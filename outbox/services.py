"""The shop's outgoing mail: every write to the outbox, and the delivery of what it holds.

Every app sends mail the same way: inside the transaction of the change that causes it, call
`queue_email(...)`. The mail commits or rolls back with that change, and a task delivers it
after the commit, retrying through mail server outages. Queuing never talks to a mail server,
so it can never slow down or fail a customer's action.

Delivery (`deliver`) is written for django-tasks-db, which runs each task once and never
retries, and leaves the task of a worker killed mid-task RUNNING for good. So the durable state
lives on OutboundEmail, not in the queue: a task is only a wake-up call for one mail, and any
number of them may arrive (duplicates, early retries, recovery after a crash). Each run claims
the mail with a conditional UPDATE, and only the run holding the claim sends it; every other run
finds nothing to do.

`outbox.tasks` holds the thin tasks that call `deliver` and `recover_lost`; this module reaches
them through `_tasks()` rather than a module-level import, so the two never import each other.
"""

import logging
import uuid
from datetime import datetime, timedelta
from typing import cast

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.tasks.base import TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone
from django.utils.text import Truncator
from django_tasks_db.models import DBTaskResult

from .models import OutboundEmail, render_bodies

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
CLAIM_LEASE = settings.OUTBOX_CLAIM_LEASE

# How often a running worker looks for mail whose delivery task was lost.
RECOVERY_INTERVAL = settings.OUTBOX_RECOVERY_INTERVAL

INTERRUPTED = (
    "The last attempt was interrupted (its worker stopped) and may or may not have reached "
    "the mail server. Re-send it if it did not arrive."
)


def _tasks():
    """The outbox's task module, imported when a task is first queued.

    The tasks call this module's functions, and this module queues the tasks: a module-level
    import in both directions would be a cycle, so this side defers it (as HackSoftware's
    Django-Styleguide-Example does in its `emails` app). By the time anything is queued, every
    module is loaded.
    """
    from . import tasks

    return tasks


# Queuing -------------------------------------------------------------------------------------


# What the outbox shows staff in place of a body rendered only at delivery.
RENDERED_AT_DELIVERY = (
    "(This message holds a one-time link. It is written when it is sent and is not kept.)"
)


def is_queued(key: str) -> bool:
    """Whether a mail under `key` was ever queued (it may have been sent since): for a caller
    that would rather not build a mail `queue_email` would then ignore."""
    return OutboundEmail.objects.filter(key=key).exists()


def queue_email(
    *,
    key: str,
    to: str,
    subject: str,
    template: str,
    context: dict,
    render_at_delivery: bool = False,
    from_email: str = "",
) -> None:
    """Record an e-mail, and queue its delivery, to go out once the current transaction commits.

    Call it inside the transaction of the change that causes the mail (a comment saved, an order
    confirmed): the record and its delivery task commit or roll back with that change. Renders
    `{template}.txt` and `{template}.html` now; `key` makes it idempotent (the same key twice →
    one e-mail, the first).

    With `render_at_delivery`, nothing is rendered now: the template and `context` (plain,
    JSON-serialisable values such as ids) are stored, and each delivery attempt renders them
    (`OutboundEmail.to_message`). For mail that carries a credential (a password-reset link),
    which must not sit in the outbox for staff to read.

    `from_email` is the sender when it is not the shop's DEFAULT_FROM_EMAIL.
    """
    # A header holds one line, and the subject column 255 characters: fit the subject to both
    # here rather than fail the caller's transaction over a long title.
    subject = Truncator(" ".join(subject.split())).chars(
        cast(int, OutboundEmail._meta.get_field("subject").max_length)
    )
    if render_at_delivery:
        stored = {"template": template, "context": context}
        text_body, html_body = RENDERED_AT_DELIVERY, f"<p>{RENDERED_AT_DELIVERY}</p>"
    else:
        stored = {}
        text_body, html_body = render_bodies(template, context)
    # The change, its mail and the mail's task commit together, in two INSERTs and no
    # savepoint; why in this order, and why the conflict is ignored: docs/writes.md.
    with transaction.atomic(savepoint=False):
        result = _tasks().deliver_email.enqueue(key)
        OutboundEmail.objects.bulk_create(
            [
                OutboundEmail(
                    key=key,
                    to=to,
                    from_email=from_email,
                    subject=subject,
                    text_body=text_body,
                    html_body=html_body,
                    task_id=result.id,
                    **stored,
                )
            ],
            ignore_conflicts=True,
        )


def enqueue_delivery(*, email_id: int, run_after: datetime | None = None) -> None:
    """Queue a delivery run for the mail, not before `run_after`, and remember its task id."""
    result = _tasks().deliver_email.using(run_after=run_after).enqueue(email_id)
    OutboundEmail.objects.filter(pk=email_id).update(task_id=result.id)


# Delivery ------------------------------------------------------------------------------------


def _named(email: int | str) -> Q:
    """The mail a delivery task names: by its key (the first delivery, queued by
    `queue_email` before the row had an id) or by its id (retries, recovery, re-sending)."""
    return Q(key=email) if isinstance(email, str) else Q(pk=email)


def deliver(*, email: int | str) -> str | None:
    """Send one OutboundEmail (its id or key) unless another run has sent it, holds it, or it
    is not due yet.

    The mail is sent outside any transaction: a slow server must not hold database locks.
    A failure (refused, timed out, rejected address) schedules the next attempt with a growing
    delay; after MAX_ATTEMPTS the mail is marked failed for staff to see and re-send. Returns
    the mail's status afterwards (None for a mail that does not exist).
    """
    claimed = claim_email(email)
    if claimed is None:
        return _status(email)
    try:
        claimed.to_message().send()
    except Exception as error:
        # Whatever stopped this attempt, the mail did not go: record why and try again later,
        # rather than leave the claim to expire.
        return record_failure(claimed, error)
    return record_success(claimed)


def claim_email(email: int | str) -> OutboundEmail | None:
    """Take the mail (its id or key) for this run, or return None when it is not ours to send.

    One UPDATE decides, so two runs can never both win: the database applies them one after
    the other, and the second no longer matches `due()` (PostgreSQL re-checks the WHERE clause
    on the row the first one committed).
    """
    now = timezone.now()
    token = uuid.uuid4()
    due = OutboundEmail.objects.due(now).filter(_named(email))
    claimed = due.filter(attempts__lt=MAX_ATTEMPTS).update(
        status=OutboundEmail.Status.SENDING,
        claim_token=token,
        claimed_at=now,
        next_attempt_at=now + CLAIM_LEASE,
        attempts=F("attempts") + 1,
    )
    if claimed:
        return OutboundEmail.objects.get(_named(email), claim_token=token)
    # An expired claim on the final attempt: its worker died mid-send. Trying again would
    # exceed the attempts allowed, and could deliver twice; staff decide instead.
    if due.filter(status=OutboundEmail.Status.SENDING, attempts__gte=MAX_ATTEMPTS).update(
        status=OutboundEmail.Status.FAILED, claim_token=None, last_error=INTERRUPTED
    ):
        logger.error("Gave up e-mail %s: its last attempt was interrupted.", email)
    return None


def record_success(email: OutboundEmail) -> str:
    """Mark a claimed mail sent, if this run still holds its claim."""
    now = timezone.now()
    recorded = OutboundEmail.objects.filter(pk=email.pk, claim_token=email.claim_token).update(
        status=OutboundEmail.Status.SENT, sent_at=now, claim_token=None
    )
    if not recorded:
        # Only possible if this attempt outlived CLAIM_LEASE and another run took over.
        logger.warning("E-mail %s was sent after its claim expired.", email.pk)
    logger.info("Sent e-mail %s to %s (attempt %d).", email.pk, email.to, email.attempts)
    return OutboundEmail.Status.SENT


def record_failure(email: OutboundEmail, error: Exception) -> str | None:
    """Record a failed attempt: book the retry with its task, or give up after the last one."""
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


def _status(email: int | str) -> str | None:
    return OutboundEmail.objects.filter(_named(email)).values_list("status", flat=True).first()


# Staff and recovery --------------------------------------------------------------------------


@transaction.atomic
def resend_emails(*, emails: QuerySet[OutboundEmail]) -> int:
    """Give failed (or still waiting) mail a fresh set of attempts, starting now.

    Mail that was sent, or is being sent right now, is left alone: re-sending never delivers
    twice. Returns how many were queued again.
    """
    # Locked, so a worker cannot claim one of them between the read and the update.
    chosen = list(
        emails.select_for_update()
        .filter(status__in=[OutboundEmail.Status.FAILED, OutboundEmail.Status.PENDING])
        .values_list("pk", flat=True)
    )
    OutboundEmail.objects.filter(pk__in=chosen).update(
        status=OutboundEmail.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    for email_id in chosen:
        enqueue_delivery(email_id=email_id)  # commits with the new attempts, or not at all
    return len(chosen)


def recover_emails() -> int:
    """Queue a delivery task again for every unfinished mail whose task was lost.

    A task is lost when a worker was killed mid-task (django-tasks-db leaves that task RUNNING
    forever and never retries it), when a retry's enqueue after its commit failed, or when
    someone pruned the task table. A mail whose task still waits in the queue is left alone.
    The new task runs when the mail is next due: at once, at its next retry time, or when a
    dead worker's claim expires. Safe to run at any time and as often as wanted. Returns how
    many were queued.
    """
    recovered = 0
    for email in OutboundEmail.objects.unfinished().order_by("pk"):
        if _task_still_queued(email.task_id):
            continue
        enqueue_delivery(email_id=email.pk, run_after=email.next_attempt_at)
        recovered += 1
    return recovered


def _task_still_queued(task_id: str) -> bool:
    if not task_id:
        return False
    try:
        return _tasks().deliver_email.get_result(task_id).status == TaskResultStatus.READY
    except TaskResultDoesNotExist:
        return False


def schedule_recovery() -> None:
    """Make sure a recovery round waits in the queue (the worker calls this when it starts).

    A recurring round: while any worker runs, lost mail (a web process died between its commit
    and queuing the delivery) goes out within RECOVERY_INTERVAL, with no restart and no cron.
    """
    recover_lost_email = _tasks().recover_lost_email
    waiting = DBTaskResult.objects.filter(
        task_path=recover_lost_email.module_path, status=TaskResultStatus.READY
    )
    if not waiting.exists():
        recover_lost_email.using(run_after=timezone.now() + RECOVERY_INTERVAL).enqueue()
