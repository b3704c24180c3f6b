from django.db import models
from django_countries.fields import CountryField


class Address(models.Model):
    """A postal address: what a parcel needs to arrive, each model that has one holding its
    own copy of these columns (an order keeps the address it was sent to, whatever its
    customer's profile says later).

    Abstract, so a model built on it gains the fields and keeps them in its own table.
    """

    address_line1 = models.CharField("address line 1", max_length=200)
    address_line2 = models.CharField("address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100)
    postal_code = models.CharField(max_length=20)
    # An ISO 3166-1 code chosen from a list, never typed: always a country a parcel can go to.
    country = CountryField(blank_label="Choose a country")

    ADDRESS_FIELDS = ("address_line1", "address_line2", "city", "postal_code", "country")
    # What a parcel cannot do without; address line 2 is the only optional part.
    REQUIRED_ADDRESS_FIELDS = ("address_line1", "city", "postal_code", "country")

    class Meta:
        abstract = True

    @property
    def has_shipping_address(self) -> bool:
        """Whether every part a parcel needs is there."""
        return all(getattr(self, name) for name in self.REQUIRED_ADDRESS_FIELDS)

    @property
    def address_parts(self) -> dict[str, str]:
        """The address by field name, the country as its code: what `set_address` copies and
        what a form takes as initial values."""
        parts = {name: getattr(self, name) for name in self.ADDRESS_FIELDS}
        # django-stubs types every CharField's value as a str; this one's is a Country.
        parts["country"] = self.country.code  # type: ignore[attr-defined]
        return parts

    def set_address(self, other: "Address") -> None:
        """Take `other`'s address (of any model built on Address) as this one's; not saved."""
        for name, value in other.address_parts.items():
            setattr(self, name, value)


class OptionalAddress(Address):
    """An address that may not have been given yet (a shopper's profile before their first
    order): each part may be left blank. Given, it must be whole: `forms.AddressForm` takes
    the required parts all together or none of them.
    """

    class Meta:
        abstract = True


# Address's own fields, each allowed blank. Not redeclared: `blank` is validation, not schema,
# so the columns stay exactly Address's (and in its order).
for field in OptionalAddress._meta.local_fields:
    if field.name in Address.REQUIRED_ADDRESS_FIELDS:
        field.blank = True
