"""Demo payments for `manage.py seed_demo`: the demo shopper's orders (checkout's demo) paid,
one by card and one by bank transfer, so their pages show what became of the money.

Written as the history it is (ledger entries at past times) rather than replayed through the
services and the provider: replaying would mail the shopper and need the sandbox running.
"""

from datetime import timedelta

from django.apps import apps

from .lifecycle import Kind, Status
from .models import LedgerEntry, Method, Payment

# The demo shopper that accounts' demo adds (accounts/demo.py).
SHOPPER = "shopper"


def seed(*, stdout) -> None:
    Order = apps.get_model("checkout", "Order")
    unpaid = Order.objects.filter(customer__username=SHOPPER, confirmed_at__isnull=False).exclude(
        payments__isnull=False
    )
    # The oldest paid by card, the next by bank transfer.
    methods = [Method.CARD, Method.BANK_TRANSFER]
    added = 0
    for order, method in zip(unpaid.order_by("created_at", "pk"), methods, strict=False):
        card = method == Method.CARD
        payment = Payment.objects.create(
            order=order,
            method=method,
            provider="stripe" if card else "",
            amount=order.total_price,
            currency=order.currency,
            status=Status.CAPTURED,
            session_id=f"cs_test_demo_{order.pk}" if card else "",
            intent_id=f"pi_demo_{order.pk}" if card else "",
        )
        kinds = [Kind.AUTHORIZED, Kind.CAPTURED] if card else [Kind.CAPTURED]
        for kind in kinds:
            LedgerEntry.objects.create(
                payment=payment,
                kind=kind,
                amount=order.total_price,
                reference=payment.intent_id or payment.reference,
                key=f"payment.{payment.pk}.{kind}",
            )
        # When it happened: as the order was confirmed (auto_now fields are set on insert).
        paid = order.confirmed_at - timedelta(minutes=1)
        Payment.objects.filter(pk=payment.pk).update(created_at=paid, updated_at=paid)
        LedgerEntry.objects.filter(payment=payment).update(created_at=paid)
        added += 1
    stdout.write(
        f"payments: {added} demo orders paid (by card, by bank transfer)."
        if added
        else "payments: demo payments already there."
    )
