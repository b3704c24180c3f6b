from django.contrib import admin

from .models import LowStockAlert, StockSubscription


@admin.register(StockSubscription)
class StockSubscriptionAdmin(admin.ModelAdmin):
    """Who waits for which product. Made by shoppers (and confirmed by them), never by staff."""

    list_display = ["email", "product", "user", "created_at", "notified_at"]
    list_filter = ["notified_at", "created_at"]
    search_fields = ["email", "product__name"]
    list_select_related = ["product", "user"]
    readonly_fields = ["product", "email", "user", "created_at", "notified_at"]

    def has_add_permission(self, request):
        # Subscribing someone is theirs to do: an address is added only through its own link.
        return False


@admin.register(LowStockAlert)
class LowStockAlertAdmin(admin.ModelAdmin):
    """Every time a product ran low and staff were told."""

    list_display = ["product", "quantity", "created_at"]
    list_select_related = ["product"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
