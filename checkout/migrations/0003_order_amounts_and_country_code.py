"""Orders store their money lines, and their country as an ISO code chosen from a list.

Amounts: until now an order stored only its total, shipping was free and prices were said to
include VAT at no stated rate. Existing orders keep their total; they are backfilled as what
they were: subtotal = total, shipping 0, in the shop's CURRENCY, and the tax included at the
shop's TAX_RATE when this migration runs (the rate the old "prices include VAT" meant).

Country: what was typed is read as an English name, an ISO code or a common alias (the
reading is frozen below). An order is a record of where a parcel went, so a country that
cannot be read is not lost: it is kept at the end of address line 2 and the country left
empty.
"""

from decimal import ROUND_HALF_UP, Decimal

import django.core.validators
import django_countries.fields
from django.conf import settings
from django.db import migrations, models
from django_countries import countries

CENT = Decimal("0.01")
NON_NEGATIVE = [django.core.validators.MinValueValidator(Decimal("0"))]



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


def backfill_amounts(apps, schema_editor):
    Order = apps.get_model("checkout", "Order")
    rate = settings.TAX_RATE
    for order in Order.objects.only("pk", "total_price").iterator():
        total = order.total_price
        Order.objects.filter(pk=order.pk).update(
            currency=settings.CURRENCY,
            subtotal=total,
            shipping=Decimal("0.00"),
            tax_rate=rate,
            tax=(total * rate / (100 + rate)).quantize(CENT, rounding=ROUND_HALF_UP),
        )


def countries_to_codes(apps, schema_editor):
    Order = apps.get_model("checkout", "Order")
    for order in Order.objects.only("pk", "country", "address_line2").iterator():
        code = country_code(order.country)
        if code:
            Order.objects.filter(pk=order.pk).update(country=code)
        else:
            kept = ", ".join(part for part in (order.address_line2, order.country) if part)
            Order.objects.filter(pk=order.pk).update(country="", address_line2=kept[:200])


def codes_to_countries(apps, schema_editor):
    from django_countries import countries

    Order = apps.get_model("checkout", "Order")
    for order in Order.objects.exclude(country="").only("pk", "country").iterator():
        Order.objects.filter(pk=order.pk).update(country=countries.name(order.country))


def check_deferred_constraints_now(apps, schema_editor):
    """PostgreSQL will not ALTER a table while this transaction still owes it deferred
    foreign-key checks (queued by the UPDATEs above): run those checks now."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("checkout", "0002_order_fulfilment"),
    ]

    operations = [
        # Nullable first, filled in, then required.
        migrations.AddField(
            model_name="order", name="currency", field=models.CharField(max_length=3, null=True)
        ),
        migrations.AddField(
            model_name="order",
            name="subtotal",
            field=models.DecimalField(
                decimal_places=2, max_digits=12, null=True, validators=NON_NEGATIVE
            ),
        ),
        migrations.AddField(
            model_name="order",
            name="shipping",
            field=models.DecimalField(
                decimal_places=2, max_digits=10, null=True, validators=NON_NEGATIVE
            ),
        ),
        migrations.AddField(
            model_name="order",
            name="tax",
            field=models.DecimalField(
                decimal_places=2, max_digits=12, null=True, validators=NON_NEGATIVE
            ),
        ),
        migrations.AddField(
            model_name="order",
            name="tax_rate",
            field=models.DecimalField(
                decimal_places=2,
                max_digits=5,
                null=True,
                validators=NON_NEGATIVE,
                verbose_name="tax rate (%)",
            ),
        ),
        migrations.RunPython(backfill_amounts, migrations.RunPython.noop),
        migrations.RunPython(check_deferred_constraints_now, check_deferred_constraints_now),
        migrations.AlterField(
            model_name="order", name="currency", field=models.CharField(max_length=3)
        ),
        migrations.AlterField(
            model_name="order",
            name="subtotal",
            field=models.DecimalField(decimal_places=2, max_digits=12, validators=NON_NEGATIVE),
        ),
        migrations.AlterField(
            model_name="order",
            name="shipping",
            field=models.DecimalField(decimal_places=2, max_digits=10, validators=NON_NEGATIVE),
        ),
        migrations.AlterField(
            model_name="order",
            name="tax",
            field=models.DecimalField(decimal_places=2, max_digits=12, validators=NON_NEGATIVE),
        ),
        migrations.AlterField(
            model_name="order",
            name="tax_rate",
            field=models.DecimalField(
                decimal_places=2,
                max_digits=5,
                validators=NON_NEGATIVE,
                verbose_name="tax rate (%)",
            ),
        ),
        # The codes are written while the column is still wide, then it narrows to two. (The
        # check before it is for the way back, after codes_to_countries.)
        migrations.RunPython(check_deferred_constraints_now, check_deferred_constraints_now),
        migrations.RunPython(countries_to_codes, codes_to_countries),
        migrations.RunPython(check_deferred_constraints_now, check_deferred_constraints_now),
        migrations.AlterField(
            model_name="order",
            name="country",
            field=django_countries.fields.CountryField(max_length=2),
        ),
    ]
