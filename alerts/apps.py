from django.apps import AppConfig, apps
from django.core import checks


class AlertsConfig(AppConfig):
    """Who is told what: back-in-stock subscriptions, staff low-stock alerts, and the customer's
    mails about their order and its payment.

    An app of its own because it is neither the catalog's business (the catalog announces
    stock changes and should not know who is waiting or how to reach them) nor checkout's or
    accounts' (a visitor with no account subscribes too); checkout announces an order's steps,
    payments what became of its money, and both leave the telling to it. It listens to the
    catalog's, checkout's and payments' signals and mails through the outbox; remove it from
    INSTALLED_APPS and the shop works, silently.
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
        # The customer's mail renders before any other app's receiver of the same move runs
        # (the catalog's take_stock locks product rows until the commit). Receivers run in
        # the order they were connected (Django's signals know no priorities), so alerts must
        # connect first: INSTALLED_APPS lists it before the catalog, and when it does not,
        # check_order_mails_come_first stops `manage.py check`, migrate and runserver.
        Order = apps.get_model("checkout", "Order")
        self.heard_late = []
        for move in self.mailed_moves():
            if move.signal.has_listeners(Order):
                self.heard_late.append(move)
            move.signal.connect(
                receivers.mail_customer,
                sender=Order,
                dispatch_uid=f"alerts.mail_customer.{move.to}",
            )
        checks.register(check_order_mails_come_first)

        # The customer's mails about their money.
        from payments.signals import (
            payment_captured,
            payment_failed,
            payment_refunded,
            payment_started,
        )

        Payment = apps.get_model("payments", "Payment")
        payment_started.connect(
            receivers.mail_bank_details, sender=Payment, dispatch_uid="alerts.mail_bank_details"
        )
        for signal, name in [
            (payment_captured, "captured"),
            (payment_failed, "failed"),
            (payment_refunded, "refunded"),
        ]:
            signal.connect(
                receivers.mail_payment, sender=Payment, dispatch_uid=f"alerts.mail_payment.{name}"
            )

    def mailed_moves(self) -> list:
        """The moves of an order's life the customer is mailed about: every move in
        checkout's table that leads to a state alerts has a mail for."""
        from checkout.signals import MOVES

        from .services import ORDER_MAIL_SUBJECTS

        return [move for move in MOVES.values() if move.to in ORDER_MAIL_SUBJECTS]


def check_order_mails_come_first(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """alerts.E001: another app's receiver of an order's move was connected before the
    customer's mail, so the mail would render while that receiver's row locks are held."""
    return [
        checks.Error(
            f"Another app listens to checkout's {move.name!r} move before alerts does.",
            hint='List "alerts" before "catalog" (and any other app listening to checkout\'s '
            "order signals) in INSTALLED_APPS: receivers run in the order their apps "
            "connected them, and the customer's mail must render before the catalog locks "
            "the product rows until the commit.",
            obj=apps.get_app_config("alerts"),
            id="alerts.E001",
        )
        for move in apps.get_app_config("alerts").heard_late
    ]
