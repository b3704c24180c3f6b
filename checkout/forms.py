from django import forms

from addresses.forms import AddressForm

from .models import Order

# No line holds more than this, whatever the stock: absurd numbers stop at the form.
MAX_LINE_QUANTITY = 999


class QuantityForm(forms.Form):
    """How many units. The form checks the number; the services check it against stock."""

    quantity = forms.IntegerField(
        min_value=1,
        max_value=MAX_LINE_QUANTITY,
        initial=1,
        error_messages={
            "required": "Enter how many you want.",
            "invalid": "Enter a whole number.",
            "min_value": "Choose at least 1.",
            "max_value": "Choose at most %(limit_value)s.",
        },
    )


class ShippingForm(AddressForm):
    """Where to send the order; prefilled from the customer's profile.

    `save_address` (on by default) asks for the address to become the customer's own, so the
    next checkout is prefilled with it; `shipping` is the address alone.
    """

    save_address = forms.BooleanField(
        label="Save as my address",
        required=False,
        initial=True,
        help_text="Next time, checkout fills it in for you.",
    )

    class Meta(AddressForm.Meta):
        model = Order
        fields = ["shipping_name", *AddressForm.Meta.fields]
        labels = {"shipping_name": "Full name"}
        widgets = {
            "shipping_name": forms.TextInput(attrs={"autocomplete": "name"}),
            **AddressForm.Meta.widgets,
        }

    @property
    def shipping(self) -> dict:
        """The address fields of a valid form, as `order_place` takes them."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}
