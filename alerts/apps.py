from django.apps import AppConfig, apps


class AlertsConfig(AppConfig):
    """Who is told what: back-in-stock subscriptions, staff low-stock alerts, and the customer's
    mails about their order.

    An app of its own because it is neither the catalog's business (the catalog announces
    stock changes and should not know who is waiting or how to reach them) nor checkout's or
    accounts' (a visitor with no account subscribes too); checkout announces an order's steps
    and leaves the telling to it. It listens to the catalog's and checkout's signals and mails
    through the outbox; remove it from INSTALLED_APPS and the shop works, silently.
    """

    name = "alerts"

    def ready(self):
        from catalog.signals import back_in_stock, stock_low
        from checkout.signals import (
            order_cancelled,
            order_confirmed,
            order_delivered,
            order_shipped,
        )

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
        # Connected before the catalog's take_stock (INSTALLED_APPS lists alerts first, and
        # receivers run in the order they were connected): the confirmation mail renders
        # before the product rows are locked, which then stay locked only until the commit.
        Order = apps.get_model("checkout", "Order")
        for signal, name in [
            (order_confirmed, "confirmed"),
            (order_shipped, "shipped"),
            (order_delivered, "delivered"),
            (order_cancelled, "cancelled"),
        ]:
            signal.connect(
                receivers.mail_customer, sender=Order, dispatch_uid=f"alerts.mail_customer.{name}"
            )
