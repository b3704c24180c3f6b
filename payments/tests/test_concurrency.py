"""Money racing itself, with real transactions and real threads let go at a barrier: the same
webhook twice at once, two events about one payment at once, the webhook and the shopper's
return at once, two shoppers paying for the last unit. One move, one mail, every time.

Runs on SQLite (writers queue for the write lock) and on PostgreSQL (row locks: the order's,
then the payment's) in CI.
"""

import pytest
from django.test import Client

from accounts.tests.factories import UserFactory
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from checkout.models import Order
from checkout.tests.factories import OrderFactory
from outbox.models import OutboundEmail
from outbox.tests.fixtures import run_worker
from payments.models import LedgerEntry, Payment
from storefront.tests.concurrency import race_threads

from .fixtures import pay_by_card, post_webhook

pytestmark = pytest.mark.django_db(transaction=True)


def shopper(client=None) -> tuple[Client, object]:
    client = client or Client()
    user = UserFactory()
    client.force_login(user)
    return client, user


def one_move_each() -> bool:
    return LedgerEntry.objects.filter(kind="authorized").count() == Payment.objects.count()


@pytest.mark.parametrize("copies", [2, 4])
def test_the_same_webhook_delivered_at_once_moves_the_payment_once(cards, copies):
    client, customer = shopper()
    mug = ProductFactory(quantity=5)
    order = OrderFactory(customer=customer, lines={mug: 2})
    pay_by_card(client, order, cards.sandbox)
    [authorized, _] = cards.webhooks(2)
    answers = []

    unexpected = race_threads(
        lambda _: answers.append(post_webhook(authorized).status_code), range(copies)
    ).raised

    assert unexpected == []
    assert answers == [200] * copies
    assert one_move_each()
    assert Product.objects.get(pk=mug.pk).quantity == 3
    assert OutboundEmail.objects.filter(key__endswith=".confirmed").count() == 1


def test_two_events_of_one_payment_racing_on_two_workers_authorize_it_once(cards):
    client, customer = shopper()
    mug = ProductFactory(quantity=5)
    order = OrderFactory(customer=customer, lines={mug: 2})
    pay_by_card(client, order, cards.sandbox)
    hooks = cards.webhooks(2)  # amount_capturable_updated, checkout.session.completed

    unexpected = race_threads(post_webhook, hooks).raised
    run_worker()

    assert unexpected == []
    assert one_move_each()
    assert Order.objects.get(pk=order.pk).status == Order.Status.CONFIRMED
    assert Product.objects.get(pk=mug.pk).quantity == 3
    payment = Payment.objects.get()
    assert payment.status == Payment.Status.CAPTURED
    assert sorted(OutboundEmail.objects.values_list("key", flat=True)) == [
        f"checkout.order.{order.pk}.confirmed",
        f"payments.payment.{payment.pk}.captured",
    ]


def test_the_webhook_racing_the_shoppers_return_confirms_once(cards):
    """The shopper's return asks the provider itself (it never trusts the redirect) while the
    webhook tells the shop: both go through the same locked move, and one of them makes it."""
    client, customer = shopper()
    mug = ProductFactory(quantity=5)
    order = OrderFactory(customer=customer, lines={mug: 2})
    back = pay_by_card(client, order, cards.sandbox)
    [authorized, _] = cards.webhooks(2)
    answers = {}

    def arrive(who):
        if who == "webhook":
            answers[who] = post_webhook(authorized).status_code
        else:
            answers[who] = client.get(back.location).status_code

    unexpected = race_threads(arrive, ["webhook", "shopper"]).raised

    assert unexpected == []
    assert answers == {"webhook": 200, "shopper": 302}
    assert one_move_each()
    assert Product.objects.get(pk=mug.pk).quantity == 3
    assert OutboundEmail.objects.filter(key__endswith=".confirmed").count() == 1


def test_two_shoppers_paying_for_the_last_unit_one_is_charged_the_other_released_and_told(cards):
    skillet = ProductFactory(name="Cast Iron Skillet", quantity=1)
    ada_client, ada = shopper()
    grace_client, grace = shopper()
    ada.email, grace.email = "ada@example.com", "grace@example.com"
    ada.save(), grace.save()
    orders = [
        OrderFactory(customer=ada, lines={skillet: 1}),
        OrderFactory(customer=grace, lines={skillet: 1}),
    ]
    pay_by_card(ada_client, orders[0], cards.sandbox)
    pay_by_card(grace_client, orders[1], cards.sandbox)
    hooks = cards.webhooks(4)
    first_each = [hooks[0], hooks[2]]  # each payment's amount_capturable_updated

    unexpected = race_threads(post_webhook, first_each).raised
    run_worker()  # captures the one, voids the other

    assert unexpected == []
    statuses = sorted(
        Order.objects.filter(pk__in=[o.pk for o in orders]).values_list("status", flat=True)
    )
    assert statuses == [Order.Status.CANCELLED, Order.Status.CONFIRMED]
    assert Product.objects.get(pk=skillet.pk).quantity == 0
    confirmed = Order.objects.get(status=Order.Status.CONFIRMED)
    cancelled = Order.objects.get(status=Order.Status.CANCELLED)
    assert Payment.objects.get(order=confirmed).status == Payment.Status.CAPTURED
    assert Payment.objects.get(order=cancelled).status == Payment.Status.VOIDED
    intents = {i["metadata"]["order"]: i for i in cards.sandbox.state()["payment_intents"]}
    assert intents[str(confirmed.pk)]["status"] == "succeeded"
    assert intents[str(cancelled.pk)]["status"] == "canceled"
    assert intents[str(cancelled.pk)]["amount_received"] == 0  # never charged
    assert cancelled.cancellation_reason == (
        "Cast Iron Skillet is sold out, so this order cannot be confirmed. The amount held on "
        "your card is released: you are not charged for it."
    )
    [told] = OutboundEmail.objects.filter(key=f"checkout.order.{cancelled.pk}.cancelled")
    assert told.to == cancelled.customer.email
    assert "is sold out" in told.text_body and "you are not charged" in told.text_body
    page = Client()
    page.force_login(cancelled.customer)
    assert "is sold out" in page.get(cancelled.get_absolute_url()).content.decode()
