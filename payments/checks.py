"""`manage.py check --deploy` (which `make serve` runs first) refuses payments set up for
development in production, as Django's own checks refuse the console mailer."""

from django.conf import settings
from django.core import checks

from . import provider


def check_production_payments(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """payments.E001-E003: card payments in test mode, or unconfigured; bank transfers with no
    account to pay into."""
    found = []
    methods = settings.PAYMENT_METHODS
    if "card" in methods and not (settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET):
        found.append(
            checks.Error(
                "Card payments are offered, but STRIPE_SECRET_KEY or STRIPE_WEBHOOK_SECRET is "
                "not set.",
                hint="Set both (README: Payments), or leave card out of PAYMENT_METHODS.",
                id="payments.E002",
            )
        )
    elif "card" in methods and provider.test_mode() and not settings.PAYMENTS_TRIAL:
        found.append(
            checks.Error(
                "Card payments go to a test provider (STRIPE_API_BASE is set, or the secret "
                "key is a test key): shoppers would pay and no money would move.",
                hint="Set a live key (sk_live_…) and no STRIPE_API_BASE, or PAYMENTS_TRIAL=true "
                "if this is a trial.",
                id="payments.E001",
            )
        )
    if "bank_transfer" in methods and not settings.BANK_TRANSFER["iban"]:
        found.append(
            checks.Error(
                "Bank transfers are offered, but the shop's account (BANK_IBAN) is not set.",
                hint="Set BANK_IBAN, BANK_BIC and BANK_ACCOUNT_NAME, or leave bank_transfer out "
                "of PAYMENT_METHODS.",
                id="payments.E003",
            )
        )
    return found
