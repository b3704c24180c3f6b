from django.core.management.base import BaseCommand

from outbox.services import recover_emails


class Command(BaseCommand):
    """Queue delivery again for unfinished mail whose task was lost; safe to run any time."""

    help = (
        "Queue a delivery task again for every pending e-mail whose task was lost (a process "
        "died after its commit, a worker was killed mid-task). The worker does this when it "
        "starts; run it from cron to catch such mail without a restart."
    )

    def handle(self, *args, **options):
        recovered = recover_emails()
        self.stdout.write(f"Queued {recovered} e-mail(s) whose delivery task was lost.")
