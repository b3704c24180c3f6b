"""The payments app's rules, without a provider: one move per event, each sent once; a ledger
that only grows; and production refusing test payments."""

import os
import re
import secrets
import subprocess
import sys
from decimal import Decimal

import pytest
from django.conf import settings

from accounts.tests.factories import UserFactory
from catalog.tests.factories import ProductFactory
from checkout.models import Order
from checkout.tests.factories import OrderFactory
from payments import services
from payments.lifecycle import MOVES, Status
from payments.models import LedgerEntry, Payment
from payments.signals import (
    payment_authorized,
    payment_captured,
    payment_failed,
    payment_refunded,
    payment_voided,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """Every payment signal sent during the test, as (signal name, payment id, entry kind)."""
    calls = []
    signals = {
        "authorized": payment_authorized,
        "captured": payment_captured,
        "failed": payment_failed,
        "voided": payment_voided,
        "refunded": payment_refunded,
    }
    receivers = {}
    for name, signal in signals.items():

        def hear(sender, payment, entry, name=name, **kwargs):
            calls.append((name, payment.pk, entry.kind))

        receivers[name] = hear
        signal.connect(hear, sender=Payment)
    yield calls
    for name, signal in signals.items():
        signal.disconnect(receivers[name], sender=Payment)


@pytest.fixture
def transfer():
    customer = UserFactory(email="ada@example.com")
    order = OrderFactory(customer=customer, lines={ProductFactory(price=Decimal("10.00")): 1})
    return services.payment_start(order_id=order.pk, customer=customer, method="bank_transfer")


def test_each_move_is_made_and_announced_once_however_often_it_is_asked_for(heard, transfer):
    for _ in range(3):
        services.transfer_received(payment=transfer)

    assert heard == [("captured", transfer.pk, "captured")]
    assert Payment.objects.get().status == Status.CAPTURED
    assert Order.objects.get().status == Order.Status.CONFIRMED


def test_a_refund_is_announced_once_per_refund_and_the_books_add_up(heard, transfer):
    services.transfer_received(payment=transfer)

    services.refund(payment=transfer, amount=Decimal("5.00"), key="refund-1")
    services.refund(payment=transfer, amount=Decimal("5.00"), key="refund-1")  # sent twice
    part = Payment.objects.get().status
    services.refund(payment=transfer, amount=Decimal("9.95"), key="refund-2")

    assert part == Status.PARTIALLY_REFUNDED
    assert [name for name, *_ in heard] == ["captured", "refunded", "refunded"]
    totals = Payment.objects.get().totals()
    assert (totals.captured, totals.refunded, totals.refundable) == (
        Decimal("14.95"),
        Decimal("14.95"),
        Decimal("0"),
    )
    assert Payment.objects.get().status == Status.REFUNDED
    with pytest.raises(services.PaymentError, match="at most 0"):
        services.refund(payment=transfer, amount=Decimal("0.01"), key="refund-3")


def test_a_payment_is_refunded_part_after_part_until_nothing_is_left(heard, transfer):
    services.transfer_received(payment=transfer)

    for number, amount in enumerate(["4.00", "5.00", "5.95"]):
        services.refund(payment=transfer, amount=Decimal(amount), key=f"refund-{number}")

    assert [name for name, *_ in heard] == ["captured", "refunded", "refunded", "refunded"]
    assert list(LedgerEntry.objects.filter(kind="refunded").values_list("amount", flat=True)) == [
        Decimal("4.00"),
        Decimal("5.00"),
        Decimal("5.95"),
    ]
    assert Payment.objects.get().status == Status.REFUNDED


def test_a_move_the_table_does_not_allow_from_here_moves_nothing(heard, transfer):
    services.transfer_received(payment=transfer)
    payment = services._lock(transfer.pk)

    made = [services._move(payment, move) for move in ("authorize", "fail", "expire", "void")]

    assert made == [None, None, None, None]
    assert Payment.objects.get().status == Status.CAPTURED
    assert [name for name, *_ in heard] == ["captured"]


def test_the_ledger_only_grows():
    entry = LedgerEntry.objects.create(
        payment=Payment.objects.create(
            order=OrderFactory(lines={ProductFactory(): 1}), method="card", amount=5, currency="USD"
        ),
        kind="authorized",
        amount=5,
        key="payment.x.authorized",
    )
    entry.amount = 500

    with pytest.raises(ValueError, match="never changed"):
        entry.save()


def test_every_move_that_moves_money_writes_an_entry_and_has_a_signal():
    for move in MOVES.values():
        assert (move.kind is None) == (move.signal is None), move.name


def _check_deploy(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    production = {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "EMAIL_URL": "smtp://mail.example.com:587",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        env={**clean, **production, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "refused"),
    [
        pytest.param({}, ["payments.E002", "payments.E003"], id="nothing-set"),
        pytest.param(
            {
                "STRIPE_API_BASE": "http://127.0.0.1:12111",
                "STRIPE_SECRET_KEY": "sk_test_x",
                "STRIPE_WEBHOOK_SECRET": "whsec_x",
                "PAYMENT_METHODS": "card",
            },
            ["payments.E001"],
            id="the-sandbox",
        ),
        pytest.param(
            {"STRIPE_SECRET_KEY": "sk_test_x", "STRIPE_WEBHOOK_SECRET": "whsec_x"},
            ["payments.E001", "payments.E003"],
            id="a-test-key",
        ),
        pytest.param({"PAYMENTS_TRIAL": "true"}, [], id="a-trial"),
        pytest.param(
            {"PAYMENT_METHODS": "bank_transfer", "BANK_IBAN": "GB33 BUKB 2020 1555 5555 55"},
            [],
            id="bank-transfer-only",
        ),
    ],
)
def test_production_refuses_test_payments_unless_a_trial_says_so(env, refused):
    result = _check_deploy(**env)

    assert sorted(set(re.findall(r"payments\.E\d+", result.stderr))) == refused
    assert (result.returncode != 0) == bool(refused)
