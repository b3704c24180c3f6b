"""Paying by card through the provider's hosted page (the local Stripe, driven over HTTP as a
shopper would drive it), its webhooks delivered to the shop's webhook view, the worker run:
the whole chain from money held to stock taken, money taken and the customer told."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from checkout.models import Order
from checkout.tests.factories import OrderFactory
from outbox.models import OutboundEmail
from outbox.tests.fixtures import run_worker, time_passes
from payments.models import LedgerEntry, Payment
from payments.provider import minor_units

from .fixtures import DECLINED, THREE_D_SECURE, pay_by_card, start_card_payment

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def customer(client):
    user = UserFactory(email="ada@example.com")
    client.force_login(user)
    return user


def stock(product) -> int:
    return Product.objects.get(pk=product.pk).quantity


def status(order) -> str:
    return Order.objects.get(pk=order.pk).status


def mail_keys() -> list[str]:
    return sorted(OutboundEmail.objects.values_list("key", flat=True))


def test_an_approved_card_confirms_the_order_takes_stock_once_and_the_money_with_one_mail(
    client, cards, customer
):
    mug = ProductFactory(name="Enamel Camp Mug", price=Decimal("14.00"), quantity=5)
    order = OrderFactory(customer=customer, lines={mug: 2})

    back = pay_by_card(client, order, cards.sandbox)
    cards.deliver(2)  # amount_capturable_updated, checkout.session.completed
    held = Payment.objects.get()
    run_worker()  # captures, now that the order is confirmed
    cards.deliver(1)  # payment_intent.succeeded: heard already, from the capture's answer
    run_worker()

    payment = Payment.objects.get()
    assert back.status == 303 and back.location.endswith(payment.get_absolute_url())
    assert held.status == Payment.Status.AUTHORIZED
    assert status(order) == Order.Status.CONFIRMED
    assert stock(mug) == 3
    assert payment.status == Payment.Status.CAPTURED
    assert payment.totals().captured == order.total_price
    [intent] = cards.sandbox.state()["payment_intents"]
    assert order.total_price == Decimal("32.95")  # two mugs and the shipping
    assert (intent["status"], intent["amount_received"]) == ("succeeded", 3295)
    assert mail_keys() == [
        f"checkout.order.{order.pk}.confirmed",
        f"payments.payment.{payment.pk}.captured",
    ]
    received = OutboundEmail.objects.get(key__endswith=".captured")
    assert received.subject == f"Payment received for order #{order.pk}"
    assert "$32.95" in received.text_body


def test_the_amount_asked_for_is_the_orders_stored_total_whatever_the_request_says(
    client, cards, customer
):
    order = OrderFactory(customer=customer, lines={ProductFactory(price=Decimal("9.50")): 3})
    Order.objects.filter(pk=order.pk).update(total_price=Decimal("31.45"))

    url = reverse("payments:pay", args=[order.pk])
    client.post(url, {"method": "card", "amount": "0.01", "total_price": "0.01"})

    [session] = cards.sandbox.state()["checkout_sessions"]
    assert session["amount_total"] == minor_units(Decimal("31.45"), "USD") == 3145
    assert session["currency"] == "usd"
    assert Payment.objects.get().amount == Decimal("31.45")


def test_a_declined_card_leaves_the_order_payable_and_stock_alone_and_paying_again_works(
    client, cards, customer
):
    mug = ProductFactory(quantity=5)
    order = OrderFactory(customer=customer, lines={mug: 2})

    declined = pay_by_card(client, order, cards.sandbox, DECLINED)
    cards.deliver(1)  # payment_intent.payment_failed
    page = client.get(order.get_absolute_url()).content.decode()
    failed = Payment.objects.get()

    assert declined.status == 422 and declined.error == "Your card was declined."
    assert failed.status == Payment.Status.FAILED
    assert status(order) == Order.Status.PLACED
    assert stock(mug) == 5
    assert "Your payment did not go through: Your card was declined." in page
    assert "Pay by card" in page
    [mail] = OutboundEmail.objects.filter(key=f"payments.payment.{failed.pk}.failed")
    assert mail.subject == f"Your payment for order #{order.pk} did not go through"
    assert f"/orders/{order.pk}/" in mail.text_body

    pay_by_card(client, order, cards.sandbox)  # a new attempt: a new payment, a new page
    cards.deliver(2)
    run_worker()

    assert status(order) == Order.Status.CONFIRMED
    assert stock(mug) == 3
    assert Payment.objects.get(pk=failed.pk).status == Payment.Status.FAILED
    assert Payment.objects.exclude(pk=failed.pk).get().status == Payment.Status.CAPTURED


def test_declined_twice_on_one_page_then_approved_there_mails_the_refusal_once(
    client, cards, customer
):
    order = OrderFactory(customer=customer, lines={ProductFactory(quantity=5): 1})
    page = start_card_payment(client, order)

    cards.sandbox.pay(page, DECLINED)
    cards.sandbox.pay(page, "4000 0000 0000 9995")  # insufficient funds
    approved = cards.sandbox.pay(page)
    cards.deliver(4)

    assert approved.status == 303
    assert Payment.objects.get().status == Payment.Status.AUTHORIZED
    assert status(order) == Order.Status.CONFIRMED
    assert OutboundEmail.objects.filter(key__endswith=".failed").count() == 1


@pytest.mark.parametrize("passed", [True, False])
def test_a_3d_secure_challenge_passed_confirms_and_failed_leaves_the_order_payable(
    client, cards, customer, passed
):
    mug = ProductFactory(quantity=5)
    order = OrderFactory(customer=customer, lines={mug: 1})
    page = start_card_payment(client, order)

    asked = cards.sandbox.pay(page, THREE_D_SECURE)
    challenge = cards.sandbox.open_page(cards.sandbox.url + asked.location)
    outcome = cards.sandbox.authenticate(page, passed=passed)
    cards.deliver(2 if passed else 1)

    assert "Complete authentication" in challenge.html
    payment = Payment.objects.get()
    if passed:
        assert outcome.status == 303
        assert payment.status == Payment.Status.AUTHORIZED
        assert (status(order), stock(mug)) == (Order.Status.CONFIRMED, 4)
    else:
        assert "unable to authenticate" in outcome.error
        assert payment.status == Payment.Status.FAILED
        assert (status(order), stock(mug)) == (Order.Status.PLACED, 5)


def test_an_abandoned_page_leaves_the_order_payable_until_the_deadline_cancels_it(
    client, cards, customer, settings
):
    settings.UNPAID_ORDER_DAYS = 7
    mug = ProductFactory(quantity=5)
    order = OrderFactory(customer=customer, lines={mug: 1})
    start_card_payment(client, order)
    run_worker()  # a worker starts, and books its recurring rounds

    cards.sandbox.expire_session(Payment.objects.get().session_id)  # the shopper walked away
    cards.deliver(1)  # checkout.session.expired
    payable = client.get(order.get_absolute_url()).content.decode()
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(days=7, hours=1))
    time_passes(timedelta(hours=1))
    run_worker()

    assert Payment.objects.get().status == Payment.Status.EXPIRED
    assert "Pay by card" in payable
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert order.cancellation_reason == "It was not paid within 7 days of being placed."
    assert stock(mug) == 5
    [mail] = OutboundEmail.objects.filter(key=f"checkout.order.{order.pk}.cancelled")
    assert "It was not paid within 7 days" in mail.text_body
    assert not LedgerEntry.objects.exists()  # no money ever moved
