import pytest

from accounts.forms import CustomerForm
from addresses.models import Address
from checkout.forms import ShippingForm

PARTS = {
    "address_line1": "1 Rue de Rivoli",
    "city": "Paris",
    "postal_code": "75001",
    "country": "FR",
}


@pytest.mark.parametrize("form_class", [CustomerForm, ShippingForm])
def test_every_address_form_lets_the_browser_fill_in_each_part(form_class):
    tokens = {
        name: form_class().fields[name].widget.attrs["autocomplete"]
        for name in Address.ADDRESS_FIELDS
    }

    assert tokens == {
        "address_line1": "address-line1",
        "address_line2": "address-line2",
        "city": "address-level2",
        "postal_code": "postal-code",
        "country": "country",
    }


def test_an_optional_address_may_be_left_out_or_given_whole():
    assert CustomerForm({}).is_valid()
    assert CustomerForm(PARTS).is_valid()


@pytest.mark.parametrize("missing", Address.REQUIRED_ADDRESS_FIELDS)
def test_half_an_optional_address_is_refused_part_by_part(missing):
    form = CustomerForm({**PARTS, missing: ""})

    assert form.errors == {missing: ["Needed for a shipping address."]}


@pytest.mark.parametrize("missing", Address.REQUIRED_ADDRESS_FIELDS)
def test_an_order_address_asks_for_each_required_part(missing):
    form = ShippingForm({"shipping_name": "Ada", **PARTS, missing: ""})

    assert form.errors == {missing: ["This field is required."]}
