from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    """The project package as an app: site-wide template tags, the commands that span every
    app (seed_demo, signalmap), and the request log.

    `ready()` connects the request log to Django's task signals, so that a task's log lines
    carry its id."""

    name = "storefront"
    verbose_name = "Storefront"

    def ready(self):
        from django.tasks.signals import task_finished, task_started

        from . import receivers

        task_started.connect(
            receivers.log_with_task_id, dispatch_uid="storefront.log_task_id.started"
        )
        task_finished.connect(
            receivers.log_without_task_id, dispatch_uid="storefront.log_task_id.finished"
        )
