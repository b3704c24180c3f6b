from django import template

from money.formatting import format_money, format_percent

register = template.Library()


@register.filter
def money(amount, currency: str | None = None) -> str:
    """`{{ product.price|money }}`, or in an order's own currency `{{ x|money:order.currency }}`."""
    return format_money(amount, currency)


@register.filter
def percent(rate) -> str:
    """`{{ shop.tax_rate|percent }}%`: a rate as people write it, 20 or 7.5."""
    return format_percent(rate)
