"""What the payments app adds to checkout's order page, without checkout importing it:
`{% load payments %}{% payment_section order %}`."""

from django import template
from django.conf import settings

from .. import provider
from ..lifecycle import HOLDING, Kind
from ..models import LedgerEntry, Method, Payment

register = template.Library()


@register.inclusion_tag("payments/section.html#section", takes_context=True)
def payment_section(context, order):
    """How to pay for the order while it awaits payment (the methods offered, a bank
    transfer's details, a card payment under way or refused), and what became of its money."""
    payments = list(Payment.objects.with_totals().filter(order=order).order_by("pk"))
    latest = payments[-1] if payments else None
    refused = latest if latest is not None and latest.status == Payment.Status.FAILED else None
    return {
        "order": order,
        "methods": settings.PAYMENT_METHODS if order.awaits_payment else [],
        "test_mode": provider.test_mode(),
        "bank": settings.BANK_TRANSFER,
        "awaited_transfer": next(
            (p for p in payments if p.method == Method.BANK_TRANSFER and p.is_pending), None
        ),
        "card_under_way": next(
            (p for p in reversed(payments) if p.method == Method.CARD and p.is_pending), None
        ),
        "refused": refused,
        "refusal": LedgerEntry.objects.filter(payment=refused, kind=Kind.FAILED)
        .values_list("note", flat=True)
        .first()
        if refused
        else None,
        "paid": [p for p in payments if p.status in (*HOLDING, Payment.Status.VOIDED)],
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
