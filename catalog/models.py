from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse


class ProductQuerySet(models.QuerySet):
    def in_stock(self):
        return self.filter(quantity__gt=0)

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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["name", "id"], name="product_name_idx")]
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
