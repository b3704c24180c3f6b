"""Housekeeping: the database keeps what is useful and lets go of the rest.

A recurring task (`housekeep`, booked by `run_worker` when it starts, then by itself every
`HOUSEKEEPING_INTERVAL`) runs two kinds of upkeep, each safe to repeat:

- **Each app's own.** An app that keeps rows only for a while says so in a `retention`
  module with `prune(*, now) -> {what: how many}`, collected the way `seed_demo` collects each
  app's `demo` module: sent mail (outbox), closed rate-limit windows (ratelimits), expired
  sessions (accounts), used confirmation links past their life (alerts), providers' events
  past any delivery of them (payments).
- **The task queue's.** django-tasks-db runs each task once and never retries; a worker killed
  mid-task leaves its row RUNNING for good. A row RUNNING for longer than
  `settings.TASK_RUNNING_TIMEOUT` (default 1 hour, far beyond any of the shop's tasks: a mail
  attempt is bounded by 10 s timeouts) is marked FAILED, with the reason, so the queue's view
  in the admin tells the truth. The work itself is not lost: the outbox's recovery queues any
  mail such a task was sending again (outbox.services.recover_emails), once its claim expires.
  Finished tasks older than `settings.RETENTION["finished_tasks"]` are deleted by the
  library's own `prune_db_task_results`.
"""

import logging
from datetime import timedelta
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.tasks import task
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django.utils.module_loading import module_has_submodule
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

HOUSEKEEPING_INTERVAL = timedelta(hours=1)

ABANDONED = (
    "operations.housekeeping.Abandoned: still RUNNING after {timeout}; its worker stopped "
    "mid-task (killed or crashed). Mail it was sending is queued again by the outbox's "
    "recovery."
)


def housekeeping() -> dict[str, int]:
    """Run every round of upkeep once; return how many rows each touched."""
    now = timezone.now()
    counts = {"abandoned_tasks": _close_abandoned_tasks(now), **_prune_finished_tasks()}
    for app_config in apps.get_app_configs():
        if module_has_submodule(app_config.module, "retention"):
            counts |= import_module(f"{app_config.name}.retention").prune(now=now)
    if any(counts.values()):
        logger.info("Housekeeping: %s", counts)
    return counts


def _close_abandoned_tasks(now) -> int:
    timeout = settings.TASK_RUNNING_TIMEOUT
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - timeout
    ).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path="operations.housekeeping.Abandoned",
        traceback=ABANDONED.format(timeout=timeout),
    )


def _prune_finished_tasks() -> dict[str, int]:
    finished = DBTaskResult.objects.finished()
    before = finished.count()
    call_command(
        "prune_db_task_results",
        queue_name="*",
        min_age_days=settings.RETENTION["finished_tasks"].days,
        verbosity=0,
    )
    return {"finished_tasks_deleted": before - finished.count()}


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
