from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse

from . import services
from .models import Product

# No restock adds more than this at once: a typo of extra zeros stops at the form.
MAX_RESTOCK = 100_000


class RestockForm(forms.Form):
    """The "Restock" action's question: how many units arrived of each selected product."""

    quantity = forms.IntegerField(
        label="Units to add", min_value=1, max_value=MAX_RESTOCK, help_text="Per product."
    )


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "price", "quantity", "updated_at"]
    list_editable = ["price", "quantity"]
    list_filter = ["updated_at"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    actions = ["restock"]

    def save_model(self, request, obj, form, change):
        # Through the service, which announces a product coming back in stock or running low
        # (the form and the list's editable column both save here).
        services.product_save(product=obj)

    @admin.action(description="Restock selected products…")
    def restock(self, request, queryset):
        """Ask how many units arrived, then add them to each selected product.

        Adds rather than sets, so a sale made while the form was open is not overwritten.
        """
        form = RestockForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            quantity = form.cleaned_data["quantity"]
            for product in queryset.order_by("pk"):
                stock = services.restock(product=product, quantity=quantity)
                self.message_user(
                    request, f"{product}: {quantity} added, {stock} in stock.", messages.SUCCESS
                )
            return None  # back to the list, where the messages are
        context = {
            **self.admin_site.each_context(request),
            "title": "Restock products",
            "opts": self.model._meta,
            "products": queryset.order_by("pk"),
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/catalog/product/restock.html", context)
