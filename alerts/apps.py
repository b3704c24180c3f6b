from django.apps import AppConfig, apps


class AlertsConfig(AppConfig):
    """Back-in-stock subscriptions and staff low-stock alerts.

    An app of its own because it is neither the catalog's business (the catalog announces
    stock changes and should not know who is waiting or how to reach them) nor checkout's or
    accounts' (a visitor with no account subscribes too). It listens to the catalog's signals
    and mails through the outbox; remove it from INSTALLED_APPS and the shop works, silently.
    """

    name = "alerts"

    def ready(self):
        from catalog.signals import back_in_stock, stock_low

        from . import receivers

        Product = apps.get_model("catalog", "Product")
        back_in_stock.connect(
            receivers.notify_subscribers, sender=Product, dispatch_uid="alerts.notify_subscribers"
        )
        stock_low.connect(
            receivers.alert_staff_low_stock,
            sender=Product,
            dispatch_uid="alerts.alert_staff_low_stock",
        )
