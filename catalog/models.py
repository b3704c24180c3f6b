from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from pictures.models import PictureField

from .validators import PICTURE_VALIDATORS

# Every picture is shown square (cards, the product page, the gallery): one set of renditions.
PICTURE_RATIO = "1/1"


class CategoryQuerySet(models.QuerySet["Category"]):
    def menu(self: "CategoryQuerySet") -> list["Category"]:
        """Every category in one query, each with its `parent` set and, if top-level, its
        children in `subcategories`: menus, breadcrumbs and filters then need no more."""
        categories = list(self)
        by_pk = {category.pk: category for category in categories}
        for category in categories:
            category.subcategories = []
        for category in categories:
            if category.parent_id in by_pk:
                category.parent = by_pk[category.parent_id]
                category.parent.subcategories.append(category)
        return categories


class Category(models.Model):
    """A shelf of the shop. Categories nest one level: a top-level one and its children."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
        help_text="Empty for a top-level category.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers come first in the menu."
    )

    objects = CategoryQuerySet.as_manager()
    # A top-level category's children, when it was read by `Category.objects.menu()`.
    subcategories: list["Category"]

    class Meta:
        verbose_name_plural = "categories"
        ordering = ["position", "name", "pk"]

    def __str__(self):
        return f"{self.parent} › {self.name}" if self.parent_id else self.name

    def get_absolute_url(self):
        return reverse("catalog:category", kwargs={"slug": self.slug})

    def clean(self):
        # One level is enough for a small shop's menu, and keeps "this category and its
        # children" a single query.
        if self.parent is None:
            return
        if self.parent_id == self.pk or self.parent.parent_id is not None:
            raise ValidationError({"parent": "Choose a top-level category: they nest one level."})
        if self.pk and self.children.exists():
            raise ValidationError(
                {"parent": "This category has categories of its own, so it stays top-level."}
            )


class ProductQuerySet(models.QuerySet["Product"]):
    def in_stock(self):
        return self.filter(quantity__gt=0)

    def in_category(self, category: "Category"):
        """Products of `category`, and of its children when it is a top-level one."""
        return self.filter(Q(category=category) | Q(category__parent=category))

    def search(self, text: str):
        """Products whose name or description contains every word of `text` (any case)."""
        queryset = self
        for word in text.split():
            queryset = queryset.filter(Q(name__icontains=word) | Q(description__icontains=word))
        return queryset


class Product(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    price = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    quantity = models.IntegerField("units in stock", default=0, validators=[MinValueValidator(0)])
    # Optional, so products from before categories existed keep their place: they are listed
    # under "All products" until someone files them. Deleting a category that still holds
    # products is refused rather than leaving them uncategorised by surprise.
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="products"
    )
    image = PictureField(
        "picture",
        upload_to="products",
        aspect_ratios=[PICTURE_RATIO],
        width_field="image_width",
        height_field="image_height",
        blank=True,
        validators=PICTURE_VALIDATORS,
    )
    # Stored with the picture, so a page can give every <img> its width and height without
    # opening a file.
    image_width = models.PositiveIntegerField(editable=False, null=True)
    image_height = models.PositiveIntegerField(editable=False, null=True)
    image_alt = models.CharField(
        "picture's alt text",
        max_length=200,
        blank=True,
        help_text="What the picture shows, for people who cannot see it. Empty: the name.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["name", "id"], name="product_name_idx"),
            # The sort orders the catalog offers besides the name.
            models.Index(fields=["price", "id"], name="product_price_idx"),
            models.Index(fields=["created_at", "id"], name="product_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=0),
                name="product_price_not_negative",
                violation_error_message="The price cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=0),
                name="product_quantity_not_negative",
                violation_error_message="Units in stock cannot be negative.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:product_detail", kwargs={"slug": self.slug})

    @property
    def is_sold_out(self) -> bool:
        return self.quantity <= 0

    @property
    def is_low_stock(self) -> bool:
        return 0 < self.quantity <= settings.LOW_STOCK_THRESHOLD

    @property
    def image_alt_text(self) -> str:
        return self.image_alt or self.name


class ProductImage(models.Model):
    """One more picture of a product, shown in its page's gallery after the main one."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="gallery")
    image = PictureField(
        "picture",
        upload_to="products/gallery",
        aspect_ratios=[PICTURE_RATIO],
        width_field="image_width",
        height_field="image_height",
        validators=PICTURE_VALIDATORS,
    )
    image_width = models.PositiveIntegerField(editable=False, null=True)
    image_height = models.PositiveIntegerField(editable=False, null=True)
    alt = models.CharField(
        "alt text",
        max_length=200,
        blank=True,
        help_text="What the picture shows, for people who cannot see it. Empty: the product name.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.alt or self.image.name
