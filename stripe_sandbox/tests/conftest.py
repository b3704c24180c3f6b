"""The sandbox's own tests: the SDK pointed at it, an endpoint for its webhooks, and a Checkout
Session as the shop will open one. (`stripe_sandbox` and `webhook_receiver` come from
stripe_sandbox/testing.py, loaded by the root conftest.py.)"""

import copy

import pytest

# Chromium, launched as the project's browser tests launch it, and its page failing the test on
# a console error or a CSP violation, as the shop's browser tests will meet the hosted page.
from e2e.conftest import browser_problems, browser_type_launch_args, page  # noqa: F401

_ORDER_42 = {
    "mode": "payment",
    "line_items": [
        {
            "price_data": {
                "currency": "eur",
                "unit_amount": 1250,
                "product_data": {"name": "Cast Iron Skillet"},
            },
            "quantity": 2,
        },
        {
            "price_data": {
                "currency": "eur",
                "unit_amount": 499,
                "product_data": {"name": "Linen Tea Towel"},
            },
            "quantity": 1,
        },
    ],
    "payment_intent_data": {"capture_method": "manual", "metadata": {"order": "42"}},
    "metadata": {"order": "42"},
    "client_reference_id": "42",
    "customer_email": "shopper@example.com",
    "success_url": "http://127.0.0.1:9/orders/42/paid?session={CHECKOUT_SESSION_ID}",
    "cancel_url": "http://127.0.0.1:9/orders/42/",
}


@pytest.fixture(scope="session")
def base_url() -> None:
    """The browser goes to each session's own URL: no base URL (and not pytest-playwright's
    fallback fixture, which pytest warns about)."""
    return None


@pytest.fixture
def sdk(stripe_sandbox):
    """The official SDK's StripeClient, talking to the sandbox."""
    return stripe_sandbox.stripe_client()


@pytest.fixture
def secret(stripe_sandbox, webhook_receiver) -> str:
    """Every event goes to the receiver, signed with this secret."""
    return stripe_sandbox.add_webhook_endpoint(webhook_receiver.url)["secret"]


@pytest.fixture
def order_42() -> dict:
    """The parameters of a Checkout Session for the shop's order 42: two skillets at 12.50 EUR
    and a tea towel at 4.99 EUR, 29.99 EUR in all, captured by hand."""
    return copy.deepcopy(_ORDER_42)


@pytest.fixture
def open_session(sdk, order_42):
    """Open a Checkout Session for order 42; `changes` replace its parameters, and `options`
    are the SDK's request options."""

    def open_session(*, options=None, **changes):
        return sdk.v1.checkout.sessions.create(params={**order_42, **changes}, options=options)

    return open_session
