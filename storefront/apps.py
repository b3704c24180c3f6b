from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    """The project package as an app: site-wide views and management commands."""

    name = "storefront"
    verbose_name = "Storefront"

    def ready(self):
        from .cache import cache_reconnected
        from .pagecache import forget_pages_after_cache_outage

        cache_reconnected.connect(
            forget_pages_after_cache_outage, dispatch_uid="storefront.forget_pages_after_outage"
        )
