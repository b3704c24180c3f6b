from django.apps import AppConfig, apps
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from checkout.signals import address_wanted, order_placed

        from . import receivers

        post_save.connect(
            receivers.create_customer_profile,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="accounts.create_customer_profile",
        )
        user_logged_in.connect(
            receivers.forget_failed_sign_ins, dispatch_uid="accounts.forget_failed_sign_ins"
        )
        Order = apps.get_model("checkout", "Order")
        order_placed.connect(
            receivers.save_shipping_address,
            sender=Order,
            dispatch_uid="accounts.save_shipping_address",
        )
        address_wanted.connect(
            receivers.share_saved_address,
            sender=Order,
            dispatch_uid="accounts.share_saved_address",
        )
