"""A bad day at the provider: answers that come too late, an outage, webhooks lost. Each costs
speed (a clear message, a retry later), never a 500, a lost payment or a double charge."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from checkout.models import Order
from checkout.tests.factories import OrderFactory
from outbox.models import OutboundEmail
from outbox.tests.fixtures import run_worker, time_passes
from payments import services
from payments.models import LedgerEntry, Payment

from .fixtures import pay_by_card, start_card_payment

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def customer(client):
    user = UserFactory(email="ada@example.com")
    client.force_login(user)
    return user


def back_after_the_outage(sandbox, timeout: float = 10) -> None:
    """Wait until the sandbox takes connections again (its outage ends on its own)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            sandbox.state()
            return
        except OSError:
            assert time.monotonic() < deadline, "the sandbox's outage did not end"
            time.sleep(0.05)


def later(minutes: int) -> None:
    """The payments' clock moves on: they were last touched `minutes` ago, and the task
    queue's waiting rounds are due that much sooner."""
    Payment.objects.update(updated_at=Payment.objects.get().updated_at - timedelta(minutes=minutes))
    time_passes(timedelta(minutes=minutes))


def test_a_capture_whose_answer_comes_too_late_is_asked_again_and_taken_once(
    client, cards, customer, settings
):
    settings.STRIPE_TIMEOUT = 1
    cards.sandbox.set_faults(capture_delay=1.5)  # done at once, answered after the timeout
    order = OrderFactory(customer=customer, lines={ProductFactory(quantity=5): 1})
    pay_by_card(client, order, cards.sandbox)
    cards.deliver(2)

    run_worker()  # the capture times out; the SDK asks again with the same key
    cards.deliver(1)  # payment_intent.succeeded

    payment = Payment.objects.get()
    assert payment.status == Payment.Status.CAPTURED
    assert list(payment.entries.values_list("kind", flat=True)) == ["authorized", "captured"]
    [intent] = cards.sandbox.state()["payment_intents"]
    assert intent["amount_received"] == intent["amount"]  # taken once, not twice
    assert len(cards.sandbox.deliveries(type="payment_intent.succeeded")) == 1
    assert OutboundEmail.objects.filter(key__endswith=".captured").count() == 1


@pytest.mark.parametrize("refuse_connections", [False, True], ids=["503", "refused"])
def test_an_outage_when_paying_says_so_charges_nothing_and_paying_later_works(
    client, cards, customer, refuse_connections
):
    mug = ProductFactory(quantity=5)
    order = OrderFactory(customer=customer, lines={mug: 1})
    cards.sandbox.start_outage(
        2 if refuse_connections else None, refuse_connections=refuse_connections
    )

    answer = client.post(reverse("payments:pay", args=[order.pk]), {"method": "card"}, follow=True)

    assert answer.status_code == 200
    assert answer.redirect_chain[-1][0] == order.get_absolute_url()
    assert (
        "Card payments cannot be reached right now. Nothing was charged" in answer.content.decode()
    )
    assert Payment.objects.get().status == Payment.Status.EXPIRED
    assert Order.objects.get(pk=order.pk).status == Order.Status.PLACED

    if refuse_connections:
        back_after_the_outage(cards.sandbox)
    else:
        cards.sandbox.end_outage()
    pay_by_card(client, order, cards.sandbox)
    cards.deliver(2)

    assert Order.objects.get(pk=order.pk).status == Order.Status.CONFIRMED
    assert Product.objects.get(pk=mug.pk).quantity == 4


def test_an_outage_when_capturing_waits_for_reconciliation_and_loses_nothing(
    client, cards, customer
):
    order = OrderFactory(customer=customer, lines={ProductFactory(quantity=5): 1})
    pay_by_card(client, order, cards.sandbox)
    cards.deliver(2)
    cards.sandbox.start_outage()

    run_worker()  # the capture cannot reach the provider: it waits
    waited = Payment.objects.get().status
    cards.sandbox.end_outage()
    later(minutes=5)
    run_worker()  # reconciliation's round: the money is captured now

    assert waited == Payment.Status.AUTHORIZED
    assert Order.objects.get(pk=order.pk).status == Order.Status.CONFIRMED
    assert Payment.objects.get().status == Payment.Status.CAPTURED
    assert LedgerEntry.objects.filter(kind="captured").count() == 1


def test_reconciliation_finds_a_payment_whose_webhooks_were_lost(client, cards, customer):
    mug = ProductFactory(quantity=5)
    order = OrderFactory(customer=customer, lines={mug: 2})
    cards.sandbox.set_faults(drop=1)  # every webhook lost
    start_card_payment(client, order)
    run_worker()  # a worker starts, and books the reconciliation
    cards.sandbox.pay(cards.sandbox.state()["checkout_sessions"][0]["url"])

    unheard = Payment.objects.get().status
    later(minutes=5)
    run_worker()  # reconciliation asks the provider, authorizes, confirms; then captures

    assert unheard == Payment.Status.PENDING
    assert Order.objects.get(pk=order.pk).status == Order.Status.CONFIRMED
    assert Product.objects.get(pk=mug.pk).quantity == 3
    assert Payment.objects.get().status == Payment.Status.CAPTURED
    assert OutboundEmail.objects.filter(key__endswith=".captured").count() == 1
    assert not cards.sandbox.deliveries(state="delivered")


def test_reconciliation_leaves_a_recent_payment_to_its_webhook(client, cards, customer):
    order = OrderFactory(customer=customer, lines={ProductFactory(quantity=5): 1})
    cards.sandbox.set_faults(hold=True)  # the webhooks are on their way
    pay_by_card(client, order, cards.sandbox)

    counts = services.reconcile()

    assert counts == {"asked": 0, "settled": 0}
    assert Payment.objects.get().status == Payment.Status.PENDING
