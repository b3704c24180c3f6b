from django.apps import AppConfig, apps
from django.core import checks


class PaymentsConfig(AppConfig):
    """Money and nothing else: payments for orders (a card through Stripe, or a bank transfer),
    each an append-only ledger, and the provider's webhook.

    An app of its own because money has rules of its own (every move once, through every
    fault) and checkout should not know how an order is paid: payments announces money held,
    taken, refused, released or given back (payments.signals), and checkout confirms or
    cancels the order when it hears of it; payments hears checkout's order_confirmed and
    order_cancelled and moves the money to follow.
    """

    name = "payments"

    def ready(self):
        from checkout.signals import order_cancelled, order_confirmed
        from operations.signals import worker_started

        from . import checks as payment_checks
        from . import receivers

        Order = apps.get_model("checkout", "Order")
        order_confirmed.connect(
            receivers.settle_order_payments,
            sender=Order,
            dispatch_uid="payments.settle_order_payments.confirmed",
        )
        order_cancelled.connect(
            receivers.settle_order_payments,
            sender=Order,
            dispatch_uid="payments.settle_order_payments.cancelled",
        )
        worker_started.connect(
            receivers.book_reconciliation, dispatch_uid="payments.book_reconciliation"
        )
        checks.register(payment_checks.check_production_payments, checks.Tags.security, deploy=True)
