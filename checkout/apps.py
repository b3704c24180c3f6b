from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class CheckoutConfig(AppConfig):
    name = "checkout"

    def ready(self):
        from . import navbar, receivers  # noqa: F401 (navbar registers the cart count)

        user_logged_in.connect(
            receivers.merge_visitor_cart, dispatch_uid="checkout.merge_visitor_cart"
        )
