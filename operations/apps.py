from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the shop in production: one log line per request, with an id the error page, the
    error mail and Sentry all carry (`requestlog`), the task worker's lines with the task's id,
    and the housekeeping every worker books (`housekeeping`).

    `ready()` connects the request log to Django's task signals, so that a task's log lines
    carry its id, and starts Sentry when SENTRY_DSN is set."""

    name = "operations"

    def ready(self):
        from django.conf import settings
        from django.tasks.signals import task_finished, task_started

        from . import receivers, sentry

        if settings.SENTRY_DSN:
            sentry.start()

        task_started.connect(
            receivers.log_with_task_id, dispatch_uid="operations.log_task_id.started"
        )
        task_finished.connect(
            receivers.log_without_task_id, dispatch_uid="operations.log_task_id.finished"
        )
