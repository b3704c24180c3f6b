"""Test fixtures for paying: the shop pointed at the local Stripe (stripe_sandbox), its webhooks
caught and handed to the shop's webhook view when the test says, and a shopper paying.

Loaded for the whole suite through `pytest_plugins` in the root conftest.py, so checkout's,
alerts' and the browser tests use the same ones.

- `cards`: the sandbox as the shop's card provider. Its webhooks go to a receiver
  (stripe_sandbox.testing's), and the test delivers them to the shop's webhook view when it
  chooses (`cards.deliver()`), as often and in whatever order it likes, each with the
  signature the sandbox gave it: the shop's verification runs unchanged.
- `live_cards`: the sandbox posting its webhooks straight to the live server's webhook
  (browser tests, and tests that race the shop's own threads).
"""

from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import reverse

from stripe_sandbox.client import PageAnswer, SandboxClient
from stripe_sandbox.testing import Received, WebhookReceiver

APPROVED = "4242 4242 4242 4242"
DECLINED = "4000 0000 0000 0002"
THREE_D_SECURE = "4000 0027 6000 3184"
WEBHOOK_SECRET = "whsec_storefront_tests"


def webhook_path() -> str:
    return reverse("payments:stripe_webhook")


def _point_the_shop_at(settings, sandbox: SandboxClient) -> None:
    settings.STRIPE_API_BASE = sandbox.url
    settings.STRIPE_SECRET_KEY = sandbox.api_key
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    # The pay form's answer leads to the sandbox's page: the CSP's form-action allows it.
    csp = {**settings.SECURE_CSP}
    csp["form-action"] = [*csp["form-action"], sandbox.url]
    settings.SECURE_CSP = csp


@dataclass
class Cards:
    """The sandbox as the shop's card provider, its webhooks held for the test to deliver."""

    sandbox: SandboxClient
    receiver: WebhookReceiver
    delivered: int = 0
    answers: list[int] = field(default_factory=list)

    def webhooks(self, count: int) -> list[Received]:
        """Wait until the sandbox has sent `count` webhooks in all; answer every one."""
        return self.receiver.wait_for(count)

    def deliver(self, count: int | None = None, *, order=None, client=None) -> list[int]:
        """Hand the webhooks not yet delivered to the shop's webhook view: the next `count`
        (waiting for them), or all that came; in the order they came, or `order(list)`.
        Returns the statuses the shop answered."""
        if count is not None:
            self.webhooks(self.delivered + count)
        pending = self.receiver.received[self.delivered :]
        self.delivered += len(pending)
        if order is not None:
            pending = order(list(pending))
        statuses = [post_webhook(webhook, client=client).status_code for webhook in pending]
        self.answers += statuses
        return statuses


def post_webhook(webhook: Received, *, client=None, body: bytes | None = None, signature=None):
    """Post one webhook to the shop as the sandbox sent it (or with another body/signature)."""
    return (client or Client()).post(
        webhook_path(),
        data=webhook.body if body is None else body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=webhook.headers["Stripe-Signature"]
        if signature is None
        else signature,
    )


@pytest.fixture
def cards(settings, stripe_sandbox, webhook_receiver) -> Cards:
    _point_the_shop_at(settings, stripe_sandbox)
    stripe_sandbox.add_webhook_endpoint(webhook_receiver.url, secret=WEBHOOK_SECRET)
    return Cards(stripe_sandbox, webhook_receiver)


@pytest.fixture
def live_cards(settings, stripe_sandbox, live_server) -> SandboxClient:
    """The sandbox as the shop's card provider, posting webhooks to the live server."""
    _point_the_shop_at(settings, stripe_sandbox)
    stripe_sandbox.add_webhook_endpoint(live_server.url + webhook_path(), secret=WEBHOOK_SECRET)
    return stripe_sandbox


def start_card_payment(client, order) -> str:
    """Press "Pay by card" on the order's page as its customer (signed in to `client`);
    returns the provider's page the shop sent them to."""
    answer = client.post(reverse("payments:pay", args=[order.pk]), {"method": "card"})
    assert answer.status_code == 302, answer.content
    return answer["Location"]


def pay_by_card(client, order, sandbox: SandboxClient, card: str = APPROVED) -> PageAnswer:
    """The customer pays for `order` with `card` on the provider's page; the page's answer."""
    return sandbox.pay(start_card_payment(client, order), card)
