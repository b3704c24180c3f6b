from django.conf import settings
from django.contrib import admin

from .models import Product


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "price", "quantity", "updated_at"]
    list_editable = ["price", "quantity"]
    list_filter = ["updated_at"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "price":
            # Staff type a plain number; say which currency it is in and that tax is included.
            field.help_text = f"In {settings.CURRENCY}, {settings.TAX_NAME} included."
        return field
