"""One money formatter for the whole shop, and no currency written into a template."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.template import Context, Template

from money.formatting import format_money, format_percent, round_money

# Currency signs a template might carry by hand: $, £, €, ¥, ₹, and "USD 12"-style codes
# right before a number or a template variable.
CURRENCY_SIGN = re.compile(r"[$£€¥₹](?!\{[^{])|\b(?:USD|EUR|GBP)\s*(?:\d|\{\{)")


def test_amounts_are_formatted_for_the_currency_and_locale(settings):
    settings.CURRENCY, settings.MONEY_LOCALE = "USD", "en_US"
    assert format_money(Decimal("1234.5")) == "$1,234.50"

    settings.CURRENCY, settings.MONEY_LOCALE = "EUR", "de_DE"
    assert format_money(Decimal("1234.5")) == "1.234,50\xa0€"

    settings.CURRENCY, settings.MONEY_LOCALE = "JPY", "ja_JP"
    assert format_money(Decimal("1234")) == "￥1,234"


def test_an_order_keeps_its_own_currency_whatever_the_shop_uses_now(settings):
    settings.CURRENCY, settings.MONEY_LOCALE = "EUR", "en_US"

    assert format_money(Decimal("9.5"), "USD") == "$9.50"


def test_the_template_filter_is_the_same_formatter(settings):
    settings.CURRENCY, settings.MONEY_LOCALE = "GBP", "en_GB"
    template = Template("{% load money %}{{ price|money }} / {{ price|money:'USD' }}")

    assert template.render(Context({"price": Decimal("3")})) == "£3.00 / US$3.00"


def test_rounding_is_half_up_to_the_currencys_smallest_unit():
    assert round_money(Decimal("0.125"), "USD") == Decimal("0.13")
    assert round_money(Decimal("0.135"), "USD") == Decimal("0.14")
    assert round_money(Decimal("12.5"), "JPY") == Decimal("13")


def test_percentages_are_written_without_trailing_zeros():
    assert [format_percent(Decimal(rate)) for rate in ("20", "20.00", "7.50", "0")] == [
        "20",
        "20",
        "7.5",
        "0",
    ]


def _templates():
    root = Path(django_settings.BASE_DIR)
    skip = {".venv", "node_modules", "staticfiles", ".git"}
    return [
        path
        for path in root.rglob("*")
        if path.suffix in {".html", ".txt"}
        and path.is_file()
        and "templates" in path.parts
        and not skip.intersection(path.parts)
    ]


def test_the_shop_has_templates_to_check():
    assert len(_templates()) > 20


@pytest.mark.parametrize("template", _templates(), ids=lambda path: str(path))
def test_no_template_writes_a_currency_sign(template):
    """Every amount goes through the `money` filter: a sign typed into a template would be
    wrong the day the currency setting changes."""
    for number, line in enumerate(template.read_text().splitlines(), start=1):
        assert not CURRENCY_SIGN.search(line), f"{template}:{number}: {line.strip()}"
