from django import forms

from addresses.forms import AddressForm

from .models import Order
from .signals import address_wanted

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
    """Where to send the order; prefilled with the address kept for the customer
    (`initial_for`).

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

    @classmethod
    def initial_for(cls, user) -> dict:
        """The form's first values for `user`: the address and name kept for them, as the
        first receiver of `address_wanted` to know them answers.

        A name is a person's real one (the one kept with the address, else the account's
        first and last name), never the username: a parcel addressed to "ada_99" does not
        arrive.
        """
        answers = address_wanted.send(sender=Order, customer=user)
        saved = next((answer for _, answer in answers if answer is not None), None)
        if saved is None:
            return {"shipping_name": user.get_full_name(), "save_address": True}
        return {
            "shipping_name": saved.name or user.get_full_name(),
            **saved.address.address_parts,
            "save_address": True,
        }

    @property
    def shipping(self) -> dict:
        """The address fields of a valid form, as `order_place` takes them."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}
