from django import forms
from django.contrib import admin, messages

from money.formatting import format_money
from storefront.adminforms import action_form

from . import services
from .lifecycle import MOVES
from .models import TRACKING_URLS, Order, OrderLine
from .services import CheckoutError
from .signals import OrderRefused


class ShipForm(forms.Form):
    """The "Mark shipped" action's question: which carrier, under which tracking number."""

    carrier = forms.CharField(
        max_length=services.MAX_CARRIER_LENGTH,
        help_text="Known carriers get a tracking link in the customer's e-mail: "
        + ", ".join(TRACKING_URLS)
        + ".",
        widget=forms.TextInput(attrs={"list": "known-carriers", "autocomplete": "off"}),
    )
    tracking_number = forms.CharField(max_length=services.MAX_TRACKING_NUMBER_LENGTH)


def move_action(move: str, *, description: str):
    """Mark an admin action as the one that makes `move` (a row of checkout.lifecycle.MOVES):
    the admin offers it only while the table lets staff make that move."""

    def decorate(function):
        function.move = move
        return admin.action(description=description)(function)

    return decorate


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    fields = ["product", "product_name", "quantity", "price", "line_total"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # Each line shows its order's currency: one query for all lines, not one per line.
        return super().get_queryset(request).select_related("order")

    @admin.display(description="unit price")
    def price(self, line):
        return format_money(line.unit_price, line.order.currency)

    @admin.display(description="subtotal")
    def line_total(self, line):
        return format_money(line.line_total, line.order.currency)


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["__str__", "customer", "status", "total", "created_at", "confirmed_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["pk", "customer__username", "customer__email", "shipping_name"]
    list_select_related = ["customer"]
    date_hierarchy = "created_at"
    inlines = [OrderLineInline]
    actions = ["confirm_selected", "mark_shipped", "mark_delivered", "cancel_selected"]
    # Status changes go through the actions (and so through the services and their signals),
    # never through a form field or queryset.update().
    # The money lines are what the customer agreed to: shown (in the order's own currency),
    # never edited.
    readonly_fields = [
        "customer",
        "status",
        "confirmed_at",
        "cancelled_at",
        "shipped_at",
        "carrier",
        "tracking_number",
        "delivered_at",
        "total_price",
        "subtotal_amount",
        "shipping_amount",
        "total",
        "tax_amount",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["customer", "status", "confirmed_at", "cancelled_at"]}),
        ("Amounts", {"fields": ["subtotal_amount", "shipping_amount", "total", "tax_amount"]}),
        (
            "Shipping address",
            {
                "fields": [
                    "shipping_name",
                    "address_line1",
                    "address_line2",
                    "city",
                    "postal_code",
                    "country",
                ]
            },
        ),
        (None, {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description="subtotal")
    def subtotal_amount(self, order):
        return format_money(order.subtotal, order.currency)

    @admin.display(description="shipping")
    def shipping_amount(self, order):
        return format_money(order.shipping, order.currency)

    @admin.display(description="total", ordering="total_price")
    def total(self, order):
        return format_money(order.total_price, order.currency)

    @admin.display(description="tax included")
    def tax_amount(self, order):
        amounts = order.amounts
        return f"{format_money(amounts.tax, amounts.currency)} ({amounts.tax_percent}%)"

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        return {
            name: action
            for name, action in super().get_actions(request, action_location).items()
            if (move := getattr(action.func, "move", None)) is None or MOVES[move].staff
        }

    def _apply(self, request, queryset, service, done: str, **arguments):
        """Run `service` on each selected order, each in its own transaction; say how each went.

        One refused order (wrong status) must not stop the others, so each gets a message.
        """
        for order in queryset.order_by("pk"):
            try:
                service(order=order, **arguments)
            except (CheckoutError, OrderRefused) as error:
                self.message_user(request, f"{order}: {error}", messages.ERROR)
            else:
                self.message_user(request, f"{order} {done}.", messages.SUCCESS)

    @move_action("confirm", description="Confirm selected orders")
    def confirm_selected(self, request, queryset):
        self._apply(request, queryset, services.order_confirm, "is confirmed")

    @move_action("ship", description="Mark selected orders shipped…")
    def mark_shipped(self, request, queryset):
        """Ask for the carrier and tracking number (one shipment for all selected), then ship.

        The intermediate page posts back to this action with `apply`; until the form is
        valid, it is shown again with its errors and nothing changes.
        """
        form = ShipForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._apply(request, queryset, services.order_ship, "is shipped", **form.cleaned_data)
            return None  # back to the list, where the messages are
        return action_form(
            self,
            request,
            "admin/checkout/order/mark_shipped.html",
            selected=queryset.order_by("pk"),
            form=form,
            title="Mark orders shipped",
            ship_from=[Order.Status(status).label.lower() for status in MOVES["ship"].staff],
            known_carriers=list(TRACKING_URLS),
        )

    @move_action("deliver", description="Mark selected orders delivered")
    def mark_delivered(self, request, queryset):
        self._apply(request, queryset, services.order_deliver, "is delivered")

    @move_action("cancel", description="Cancel selected orders")
    def cancel_selected(self, request, queryset):
        self._apply(request, queryset, services.order_cancel, "is cancelled", by_staff=True)
