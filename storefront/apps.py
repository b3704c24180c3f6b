from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    """The project package as an app: site-wide views and management commands."""

    name = "storefront"
    verbose_name = "Storefront"
