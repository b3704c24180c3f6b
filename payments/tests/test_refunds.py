"""Money given back: a paid order cancelled is refunded, an order cancelled before its money
was taken is released, and staff refund part of an order in the admin. Each refund is a
ledger entry and a mail, once, however often it is asked for or heard of."""

from decimal import Decimal

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from accounts.tests.factories import UserFactory
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from checkout import services as checkout
from checkout.models import Order
from checkout.tests.factories import OrderFactory
from outbox.models import OutboundEmail
from outbox.tests.fixtures import run_worker
from payments.models import Payment

from .fixtures import pay_by_card

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def customer(client):
    user = UserFactory(email="ada@example.com")
    client.force_login(user)
    return user


@pytest.fixture
def paid_order(client, cards, customer):
    """An order of two mugs at $10 (plus $4.95 shipping), paid by card and captured."""
    mug = ProductFactory(price=Decimal("10.00"), quantity=5)
    order = OrderFactory(customer=customer, lines={mug: 2})
    pay_by_card(client, order, cards.sandbox)
    cards.deliver(2)
    run_worker()
    cards.deliver(1)
    assert Payment.objects.get().status == Payment.Status.CAPTURED
    return order


def refunds(cards) -> list[int]:
    return [refund["amount"] for refund in cards.sandbox.state()["refunds"]]


def refund_in_the_admin(admin_client, payment, *, amount: str, key: str = "payments.refund.1"):
    return admin_client.post(
        reverse("admin:payments_payment_changelist"),
        {
            "action": "refund",
            helpers.ACTION_CHECKBOX_NAME: [payment.pk],
            "apply": "1",
            "amount": amount,
            "reason": "One mug arrived chipped.",
            "key": key,
        },
        follow=True,
    )


def test_cancelling_a_paid_order_refunds_it_all_once_with_one_mail(client, cards, paid_order):
    client.post(reverse("checkout:order_cancel", args=[paid_order.pk]))
    run_worker()  # the refund goes to the provider
    cards.deliver(2)  # refund.created, charge.refunded: heard already, from the answer

    payment = Payment.objects.get()
    assert Order.objects.get(pk=paid_order.pk).status == Order.Status.CANCELLED
    assert payment.status == Payment.Status.REFUNDED
    assert payment.totals().refunded == paid_order.total_price == Decimal("24.95")
    assert refunds(cards) == [2495]
    [mail] = OutboundEmail.objects.filter(key__endswith=".refunded")
    assert mail.subject == f"Refund for order #{paid_order.pk}"
    assert "$24.95" in mail.text_body


def test_an_order_cancelled_before_its_money_was_taken_is_released_never_charged(
    client, cards, customer
):
    mug = ProductFactory(quantity=5)
    order = OrderFactory(customer=customer, lines={mug: 1})
    pay_by_card(client, order, cards.sandbox)
    cards.deliver(2)  # authorized, confirmed: the capture waits for the worker

    client.post(reverse("checkout:order_cancel", args=[order.pk]))
    run_worker()

    assert Payment.objects.get().status == Payment.Status.VOIDED
    [intent] = cards.sandbox.state()["payment_intents"]
    assert (intent["status"], intent["amount_received"]) == ("canceled", 0)
    assert Product.objects.get(pk=mug.pk).quantity == 5
    assert not OutboundEmail.objects.filter(key__endswith=".captured").exists()


def test_staff_refund_part_of_a_payment_once_however_often_the_form_is_sent(
    admin_client, cards, paid_order
):
    payment = Payment.objects.get()

    first = refund_in_the_admin(admin_client, payment, amount="10.00")
    again = refund_in_the_admin(admin_client, payment, amount="10.00")  # the same form again
    cards.deliver(2)  # refund.created, charge.refunded: one refund

    assert "refunded." in first.content.decode()
    assert again.status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PARTIALLY_REFUNDED
    assert payment.totals().refunded == Decimal("10.00")
    assert refunds(cards) == [1000]
    [mail] = OutboundEmail.objects.filter(key__endswith=".refunded")
    assert "$10.00" in mail.text_body and "One mug arrived chipped." in mail.text_body
    assert Order.objects.get(pk=paid_order.pk).status == Order.Status.CONFIRMED

    refund_in_the_admin(admin_client, payment, amount="14.95", key="payments.refund.2")

    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED
    assert refunds(cards) == [1000, 1495]
    assert OutboundEmail.objects.filter(key__endswith=".refunded").count() == 2


def test_a_refund_of_more_than_is_left_is_refused_and_changes_nothing(
    admin_client, cards, paid_order
):
    payment = Payment.objects.get()

    answer = refund_in_the_admin(admin_client, payment, amount="30.00")

    assert "at most 24.95" in answer.content.decode()
    assert Payment.objects.get().status == Payment.Status.CAPTURED
    assert refunds(cards) == []
    assert not OutboundEmail.objects.filter(key__endswith=".refunded").exists()


def test_staff_cancelling_a_returned_parcel_refunds_what_is_left(admin_client, cards, paid_order):
    payment = Payment.objects.get()
    refund_in_the_admin(admin_client, payment, amount="4.95")
    checkout.order_ship(order=paid_order, carrier="DHL", tracking_number="JD0146000012")

    checkout.order_cancel(order=paid_order, by_staff=True)
    run_worker()

    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED
    assert refunds(cards) == [495, 2000]
