"""The payments app's background work as Django Tasks: thin callers of `payments.services`.

The task paths stored in the queue (`payments.tasks.settle_payment`, `payments.tasks.reconcile`)
are part of the data: renaming one strands what is already queued.
"""

from datetime import timedelta

from django.tasks import task
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from . import services

# How often a worker reconciles the shop's payments with the provider's.
RECONCILE_INTERVAL = timedelta(minutes=2)


@task
def settle_payment(payment_id: int) -> str | None:
    """Capture, void or refund a card payment's money as its order now says; returns what was
    done, if anything. Queued in the transaction that decided the order."""
    return services.settle(payment=payment_id)


@task
def reconcile() -> dict[str, int]:
    """One round of reconciliation with the provider, then book the next (a recurring task)."""
    counts = services.reconcile()
    schedule_reconciliation()
    return counts


def schedule_reconciliation() -> None:
    """Make sure a reconciliation round waits in the queue (a worker calls this when it starts)."""
    waiting = DBTaskResult.objects.filter(
        task_path=reconcile.module_path, status=TaskResultStatus.READY
    )
    if not waiting.exists():
        reconcile.using(run_after=timezone.now() + RECONCILE_INTERVAL).enqueue()
