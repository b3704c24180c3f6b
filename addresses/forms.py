from crispy_forms.layout import Column, Fieldset, Row
from django import forms

from .models import Address


class AddressForm(forms.ModelForm):
    """The address fields of a ModelForm whose model is built on `models.Address`.

    A form adds its model and its own fields around these: `class Meta(AddressForm.Meta)`
    with `fields = ["name", *AddressForm.Meta.fields]`. An optional address
    (`models.OptionalAddress`) is taken whole or not at all.
    """

    class Meta:
        fields = list(Address.ADDRESS_FIELDS)
        # Each part with the autocomplete token a browser fills it from (HTML's autofill).
        widgets = {
            "address_line1": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "address_line2": forms.TextInput(attrs={"autocomplete": "address-line2"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "postal_code": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            # A list (django-countries), never typed: a country a parcel can go to.
            "country": forms.Select(attrs={"autocomplete": "country"}),
        }

    def clean(self):
        cleaned_data = super().clean()
        # Half an address is worse than none: checkout would prefill a parcel that cannot
        # be delivered. Either the required parts are all there, or none of the address is.
        if any(cleaned_data.get(name) for name in Address.ADDRESS_FIELDS):
            for name in Address.REQUIRED_ADDRESS_FIELDS:
                if not cleaned_data.get(name) and name not in self.errors:
                    self.add_error(name, "Needed for a shipping address.")
        return cleaned_data


def address_fieldset(legend: str) -> Fieldset:
    """The address fields laid out for crispy-forms, the postal code beside the city."""
    return Fieldset(
        legend,
        "address_line1",
        "address_line2",
        Row(Column("postal_code", css_class="col-sm-4"), Column("city")),
        "country",
    )
