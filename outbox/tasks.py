"""The outbox's background work as Django Tasks: thin callers of `outbox.services`.

The task paths stored in the queue (`outbox.tasks.deliver_email`, `outbox.tasks.
recover_lost_email`) are part of the data: renaming a task strands what is already queued, so
a rename needs a migration that rewrites the queued rows (see outbox/migrations/0001_initial.py).
"""

from django.tasks import task

from . import services


@task
def deliver_email(email_id: int) -> str | None:
    """Send one queued mail if it is still due and no other run holds it; returns its status."""
    return services.deliver(email_id=email_id)


@task
def recover_lost_email() -> int:
    """Queue delivery again for mail whose task was lost, then book the next round.

    Returns how many mails were queued again.
    """
    recovered = services.recover_emails()
    services.schedule_recovery()
    return recovered
