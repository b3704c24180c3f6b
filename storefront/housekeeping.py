"""Housekeeping: the database keeps what is useful and lets go of the rest.

A recurring task (`housekeep`, booked by `run_worker` when it starts, then by itself every
`HOUSEKEEPING_INTERVAL`) does four things, each safe to repeat:

- **Abandoned tasks.** django-tasks-db runs each task once and never retries; a worker killed
  mid-task leaves its row RUNNING for good. A row RUNNING for longer than
  `settings.TASK_RUNNING_TIMEOUT` (default 1 hour, far beyond any of the shop's tasks: a mail
  attempt is bounded by 10 s timeouts) is marked FAILED, with the reason, so the queue's view
  in the admin tells the truth. The work itself is not lost: the outbox's recovery queues any
  mail such a task was sending again (outbox.services.recover_emails), once its claim expires.
- **Finished tasks** (successful or failed) older than `settings.RETENTION["finished_tasks"]`
  (default 14 days) are deleted.
- **Sent mail** older than `settings.RETENTION["sent_email"]` (default 90 days) is deleted.
  Failed and unfinished mail stays for staff to see and re-send, however old.
- **Rate counters** whose window has closed are deleted.

Kept in this module with its task rather than in a tasks.py: it is the project's own upkeep,
across the queue, the outbox and the limits, not one app's background work.
"""

import logging
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.tasks import task
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

HOUSEKEEPING_INTERVAL = timedelta(hours=1)

ABANDONED = (
    "storefront.housekeeping.Abandoned: still RUNNING after {timeout}; its worker stopped "
    "mid-task (killed or crashed). Mail it was sending is queued again by the outbox's "
    "recovery."
)


def housekeeping() -> dict[str, int]:
    """Run every round of upkeep once; return how many rows each touched."""
    now = timezone.now()
    timeout = settings.TASK_RUNNING_TIMEOUT
    abandoned = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - timeout
    ).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path="storefront.housekeeping.Abandoned",
        traceback=ABANDONED.format(timeout=timeout),
    )
    finished, _ = DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.SUCCESSFUL) | Q(status=TaskResultStatus.FAILED),
        finished_at__lt=now - settings.RETENTION["finished_tasks"],
    ).delete()
    # The outbox's model by its label: the project package reaches into no app's modules.
    OutboundEmail = apps.get_model("outbox", "OutboundEmail")
    sent, _ = OutboundEmail.objects.filter(
        status=OutboundEmail.Status.SENT, sent_at__lt=now - settings.RETENTION["sent_email"]
    ).delete()
    # Closed rate-limit windows (ratelimits.services.prune does the same for one app's use).
    RateCounter = apps.get_model("ratelimits", "RateCounter")
    counters, _ = RateCounter.objects.filter(window_ends__lte=now).delete()
    counts = {
        "abandoned_tasks": abandoned,
        "finished_tasks_deleted": finished,
        "sent_email_deleted": sent,
        "rate_counters_deleted": counters,
    }
    if any(counts.values()):
        logger.info("Housekeeping: %s", counts)
    return counts


@task
def housekeep() -> dict[str, int]:
    """Run the housekeeping, then book the next round (a recurring task, no cron needed)."""
    counts = housekeeping()
    schedule_housekeeping()
    return counts


def schedule_housekeeping() -> None:
    """Make sure a housekeeping round waits in the queue (a worker calls this when it starts)."""
    waiting = DBTaskResult.objects.filter(
        task_path=housekeep.module_path, status=TaskResultStatus.READY
    )
    if not waiting.exists():
        housekeep.using(run_after=timezone.now() + HOUSEKEEPING_INTERVAL).enqueue()
