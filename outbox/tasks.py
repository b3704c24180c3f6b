"""The outbox's background work as Django Tasks: thin callers of `outbox.services`.

The task paths stored in the queue (`outbox.tasks.deliver_email`, `outbox.tasks.
recover_lost_email`) are part of the data: renaming a task strands what is already queued, so
a rename needs a migration that rewrites the queued rows (see outbox/migrations/0001_initial.py).
So are their arguments: `deliver_email` takes a mail's key (queued with the mail) or its id
(retries, recovery, and tasks queued before keys were used), and must go on taking both.
"""

from django.tasks import task

from . import services


@task
def deliver_email(email: int | str) -> str | None:
    """Send one queued mail (its key, or its id) if it is still due and no other run holds
    it; returns its status."""
    return services.deliver(email=email)


@task
def recover_lost_email() -> int:
    """Queue delivery again for mail whose task was lost, then book the next round.

    Returns how many mails were queued again.
    """
    recovered = services.recover_emails()
    services.schedule_recovery()
    return recovered
