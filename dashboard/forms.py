from datetime import timedelta

from django import forms
from django.utils import timezone

# No restock adds more than this at once, as in the product list's Restock action: a typo of
# extra zeros stops at the form.
MAX_RESTOCK = 100_000
# Packing slips printed at once: a day's parcels, not the whole order book.
MAX_SLIPS = 100


class RestockForm(forms.Form):
    """How many units of a product arrived."""

    quantity = forms.IntegerField(
        label="Units to add",
        min_value=1,
        max_value=MAX_RESTOCK,
        error_messages={
            "required": "Enter how many units arrived.",
            "invalid": "Enter a whole number of units.",
            "min_value": "Add at least 1 unit.",
            "max_value": "Add at most %(limit_value)s units at once.",
        },
    )


class DateRangeForm(forms.Form):
    """Two days of the shop's calendar, the first not after the last (both included)."""

    start = forms.DateField(
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the first day.", "invalid": "Enter a date."},
    )
    end = forms.DateField(
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the last day.", "invalid": "Enter a date."},
    )

    @classmethod
    def last_days(cls, days: int) -> "DateRangeForm":
        """An unbound form offering the last `days` days, today included."""
        today = timezone.localdate()
        return cls(initial={"start": today - timedelta(days=days - 1), "end": today})

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            raise forms.ValidationError(
                "The first day comes after the last: swap them, or choose again."
            )
        return cleaned


class OrderNumbersField(forms.Field):
    """One or more order numbers (`?order=12&order=15`), as whole numbers, each once."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": "Choose at least one order.",
        "invalid": "“%(value)s” is not an order number.",
        "too_many": f"Choose at most {MAX_SLIPS} orders at once.",
    }

    def to_python(self, value) -> list[int]:
        numbers = []
        for text in value or []:
            # Digits only, and few enough of them for the database's integers.
            if not (text.isascii() and text.isdigit() and 0 < len(text) <= 18 and int(text)):
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid", params={"value": text[:20]}
                )
            numbers.append(int(text))
        numbers = list(dict.fromkeys(numbers))
        if len(numbers) > MAX_SLIPS:
            raise forms.ValidationError(self.error_messages["too_many"], code="too_many")
        return numbers


class PackingSlipsForm(forms.Form):
    """Which orders to print packing slips for."""

    order = OrderNumbersField()
