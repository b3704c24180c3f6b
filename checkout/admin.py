from django.contrib import admin, messages

from storefront.money import format_money

from . import services
from .exceptions import CheckoutError
from .models import Order, OrderLine


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
    actions = ["confirm_selected", "cancel_selected"]
    # Status changes go through the actions (and so through the services and their signals),
    # never through a form field or queryset.update().
    # The money lines are what the customer agreed to: shown (in the order's own currency),
    # never edited.
    readonly_fields = [
        "customer",
        "status",
        "confirmed",
        "confirmed_at",
        "cancelled_at",
        "subtotal_amount",
        "shipping_amount",
        "total",
        "tax_amount",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["customer", "status", "confirmed", "confirmed_at", "cancelled_at"]}),
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

    def _apply(self, request, queryset, service, done: str):
        succeeded = 0
        for order in queryset.order_by("pk"):
            try:
                service(order=order)
            except CheckoutError as error:
                self.message_user(request, f"{order}: {error}", messages.ERROR)
            else:
                succeeded += 1
        if succeeded:
            self.message_user(request, f"{succeeded} order(s) {done}.", messages.SUCCESS)

    @admin.action(description="Confirm selected orders")
    def confirm_selected(self, request, queryset):
        self._apply(request, queryset, services.order_confirm, "confirmed")

    @admin.action(description="Cancel selected orders")
    def cancel_selected(self, request, queryset):
        self._apply(request, queryset, services.order_cancel, "cancelled")
