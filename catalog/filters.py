"""The catalog's search, filters and sort orders, as one django-filter FilterSet.

Every parameter comes from the URL, so a filtered page is a link that can be shared,
bookmarked and cached. A value the form cannot read (`price=abc`, `sort=evil`) is left out
of the filtering and named in the form's errors: the shopper gets the page and a message,
never a 500.
"""

import django_filters
from django import forms

from .models import Category, Product

# Longer search text is cut rather than refused: nobody types 100 characters to find a mug.
# NUL characters are dropped the same way: nobody types one, and PostgreSQL cannot compare
# text with them (it raises instead).
MAX_QUERY_LENGTH = 100

# (value in the URL, label, ORDER BY). The primary key breaks ties, so a page boundary never
# falls between products of equal price and shows one twice. No value: by name, the
# products' own ordering, so the plainest URL is the default page.
SORTS = [
    ("price", "Price: low to high", ["price", "pk"]),
    ("-price", "Price: high to low", ["-price", "-pk"]),
    ("newest", "Newest first", ["-created_at", "-pk"]),
]
SORT_ORDER = {value: order for value, _, order in SORTS}

PRICE = {"min_value": 0, "max_digits": 10, "decimal_places": 2}
# The form's fields besides the search box.
FILTER_FIELDS = ("sort", "category", "in_stock", "min_price", "max_price")


class ProductFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search products", method="search")
    category = django_filters.ChoiceFilter(
        label="Category", method="in_category", empty_label="All categories"
    )
    in_stock = django_filters.BooleanFilter(
        label="In stock only", method="only_in_stock", widget=forms.CheckboxInput
    )
    min_price = django_filters.NumberFilter(
        field_name="price", lookup_expr="gte", label="Price from", **PRICE
    )
    max_price = django_filters.NumberFilter(
        field_name="price", lookup_expr="lte", label="Price to", **PRICE
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[(value, label) for value, label, _ in SORTS],
        method="sort_by",
        empty_label="Name",
    )

    class Meta:
        model = Product
        fields = []

    def __init__(self, data=None, *args, categories: list[Category], category=None, **kwargs):
        """`categories`: the menu's categories (already fetched: offering them costs no query).
        `category`: the page's own category, if it is one; its page needs no category field.
        """
        if data is not None and "q" in data:
            data = data.copy()
            data["q"] = data["q"].replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
        super().__init__(data, *args, **kwargs)
        self.categories = {each.slug: each for each in categories}
        if category is None:
            # Top-level categories with their children after them, indented.
            self.filters["category"].extra["choices"] = [
                (each.slug, f"– {each.name}" if each.parent_id else each.name)
                for top in categories
                if top.parent_id is None
                for each in (top, *top.subcategories)
            ]
        else:
            del self.filters["category"]
        # Bootstrap's look; labels are written in the template.
        fields = self.form.fields
        for name in ("sort", "category"):
            if name in fields:
                fields[name].widget.attrs["class"] = "form-select form-select-sm"
        for name in ("min_price", "max_price"):
            fields[name].widget.attrs.update(
                {"class": "form-control price-input", "inputmode": "decimal", "step": "0.01"}
            )
        fields["in_stock"].widget.attrs["class"] = "form-check-input"

    def search(self, queryset, name, value):
        return queryset.search(value)

    def in_category(self, queryset, name, value):
        return queryset.in_category(self.categories[value])

    def only_in_stock(self, queryset, name, value):
        return queryset.in_stock() if value else queryset

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORT_ORDER[value])

    @property
    def query(self) -> str:
        """The search text in effect ("" for none)."""
        return self._cleaned().get("q", "")

    @property
    def is_narrowed(self) -> bool:
        """Whether a filter (not the search, not the sort) leaves products out."""
        cleaned = self._cleaned()
        return any(
            cleaned.get(name) not in (None, "", False) for name in FILTER_FIELDS if name != "sort"
        )

    def _cleaned(self) -> dict:
        if not self.is_bound:
            return {}
        self.errors  # noqa: B018 -- validates the form, as `qs` does
        return self.form.cleaned_data
