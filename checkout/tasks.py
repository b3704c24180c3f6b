"""Checkout's background work as Django Tasks: thin callers of `checkout.services`.

The task path stored in the queue (`checkout.tasks.cancel_unpaid_orders`) is part of the data:
renaming it strands what is already queued.
"""

from datetime import timedelta

from django.tasks import task
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from . import services

# How often a worker looks for orders left unpaid past settings.UNPAID_ORDER_DAYS.
UNPAID_CHECK_INTERVAL = timedelta(hours=1)


@task
def cancel_unpaid_orders() -> int:
    """Cancel the orders left unpaid too long, then book the next round (a recurring task).
    Returns how many were cancelled."""
    cancelled = services.cancel_unpaid_orders()
    schedule_unpaid_cancellation()
    return cancelled


def schedule_unpaid_cancellation() -> None:
    """Make sure a round waits in the queue (a worker asks for one when it starts)."""
    waiting = DBTaskResult.objects.filter(
        task_path=cancel_unpaid_orders.module_path, status=TaskResultStatus.READY
    )
    if not waiting.exists():
        cancel_unpaid_orders.using(run_after=timezone.now() + UNPAID_CHECK_INTERVAL).enqueue()
