from django_tasks_db.management.commands import db_worker

from operations.housekeeping import schedule_housekeeping
from operations.signals import worker_started
from outbox.services import recover_emails, schedule_recovery


class Command(db_worker.Command):
    """The shop's task worker: django-tasks-db's `db_worker`, which first recovers mail whose
    delivery task was lost and books the recurring rounds that keep recovering it and keep the
    tables tidy (operations.housekeeping).

    It has a name of its own so that `db_worker` stays the library's command, documented where
    the library documents it; every way the shop starts a worker (`make run`, `make serve`, a
    process manager, `run_worker --batch` in tests) uses this one. See
    `outbox.services.recover_emails`. Apps book their own recurring work when they hear
    `worker_started` (operations.signals).
    """

    help = db_worker.Command.help + ", after queuing again any mail whose delivery task was lost"

    def handle(self, *args, **options):
        recovered = recover_emails()
        if recovered and options["verbosity"]:
            self.stdout.write(f"Queued {recovered} e-mail(s) whose delivery task was lost.")
        schedule_recovery()
        # The project's upkeep (task rows, sent mail, rate counters) rides on the same worker.
        schedule_housekeeping()
        worker_started.send(sender=type(self))
        super().handle(*args, **options)
