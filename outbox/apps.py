from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """The shop's outgoing mail: the outbox table, its delivery tasks, worker and admin.

    Every app queues mail through `outbox.services.queue_email`; nothing else of the outbox is
    used by another app.
    """

    name = "outbox"
    verbose_name = "Outgoing mail"
