from django.apps import AppConfig, apps
from django.contrib.auth.signals import user_logged_in


class CheckoutConfig(AppConfig):
    name = "checkout"

    def ready(self):
        from operations.signals import worker_started
        from payments.signals import payment_authorized, payment_captured

        from . import navbar, receivers  # noqa: F401 (navbar registers the cart count)

        user_logged_in.connect(
            receivers.merge_visitor_cart, dispatch_uid="checkout.merge_visitor_cart"
        )
        # Money confirms an order: held on a card, or a bank transfer received.
        Payment = apps.get_model("payments", "Payment")
        for signal, name in [(payment_authorized, "authorized"), (payment_captured, "captured")]:
            signal.connect(
                receivers.confirm_paid_order,
                sender=Payment,
                dispatch_uid=f"checkout.confirm_paid_order.{name}",
            )
        worker_started.connect(
            receivers.book_unpaid_order_cancellation,
            dispatch_uid="checkout.book_unpaid_order_cancellation",
        )
