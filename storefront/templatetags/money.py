from django import template

from storefront.money import format_money

register = template.Library()


@register.filter
def money(amount, currency: str | None = None) -> str:
    """`{{ product.price|money }}`, or in an order's own currency `{{ x|money:order.currency }}`."""
    return format_money(amount, currency)
