from django.contrib import admin, messages

from . import services
from .models import Order, OrderLine
from .services import CheckoutError
from .signals import OrderRefused


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    fields = ["product", "product_name", "quantity", "unit_price"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["__str__", "customer", "status", "total_price", "created_at", "confirmed_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["pk", "customer__username", "customer__email", "shipping_name"]
    list_select_related = ["customer"]
    date_hierarchy = "created_at"
    inlines = [OrderLineInline]
    actions = ["confirm_selected", "cancel_selected"]
    # Status changes go through the actions (and so through the services and their signals),
    # never through a form field or queryset.update().
    readonly_fields = [
        "customer",
        "status",
        "confirmed",
        "confirmed_at",
        "cancelled_at",
        "total_price",
        "created_at",
        "updated_at",
    ]

    def _apply(self, request, queryset, service, done: str):
        succeeded = 0
        for order in queryset.order_by("pk"):
            try:
                service(order=order)
            except (CheckoutError, OrderRefused) as error:
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
