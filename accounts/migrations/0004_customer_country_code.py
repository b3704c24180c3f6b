"""A customer's country becomes an ISO code chosen from a list (django-countries).

What was typed is read as an English name, an ISO code or a common alias (the reading is
frozen below). A country that cannot be read is cleared: the profile then has no complete
shipping address, and the account page and checkout ask the shopper to choose one.
"""

import django_countries.fields
from django.db import migrations
from django_countries import countries

# How a typed country was read when this migration was written, frozen here: a migration must
# not change with the live code. What people commonly type that is neither a country's English
# name nor an ISO code:
ALIASES = {
    "america": "US",
    "united states": "US",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "uk": "GB",  # ISO's own code for the United Kingdom is GB
    "holland": "NL",
    "the netherlands": "NL",
    "czech republic": "CZ",
    "south korea": "KR",
    "russia": "RU",
    "deutschland": "DE",
    "españa": "ES",
    "schweiz": "CH",
    "österreich": "AT",
}


def country_code(text: str) -> str:
    """The ISO 3166-1 alpha-2 code for a typed country, or "" when it names none for sure.

    An English name (any case), an alpha-2, alpha-3 or numeric code, or a common alias.
    """
    typed = " ".join(text.replace(".", "").split())
    if not typed:
        return ""
    alias = ALIASES.get(typed.casefold())
    if alias:
        return alias
    by_name = countries.by_name(typed, insensitive=True)
    if by_name:
        return by_name
    # alpha2() also reads alpha-3 and numeric codes; anything longer is not a code.
    return countries.alpha2(typed) if len(typed) <= 3 else ""


def countries_to_codes(apps, schema_editor):
    Customer = apps.get_model("accounts", "Customer")
    for customer in Customer.objects.exclude(country="").only("pk", "country").iterator():
        Customer.objects.filter(pk=customer.pk).update(country=country_code(customer.country))


def codes_to_countries(apps, schema_editor):
    from django_countries import countries

    Customer = apps.get_model("accounts", "Customer")
    for customer in Customer.objects.exclude(country="").only("pk", "country").iterator():
        Customer.objects.filter(pk=customer.pk).update(country=countries.name(customer.country))


def check_deferred_constraints_now(apps, schema_editor):
    """PostgreSQL will not ALTER a table while this transaction still owes it deferred
    foreign-key checks (queued by the UPDATEs above): run those checks now."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_email_unique_customer_phone"),
    ]

    operations = [
        # The codes are written while the column is still wide, then it narrows to two.
        migrations.RunPython(countries_to_codes, codes_to_countries),
        migrations.RunPython(check_deferred_constraints_now, check_deferred_constraints_now),
        migrations.AlterField(
            model_name="customer",
            name="country",
            field=django_countries.fields.CountryField(blank=True, max_length=2),
        ),
    ]
