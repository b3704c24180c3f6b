from dataclasses import dataclass, fields
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse

from .lifecycle import HOLDING, Kind, Status


class Method(models.TextChoices):
    CARD = "card", "Card"
    BANK_TRANSFER = "bank_transfer", "Bank transfer"


@dataclass(frozen=True)
class Totals:
    """A payment's money, summed from its ledger: never kept by hand."""

    authorized: Decimal
    captured: Decimal
    refunded: Decimal
    voided: Decimal

    @property
    def refundable(self) -> Decimal:
        return self.captured - self.refunded


def _sum(kind: Kind) -> Sum:
    money = models.DecimalField(max_digits=12, decimal_places=2)
    return Sum(
        "entries__amount", filter=Q(entries__kind=kind), default=Decimal("0"), output_field=money
    )


class PaymentQuerySet(models.QuerySet):
    def with_totals(self):
        """Each payment with its ledger's sums (`authorized`, `captured`, `refunded`,
        `voided`), in the same query."""
        return self.annotate(**{kind.value: _sum(kind) for kind in Kind if kind != Kind.FAILED})

    def holding(self):
        """Payments whose money is held or was taken."""
        return self.filter(status__in=HOLDING)


class Payment(models.Model):
    """One attempt to pay for an order: a card's Checkout Session, or a bank transfer awaited.

    Its amount and currency are the order's, copied on the server when the attempt begins;
    what became of the money is its ledger (`entries`), which only ever grows. Its life is
    payments.lifecycle's table; every move goes through payments.services.
    """

    Status = Status
    Method = Method

    order = models.ForeignKey("checkout.Order", on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(max_length=16, choices=Method)
    # Who moves the money: "stripe" for cards; empty for a bank transfer, which staff record.
    provider = models.CharField(max_length=16, blank=True)
    amount = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    # The provider's names for it: the Checkout Session, then the PaymentIntent it made.
    session_id = models.CharField(max_length=255, blank=True, db_index=True)
    intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            # Choosing bank transfer twice waits for one transfer, not two.
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(method="bank_transfer", status="pending"),
                name="payment_one_awaited_transfer_per_order",
            ),
        ]

    def __str__(self):
        return (
            f"Payment #{self.pk} ({self.get_method_display().lower()}) for order #{self.order_id}"
        )

    def get_absolute_url(self):
        return reverse("payments:payment_detail", kwargs={"pk": self.pk})

    @property
    def is_pending(self) -> bool:
        return self.status == Status.PENDING

    @property
    def may_still_pay(self) -> bool:
        """Whether the provider may yet say this payment was made: nothing heard, or a card
        refused on a page that stays open for another card."""
        return self.status in (Status.PENDING, Status.FAILED)

    @property
    def reference(self) -> str:
        """What a bank transfer for it must say, so that staff find the order."""
        return f"{settings.SHOP_NAME} order {self.order_id}".upper()

    def totals(self) -> Totals:
        """The money held, taken and given back, from the ledger."""
        names = [field.name for field in fields(Totals)]
        return Totals(**Payment.objects.with_totals().filter(pk=self.pk).values(*names).get())


class LedgerEntry(models.Model):
    """One event of a payment's money, for ever: held, taken, refused, released, given back.

    Written once and never changed (`save` refuses an update). `key` names the event so that
    hearing of it twice (the provider's answer and its webhook, a replayed event, a retried
    task) records it once: the database keeps one entry per key.
    """

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    amount = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    # The provider's name for what happened (a PaymentIntent, a refund), if it has one.
    reference = models.CharField(max_length=255, blank=True)
    key = models.CharField(max_length=255, unique=True)
    # What the customer or staff are told of it: a decline's reason, a refund's.
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "ledger entries"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="ledger_amount_not_negative")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} ({self.key})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A ledger entry is never changed: record a new one.")
        super().save(*args, **kwargs)


class ProviderEvent(models.Model):
    """A provider's event the shop has applied (a webhook, or one found by reconciliation):
    each is applied once, however often it is delivered."""

    provider = models.CharField(max_length=16)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="provider_event_once")
        ]

    def __str__(self):
        return f"{self.provider} {self.type} {self.event_id}"
