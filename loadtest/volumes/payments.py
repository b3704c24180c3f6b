"""Benchmark volume for payments: the money that confirms checkout's pool of placed orders.

Gathered by `python -m loadtest data build` (loadtest/data.py) after checkout, whose pool of
placed orders (`confirm_pks`) it pays for: each order gets a card payment waiting for its
bank, as if its shopper had just left for Stripe's page, and the event Stripe would send once
the bank said yes (`payment_intent.amount_capturable_updated`). The "pay and confirm" endpoint
posts each event once to the webhook, signed just before the run (loadtest/measure.py), and
each confirms its order: checkout's `tally()` then checks the stock taken.
"""

import json

from django.urls import reverse

from checkout.models import Order
from payments.models import Payment
from payments.provider import minor_units


def _event(payment: Payment) -> str:
    """The webhook's body for `payment`'s authorization, as Stripe writes it (the fields the
    shop reads)."""
    amount = minor_units(payment.amount, payment.currency)
    return json.dumps(
        {
            "id": f"evt_bench_{payment.pk}",
            "object": "event",
            "type": "payment_intent.amount_capturable_updated",
            "data": {
                "object": {
                    "id": payment.intent_id,
                    "object": "payment_intent",
                    "status": "requires_capture",
                    "amount": amount,
                    "amount_capturable": amount,
                    "amount_received": 0,
                    "currency": payment.currency.lower(),
                    "capture_method": "manual",
                    "metadata": {"payment": str(payment.pk), "order": str(payment.order_id)},
                }
            },
        },
        separators=(",", ":"),
    )


def build(*, scale: float, facts: dict, stdout) -> dict:
    first, last = facts["checkout"]["confirm_pks"]
    pool = Order.objects.filter(pk__range=(first, last)).order_by("pk")
    payments = Payment.objects.bulk_create(
        (
            Payment(
                order_id=order.pk,
                method=Payment.Method.CARD,
                provider="stripe",
                amount=order.total_price,
                currency=order.currency,
                session_id=f"cs_test_bench_{order.pk}",
                intent_id=f"pi_bench_{order.pk}",
            )
            for order in pool.only("pk", "total_price", "currency")
        ),
        batch_size=1000,
    )
    stdout.write(f"payments: {len(payments)} card payments waiting for their bank")
    webhook = reverse("payments:stripe_webhook")
    # [path, no session (the provider has none), the event's body]: each posted once.
    return {"webhooks": [[webhook, None, _event(payment)] for payment in payments]}
