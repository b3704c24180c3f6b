"""What the catalog adds to other apps' pages, without those apps knowing its templates.

A page that shows products loads these tags: `{% load catalog %}`. The dependency stays in
the template that lays the page out, and the other app's Python knows nothing of the catalog.
"""

from django import template

register = template.Library()


@register.inclusion_tag("catalog/stock.html#badge")
def stock_badge(product):
    """`product`'s stock badge ("12 in stock", "Only 2 left", "Sold out"). Its id stays the
    same wherever it is shown, so the page's `stock_poller` can replace it."""
    return {"product": product}


@register.inclusion_tag("catalog/stock.html#poller")
def stock_poller(products):
    """One per page: keeps the stock badges of `products` current while the page is open."""
    return {"products": products}
