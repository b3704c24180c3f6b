"""Paying by bank transfer: the shop's details and the order's reference on the page and in a
mail; staff record the money's arrival in the admin, which confirms the order."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.admin import helpers
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from catalog.models import Product
from catalog.tests.factories import ProductFactory
from checkout.models import Order
from checkout.services import cancel_unpaid_orders
from checkout.tests.factories import OrderFactory
from outbox.models import OutboundEmail
from payments.models import Payment

pytestmark = pytest.mark.django_db

BANK = {"account_name": "Storefront Ltd", "iban": "GB33 BUKB 2020 1555 5555 55", "bic": "BUKBGB22"}


@pytest.fixture
def customer(client, settings):
    settings.BANK_TRANSFER = BANK
    user = UserFactory(email="ada@example.com")
    client.force_login(user)
    return user


def choose_bank_transfer(client, order):
    return client.post(
        reverse("payments:pay", args=[order.pk]), {"method": "bank_transfer"}, follow=True
    )


def record_arrival(admin_client, payment):
    return admin_client.post(
        reverse("admin:payments_payment_changelist"),
        {"action": "record_transfer", helpers.ACTION_CHECKBOX_NAME: [payment.pk]},
        follow=True,
    )


def test_choosing_bank_transfer_shows_and_mails_where_to_send_what_once(client, customer):
    order = OrderFactory(customer=customer, lines={ProductFactory(price=Decimal("10.00")): 2})

    page = choose_bank_transfer(client, order).content.decode()
    choose_bank_transfer(client, order)  # again: the same transfer is awaited

    payment = Payment.objects.get()
    reference = f"STOREFRONT ORDER {order.pk}"
    assert payment.reference == reference
    assert (payment.amount, payment.status) == (Decimal("24.95"), Payment.Status.PENDING)
    for shown in ["$24.95", "GB33 BUKB 2020 1555 5555 55", "BUKBGB22", "Storefront Ltd", reference]:
        assert shown in page
    assert 'value="bank_transfer"' not in page  # chosen already
    assert "Pay by card" in page  # still possible
    [mail] = OutboundEmail.objects.all()
    assert mail.subject == f"How to pay for order #{order.pk}"
    assert reference in mail.text_body and "GB33 BUKB 2020 1555 5555 55" in mail.text_body
    assert Order.objects.get(pk=order.pk).status == Order.Status.PLACED


def test_staff_recording_the_money_confirms_the_order_with_one_mail_each(
    client, customer, admin_client
):
    mug = ProductFactory(quantity=5)
    order = OrderFactory(customer=customer, lines={mug: 2})
    choose_bank_transfer(client, order)
    payment = Payment.objects.get()

    recorded = record_arrival(admin_client, payment)
    record_arrival(admin_client, payment)  # twice: nothing more

    assert f"order #{order.pk} confirmed" in recorded.content.decode()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CAPTURED
    assert payment.totals().captured == order.total_price
    assert Order.objects.get(pk=order.pk).status == Order.Status.CONFIRMED
    assert Product.objects.get(pk=mug.pk).quantity == 3
    assert sorted(OutboundEmail.objects.values_list("key", flat=True)) == [
        f"checkout.order.{order.pk}.confirmed",
        f"payments.payment.{payment.pk}.captured",
        f"payments.payment.{payment.pk}.started",
    ]
    page = client.get(order.get_absolute_url()).content.decode()
    assert "Bank transfer:" in page and "paid" in page


def test_money_for_an_order_sold_out_meanwhile_cancels_it_and_says_it_goes_back(
    client, customer, admin_client
):
    skillet = ProductFactory(name="Cast Iron Skillet", quantity=2)
    order = OrderFactory(customer=customer, lines={skillet: 2})
    choose_bank_transfer(client, order)
    Product.objects.filter(pk=skillet.pk).update(quantity=1)

    record_arrival(admin_client, Payment.objects.get())

    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert order.cancellation_reason == (
        "Only 1 of Cast Iron Skillet left, but this order needs 2. Nothing was confirmed. "
        "What you paid for it is refunded."
    )
    payment = Payment.objects.get()
    assert payment.status == Payment.Status.CAPTURED  # staff send it back, by hand
    due = admin_client.get(reverse("admin:payments_payment_changelist"), {"refund_due": "yes"})
    assert list(due.context["cl"].result_list) == [payment]


def test_an_unpaid_transfer_is_cancelled_after_the_deadline_with_a_mail(client, customer, settings):
    settings.UNPAID_ORDER_DAYS = 7
    order = OrderFactory(customer=customer, lines={ProductFactory(quantity=5): 1})
    choose_bank_transfer(client, order)
    recent = OrderFactory(customer=customer, lines={ProductFactory(quantity=5): 1})
    Order.objects.filter(pk=order.pk).update(created_at=timezone.now() - timedelta(days=8))

    cancelled = cancel_unpaid_orders()

    assert cancelled == 1
    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELLED
    assert Order.objects.get(pk=recent.pk).status == Order.Status.PLACED
    assert Payment.objects.get().status == Payment.Status.EXPIRED
    [mail] = OutboundEmail.objects.filter(key=f"checkout.order.{order.pk}.cancelled")
    assert "It was not paid within 7 days of being placed." in mail.text_body
