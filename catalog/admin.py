from django.contrib import admin
from django.utils.html import format_html
from pictures.templatetags.pictures import img_url

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
