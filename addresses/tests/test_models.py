import pytest

from accounts.models import Customer
from addresses.models import Address, OptionalAddress
from checkout.models import Order

PARTS = {
    "address_line1": "1 Rue de Rivoli",
    "address_line2": "Bâtiment B",
    "city": "Paris",
    "postal_code": "75001",
    "country": "FR",
}


def _columns(model) -> dict:
    """Each address field as a migration writes it, `blank` aside."""
    columns = {}
    for name in Address.ADDRESS_FIELDS:
        _, path, args, kwargs = model._meta.get_field(name).deconstruct()
        kwargs.pop("blank", None)
        columns[name] = (path, args, kwargs)
    return columns


def test_an_optional_address_has_an_addresss_columns_and_only_allows_them_blank():
    assert _columns(OptionalAddress) == _columns(Address)
    assert [f.name for f in OptionalAddress._meta.fields] == list(Address.ADDRESS_FIELDS)
    assert all(OptionalAddress._meta.get_field(name).blank for name in Address.ADDRESS_FIELDS)
    assert [name for name in Address.ADDRESS_FIELDS if Address._meta.get_field(name).blank] == [
        "address_line2"
    ]


def test_orders_and_profiles_keep_the_same_address_columns():
    assert _columns(Order) == _columns(Customer) == _columns(Address)


def test_an_address_is_whole_only_with_line_1_city_postal_code_and_country():
    order = Order(**{**PARTS, "address_line2": ""})
    assert order.has_shipping_address

    for name in Address.REQUIRED_ADDRESS_FIELDS:
        assert not Order(**{**PARTS, name: ""}).has_shipping_address, name


@pytest.mark.parametrize("source, target", [(Order, Customer), (Customer, Order)])
def test_one_kind_of_address_takes_every_part_of_another(source, target):
    copy = target(city="Lyon", postal_code="69001")

    copy.set_address(source(**PARTS))

    assert copy.address_parts == PARTS
    assert copy.country.name == "France"


def test_an_address_with_no_country_yet_gives_an_empty_code():
    assert Customer().address_parts == dict.fromkeys(Address.ADDRESS_FIELDS, "")
