"""The calls the shop makes to Stripe, through the official SDK, and nothing else.

Every call is made outside any database transaction (the services commit first, call, then
record what the answer says), with a timeout, and every call that makes something carries an
idempotency key named after what it is for: when an answer is lost (a timeout, a crash), the
same call made again gets the first one's outcome instead of acting twice. The SDK retries
network failures itself, with the same key.

Settings: `STRIPE_SECRET_KEY`, and `STRIPE_API_BASE` for a stand-in (the development sandbox);
empty means Stripe itself.
"""

from datetime import timedelta
from decimal import Decimal

import stripe
from babel.numbers import get_currency_precision
from django.conf import settings
from django.utils import timezone

# The Checkout Session's life: short, so that an abandoned page lets go of its payment soon
# (Stripe takes 30 minutes to 24 hours from its own clock; an hour leaves room for ours).
SESSION_LIFETIME = timedelta(hours=1)


class ProviderUnavailable(Exception):
    """The provider could not be reached or answered with an error of its own (5xx, a rate
    limit): nothing is known to have happened. Try again later."""


class ProviderRefused(Exception):
    """The provider refused the call (the payment is not in a state that allows it, an amount
    too large). The message is the provider's."""


def test_mode() -> bool:
    """Whether card payments go to a test provider: no real money moves."""
    return bool(settings.STRIPE_API_BASE) or not settings.STRIPE_SECRET_KEY.startswith(
        ("sk_live_", "rk_live_")
    )


def minor_units(amount: Decimal, currency: str) -> int:
    """`amount` in the currency's smallest unit, as Stripe counts it (cents; yen are yen)."""
    return int(amount.scaleb(get_currency_precision(currency.upper())))


def from_minor_units(amount: int, currency: str) -> Decimal:
    return Decimal(amount).scaleb(-get_currency_precision(currency.upper()))


def _client() -> stripe.StripeClient:
    base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses=base,
        max_network_retries=2,
        # A provider that does not answer must not hold a shopper or a worker for long; the
        # SDK then tries twice more with the same idempotency key.
        http_client=stripe.new_default_http_client(timeout=settings.STRIPE_TIMEOUT),
    )


def _call(method, *args, **kwargs):
    try:
        return method(*args, **kwargs)
    except (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError) as error:
        raise ProviderUnavailable(error.user_message or str(error)) from error
    except stripe.StripeError as error:
        raise ProviderRefused(error.user_message or str(error)) from error


def create_session(*, payment, description: str, success_url: str, cancel_url: str):
    """A Checkout Session asking for `payment`'s amount (the order's total, read on the
    server) with the capture left to the shop; the session's `url` is the hosted page."""
    metadata = {"payment": str(payment.pk), "order": str(payment.order_id)}
    params = {
        "mode": "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": payment.currency.lower(),
                    "unit_amount": minor_units(payment.amount, payment.currency),
                    "product_data": {"name": description},
                },
            }
        ],
        # Authorize only: the shop takes the money once the order is confirmed (its stock
        # taken), and releases it if it cannot be (docs/payments.md).
        "payment_intent_data": {"capture_method": "manual", "metadata": metadata},
        "metadata": metadata,
        "client_reference_id": str(payment.pk),
        "success_url": success_url,
        "cancel_url": cancel_url,
        "expires_at": int((timezone.now() + SESSION_LIFETIME).timestamp()),
    }
    options = {"idempotency_key": f"payments.payment.{payment.pk}.session"}
    return _call(_client().v1.checkout.sessions.create, params=params, options=options)


def retrieve_session(session_id: str):
    """The session as the provider sees it now, its PaymentIntent expanded."""
    params = {"expand": ["payment_intent"]}
    return _call(_client().v1.checkout.sessions.retrieve, session_id, params=params)


def capture(*, intent_id: str, key: str):
    """Take all the money an authorization holds."""
    options = {"idempotency_key": key}
    return _call(_client().v1.payment_intents.capture, intent_id, options=options)


def void(*, intent_id: str, key: str):
    """Release an authorization without taking anything."""
    params = {"cancellation_reason": "requested_by_customer"}
    options = {"idempotency_key": key}
    return _call(_client().v1.payment_intents.cancel, intent_id, params=params, options=options)


def refund(*, intent_id: str, amount: Decimal, currency: str, key: str, reason: str = ""):
    """Give back `amount` of what was captured; the refund carries `key` in its metadata,
    so that its webhook names the same ledger entry as this answer."""
    params = {
        "payment_intent": intent_id,
        "amount": minor_units(amount, currency),
        "metadata": {"ledger_key": key, **({"reason": reason[:500]} if reason else {})},
    }
    options = {"idempotency_key": key}
    return _call(_client().v1.refunds.create, params=params, options=options)
