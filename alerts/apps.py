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
        for move in self.mailed_moves():
            move.signal.connect(
                receivers.mail_customer,
                sender=Order,
                dispatch_uid=f"alerts.mail_customer.{move.to}",
            )

    def mailed_moves(self) -> list:
        """The moves of an order's life the customer is mailed about: every move in
        checkout's table that leads to a state alerts has a mail for."""
        from checkout.signals import MOVES

        from .services import ORDER_MAIL_SUBJECTS

        return [move for move in MOVES.values() if move.to in ORDER_MAIL_SUBJECTS]
