from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    """The project package as an app: site-wide template tags and the commands that span every
    app (seed_demo, signalmap). It has no models; its migrations are the history of the e-mail
    outbox's first home, kept so that databases made before the move migrate forward."""

    name = "storefront"
    verbose_name = "Storefront"
