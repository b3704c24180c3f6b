import uuid

from django import forms
from django.contrib import admin, messages
from django.db.models import F
from django.urls import reverse
from django.utils.html import format_html

from money.formatting import format_money
from storefront.adminforms import action_form

from . import services
from .models import LedgerEntry, Method, Payment, ProviderEvent
from .services import PaymentError


class RefundForm(forms.Form):
    """The "Refund…" action's question: how much, and why (told to the customer)."""

    amount = forms.DecimalField(max_digits=12, decimal_places=2, min_value=0.01)
    reason = forms.CharField(max_length=300, required=False, help_text="Told to the customer.")
    # Made when the form is first shown: the same refund sent twice (a double click, a
    # reload) carries the same key, and is made once.
    key = forms.CharField(widget=forms.HiddenInput)


class RefundDueFilter(admin.SimpleListFilter):
    """Money kept for an order that was cancelled: a bank transfer staff must send back (a
    card's is refunded on its own), or a card refund the provider has not made yet."""

    title = "refund due"
    parameter_name = "refund_due"

    def lookups(self, request, model_admin):
        return [("yes", "Refund due")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(captured__gt=F("refunded"), order__status="cancelled")
        return queryset


class LedgerEntryInline(admin.TabularInline):
    """The payment's ledger: read only, as it is append-only."""

    model = LedgerEntry
    fields = ["created_at", "kind", "money", "reference", "note", "key"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # Each entry shows its payment's currency: one query for all entries, not one each.
        return super().get_queryset(request).select_related("payment")

    @admin.display(description="amount")
    def money(self, entry):
        return format_money(entry.amount, entry.payment.currency)


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Payments are made by their services (the shopper, the provider, these actions), never
    by editing: every field is read only, and what moved the money is the ledger below."""

    list_display = [
        "__str__",
        "order_link",
        "method",
        "status",
        "total",
        "refundable",
        "created_at",
    ]
    list_filter = [RefundDueFilter, "method", "status", "created_at"]
    search_fields = ["pk", "order__pk", "session_id", "intent_id", "order__customer__email"]
    list_select_related = ["order"]
    date_hierarchy = "created_at"
    inlines = [LedgerEntryInline]
    actions = ["record_transfer", "refund"]
    fields = [
        "order_link",
        "method",
        "provider",
        "status",
        "total",
        "refundable",
        "reference",
        "session_id",
        "intent_id",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).with_totals()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="order", ordering="order")
    def order_link(self, payment):
        url = reverse("admin:checkout_order_change", args=[payment.order_id])
        return format_html('<a href="{}">Order #{}</a>', url, payment.order_id)

    @admin.display(description="amount", ordering="amount")
    def total(self, payment):
        return format_money(payment.amount, payment.currency)

    @admin.display(description="left to refund")
    def refundable(self, payment):
        return format_money(payment.captured - payment.refunded, payment.currency)

    @admin.action(description="Record bank transfer received (confirms the order)")
    def record_transfer(self, request, queryset):
        """The money of each selected bank transfer arrived in full: record it, and the order
        is confirmed (as Mark shipped, each in its own transaction, each with its message)."""
        for payment in queryset.order_by("pk"):
            try:
                services.transfer_received(payment=payment)
            except PaymentError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"{payment}: received, order #{payment.order_id} confirmed.",
                    messages.SUCCESS,
                )

    @admin.action(description="Refund part or all of a payment…")
    def refund(self, request, queryset):
        """Ask how much of the selected payment to give back and why, then refund it: through
        the provider for a card; for a bank transfer, recorded as sent by staff."""
        if queryset.count() != 1:
            self.message_user(request, "Choose one payment to refund.", messages.ERROR)
            return None
        payment = queryset.get()
        left = payment.captured - payment.refunded
        if "apply" in request.POST:
            form = RefundForm(request.POST)
        else:
            form = RefundForm(initial={"amount": left, "key": f"payments.refund.{uuid.uuid4()}"})
        if form.is_valid():
            try:
                services.refund(
                    payment=payment,
                    amount=form.cleaned_data["amount"],
                    key=form.cleaned_data["key"],
                    reason=form.cleaned_data["reason"],
                )
            except PaymentError as error:
                form.add_error(None, str(error))
            else:
                amount = format_money(form.cleaned_data["amount"], payment.currency)
                self.message_user(request, f"{payment}: {amount} refunded.", messages.SUCCESS)
                return None
        return action_form(
            self,
            request,
            "admin/payments/payment/refund.html",
            selected=[payment],
            form=form,
            title=f"Refund {payment}",
            payment=payment,
            left=format_money(left, payment.currency),
            by_hand=payment.method == Method.BANK_TRANSFER,
        )


@admin.register(ProviderEvent)
class ProviderEventAdmin(admin.ModelAdmin):
    """The provider's events the shop has applied, each once: to see what Stripe said, when."""

    list_display = ["event_id", "type", "provider", "received_at"]
    list_filter = ["provider", "type"]
    search_fields = ["event_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
