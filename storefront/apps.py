from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    """The project package as an app: site-wide template tags, the commands that span every
    app (seed_demo, signalmap). Its
    first migrations are the history of the e-mail outbox's first home, kept so that databases
    made before the move migrate forward.

    `ready()` connects the page cache and the row copies (sessions, users, cart sizes) to the
    cache backend's `cache_reconnected`, so what may have missed a write in an outage is
    forgotten when the cache returns, and the request log to Django's task signals, so that a
    task's log lines carry its id."""

    name = "storefront"
    verbose_name = "Storefront"

    def ready(self):
        from django.tasks.signals import task_finished, task_started

        from . import receivers, rowcache
        from .cache import cache_reconnected
        from .pagecache import forget_pages_after_cache_outage

        cache_reconnected.connect(
            forget_pages_after_cache_outage, dispatch_uid="storefront.forget_pages_after_outage"
        )
        cache_reconnected.connect(rowcache.new_epoch, dispatch_uid="storefront.rowcache_new_epoch")
        task_started.connect(
            receivers.log_with_task_id, dispatch_uid="storefront.log_task_id.started"
        )
        task_finished.connect(
            receivers.log_without_task_id, dispatch_uid="storefront.log_task_id.finished"
        )
