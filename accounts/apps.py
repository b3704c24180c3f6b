from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_save


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from . import receivers

        post_save.connect(
            receivers.create_customer_profile,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="accounts.create_customer_profile",
        )
