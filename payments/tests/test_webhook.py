"""The webhook: only Stripe's signed, fresh events are heard, each once, and each only as far
as a payment's table of moves allows from where it is (events come late, twice, reordered)."""

import json
import time

import pytest
from django.test import Client
from django.urls import get_resolver

from accounts.tests.factories import UserFactory
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from checkout.models import Order
from checkout.tests.factories import OrderFactory
from outbox.models import OutboundEmail
from outbox.tests.fixtures import run_worker
from payments.models import LedgerEntry, Payment, ProviderEvent
from stripe_sandbox.webhooks import sign

from .fixtures import WEBHOOK_SECRET, pay_by_card, post_webhook, webhook_path

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def paid(client, cards):
    """An order of two mugs (five in stock) paid on the provider's page; its two webhooks
    (amount_capturable_updated, checkout.session.completed) sent, not yet delivered."""
    customer = UserFactory(email="ada@example.com")
    client.force_login(customer)
    mug = ProductFactory(quantity=5)
    order = OrderFactory(customer=customer, lines={mug: 2})
    pay_by_card(client, order, cards.sandbox)
    cards.webhooks(2)
    return order, mug


def books() -> dict:
    """Everything an event could change."""
    return {
        "orders": list(Order.objects.values_list("pk", "status")),
        "stock": list(Product.objects.values_list("pk", "quantity")),
        "payments": list(Payment.objects.values_list("pk", "status")),
        "ledger": list(LedgerEntry.objects.values_list("key", flat=True)),
        "events": ProviderEvent.objects.count(),
        "mail": list(OutboundEmail.objects.values_list("key", flat=True)),
    }


def stale_signature(body: bytes) -> str:
    return sign(body, WEBHOOK_SECRET, int(time.time()) - 301)


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda hook: {"signature": ""}, id="unsigned"),
        pytest.param(lambda hook: {"signature": "t=1,v1=abc"}, id="garbage-signature"),
        pytest.param(
            lambda hook: {"signature": sign(hook.body, "whsec_someone_else", int(time.time()))},
            id="wrong-secret",
        ),
        pytest.param(lambda hook: {"signature": stale_signature(hook.body)}, id="stale"),
        pytest.param(
            lambda hook: {"body": hook.body.replace(b'"requires_capture"', b'"succeeded"')},
            id="body-altered",
        ),
        pytest.param(
            lambda hook: {
                "body": b"[1, 2]",
                "signature": sign(b"[1, 2]", WEBHOOK_SECRET, int(time.time())),
            },
            id="signed-but-no-event",
        ),
        pytest.param(
            lambda hook: {
                "body": b"not json",
                "signature": sign(b"not json", WEBHOOK_SECRET, int(time.time())),
            },
            id="signed-but-not-json",
        ),
    ],
)
def test_a_forged_unsigned_stale_or_malformed_webhook_is_refused_and_changes_nothing(
    cards, paid, forge
):
    [authorized, _] = cards.webhooks(2)
    before = books()

    response = post_webhook(authorized, **forge(authorized))

    assert response.status_code == 400
    assert books() == before


def test_without_a_signing_secret_every_webhook_waits_for_one(cards, paid, settings):
    """Unconfigured, the shop cannot tell Stripe's events from anyone's: it hears none, and
    answers 503, so that Stripe tries again once the secret is set."""
    [authorized, _] = cards.webhooks(2)
    before = books()
    settings.STRIPE_WEBHOOK_SECRET = ""

    refused = post_webhook(authorized)
    unchanged = books()
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    heard = post_webhook(authorized)

    assert (refused.status_code, heard.status_code) == (503, 200)
    assert unchanged == before
    assert Payment.objects.get().status == Payment.Status.AUTHORIZED


def test_a_webhook_delivered_again_answers_200_and_changes_nothing(cards, paid):
    _, mug = paid
    [authorized, _] = cards.webhooks(2)
    assert post_webhook(authorized).status_code == 200
    after_first = books()

    again = [post_webhook(authorized).status_code for _ in range(3)]

    assert again == [200, 200, 200]
    assert books() == after_first
    assert Product.objects.get(pk=mug.pk).quantity == 3
    assert OutboundEmail.objects.filter(key__endswith=".confirmed").count() == 1


def test_events_in_any_order_make_each_move_once_and_never_move_a_payment_back(cards, paid):
    """Everything the sandbox sends for a paid, captured and then declined-looking payment,
    delivered backwards and then again forwards: the payment ends captured, the order
    confirmed, each mail once."""
    order, mug = paid
    cards.deliver(2)
    run_worker()  # captures: payment_intent.succeeded follows
    cards.webhooks(3)
    everything = list(cards.receiver.received)
    Payment.objects.update(status=Payment.Status.PENDING)  # as if none had been heard
    LedgerEntry.objects.all().delete()
    ProviderEvent.objects.all().delete()

    statuses = [post_webhook(hook).status_code for hook in reversed(everything)]
    statuses += [post_webhook(hook).status_code for hook in everything]
    run_worker()

    assert set(statuses) == {200}
    payment = Payment.objects.get()
    assert payment.status == Payment.Status.CAPTURED
    assert sorted(payment.entries.values_list("kind", flat=True)) == ["authorized", "captured"]
    assert Order.objects.get(pk=order.pk).status == Order.Status.CONFIRMED
    assert Product.objects.get(pk=mug.pk).quantity == 3
    assert sorted(OutboundEmail.objects.values_list("key", flat=True)) == [
        f"checkout.order.{order.pk}.confirmed",
        f"payments.payment.{payment.pk}.captured",
    ]


def test_a_late_refusal_does_not_undo_a_payment(cards, paid):
    order, _ = paid
    cards.deliver(2)
    payment = Payment.objects.get()
    intent = cards.sandbox.stripe_client().v1.payment_intents.retrieve(payment.intent_id)
    refusal = {
        "id": "evt_late_refusal",
        "object": "event",
        "type": "payment_intent.payment_failed",
        "data": {
            "object": {
                **intent.to_dict(),
                "status": "requires_payment_method",
                "last_payment_error": {"message": "Your card was declined."},
            }
        },
    }
    body = json.dumps(refusal).encode()

    response = Client().post(
        webhook_path(),
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(body, WEBHOOK_SECRET, int(time.time())),
    )

    assert response.status_code == 200
    assert Payment.objects.get().status == Payment.Status.AUTHORIZED
    assert Order.objects.get(pk=order.pk).status == Order.Status.CONFIRMED
    assert not OutboundEmail.objects.filter(key__endswith=".failed").exists()


def test_an_event_about_no_payment_of_the_shops_is_recorded_and_left(cards):
    event = {
        "id": "evt_elsewhere",
        "object": "event",
        "type": "payment_intent.succeeded",
        "data": {"object": {"id": "pi_elsewhere", "object": "payment_intent", "metadata": {}}},
    }
    body = json.dumps(event).encode()
    signature = sign(body, WEBHOOK_SECRET, int(time.time()))

    answers = [
        Client()
        .post(
            webhook_path(), body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
        )
        .status_code
        for _ in range(2)
    ]

    assert answers == [200, 200]
    assert list(ProviderEvent.objects.values_list("event_id", flat=True)) == ["evt_elsewhere"]


def test_the_webhook_is_the_only_view_that_takes_no_csrf_token():
    exempt = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif getattr(pattern.callback, "csrf_exempt", False):
                exempt.append(prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns)

    assert exempt == ["payments/webhook/stripe/"]
