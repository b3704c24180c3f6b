from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.utils.html import format_html
from pictures.templatetags.pictures import img_url

from storefront.adminforms import action_form

from . import services
from .models import PICTURE_RATIO, Category, Product, ProductImage


def picture_preview(image, alt: str = "", *, size: int = 160) -> str:
    """A stored picture as the shop shows it (square WebP), small, for the admin's pages."""
    if not image:
        return "No picture yet."
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}">',
        img_url(image, "webp", size, ratio=PICTURE_RATIO),
        alt,
        size,
        size,
    )


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "position"]
    list_editable = ["position"]
    list_filter = [("parent", admin.EmptyFieldListFilter)]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["parent"]


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    extra = 1
    fields = ["preview", "image", "alt", "position"]
    readonly_fields = ["preview"]

    @admin.display(description="Preview")
    def preview(self, obj):
        return picture_preview(obj.image, obj.alt)


# No restock adds more than this at once: a typo of extra zeros stops at the form.
MAX_RESTOCK = 100_000


class RestockForm(forms.Form):
    """The "Restock" action's question: how many units arrived of each selected product."""

    quantity = forms.IntegerField(
        label="Units to add", min_value=1, max_value=MAX_RESTOCK, help_text="Per product."
    )


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "name", "category", "price", "quantity", "updated_at"]
    list_display_links = ["thumbnail", "name"]
    list_editable = ["price", "quantity"]
    list_filter = ["category", "updated_at"]
    list_select_related = ["category__parent"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["preview", "created_at", "updated_at"]
    fields = [
        "name",
        "slug",
        "category",
        "description",
        "price",
        "quantity",
        "preview",
        "image",
        "image_alt",
        "created_at",
        "updated_at",
    ]
    inlines = [ProductImageInline]

    @admin.display(description="Picture")
    def preview(self, obj):
        return picture_preview(obj.image, obj.image_alt_text)

    @admin.display(description="")
    def thumbnail(self, obj):
        return picture_preview(obj.image, size=48) if obj.image else ""

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
        return action_form(
            self,
            request,
            "admin/catalog/product/restock.html",
            selected=queryset.order_by("pk"),
            form=form,
            title="Restock products",
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "price":
            # Staff type a plain number; say which currency it is in and that tax is included.
            field.help_text = f"In {settings.CURRENCY}, {settings.TAX_NAME} included."
        return field
