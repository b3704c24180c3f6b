from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    """The project package as an app, for its templates and tests: settings, URLs, the health
    views, the error pages and the site-wide middleware live here; everything else is an
    app's."""

    name = "storefront"
    verbose_name = "Storefront"
