"""The shop's outgoing mail: an outbox in the database, delivered by `storefront.tasks`.

Every app sends mail the same way: inside the transaction of the change that causes it, call
`queue_email(...)`. The mail commits or rolls back with that change, and a task delivers it
after the commit, retrying through mail server outages. Nothing here talks to a mail server,
so queuing mail can never slow down or fail a customer's action.
"""

from django.db import transaction
from django.db.models import QuerySet
from django.tasks.base import TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import Truncator

from .models import OutboundEmail
from .tasks import deliver_email, enqueue_delivery

# What the outbox shows staff in place of a body rendered only at delivery.
RENDERED_AT_DELIVERY = (
    "(This message holds a one-time link. It is written when it is sent and is not kept.)"
)


def queue_email(
    *,
    key: str,
    to: str,
    subject: str,
    template: str,
    context: dict,
    render_at_delivery: bool = False,
) -> OutboundEmail:
    """Record an e-mail, and queue its delivery, to go out once the current transaction commits.

    Call it inside the transaction of the change that causes the mail (a comment saved, an order
    confirmed): the record and its delivery task commit or roll back with that change. Renders
    `{template}.txt` and `{template}.html` now; `key` makes it idempotent (the same key twice →
    one e-mail, the first).

    With `render_at_delivery`, nothing is rendered now: the template and `context` (plain,
    JSON-serialisable values such as ids) are stored, and each delivery attempt renders them.
    For mail that carries a credential, which must not sit in the outbox for staff to read.
    """
    # A header holds one line, and the subject column 255 characters: fit the subject to both
    # here rather than fail the caller's transaction over a long title.
    subject = Truncator(" ".join(subject.split())).chars(
        OutboundEmail._meta.get_field("subject").max_length
    )
    # Part of the caller's transaction (no savepoint of its own), or one of its own if called
    # outside any.
    with transaction.atomic(savepoint=False):
        email, created = OutboundEmail.objects.get_or_create(
            key=key,
            defaults={"to": to, "subject": subject}
            | (
                {
                    "template": template,
                    "context": context,
                    "text_body": RENDERED_AT_DELIVERY,
                    "html_body": f"<p>{RENDERED_AT_DELIVERY}</p>",
                }
                if render_at_delivery
                else {
                    "text_body": render_to_string(f"{template}.txt", context),
                    "html_body": render_to_string(f"{template}.html", context),
                }
            ),
        )
        if created:
            # The queue is a table of this same database, so the delivery task joins the
            # caller's transaction: the change, its mail and the task to send it commit
            # together, in one commit, or not at all. No worker sees the task before then.
            enqueue_delivery(email_id=email.pk)
    return email


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
        return deliver_email.get_result(task_id).status == TaskResultStatus.READY
    except TaskResultDoesNotExist:
        return False
