from django_tasks_db.management.commands import db_worker

from storefront.housekeeping import schedule_housekeeping
from storefront.mail import recover_emails
from storefront.tasks import schedule_recovery


class Command(db_worker.Command):
    """django-tasks-db's `db_worker`, which first recovers mail whose delivery task was lost,
    and books the recurring rounds that keep recovering it and keep the tables tidy
    (storefront.housekeeping) while the worker runs.

    The project's apps come first in INSTALLED_APPS, so this command replaces the library's
    under the same name: every way of starting a worker (`make run`, a process manager,
    `db_worker --batch` in tests) recovers before it works. See `storefront.mail.recover_emails`.
    """

    help = db_worker.Command.help + ", after queuing again any mail whose delivery task was lost"

    def handle(self, *args, **options):
        recovered = recover_emails()
        if recovered and options["verbosity"]:
            self.stdout.write(f"Queued {recovered} e-mail(s) whose delivery task was lost.")
        schedule_recovery()
        schedule_housekeeping()
        super().handle(*args, **options)
