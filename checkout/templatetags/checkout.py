"""What checkout adds to other apps' pages, without those apps knowing its templates.

A page that sells a product loads these tags: `{% load checkout %}`. The dependency stays in
the template that lays the page out, and the other app's Python knows nothing of checkout.
"""

from django import template

register = template.Library()


@register.inclusion_tag("checkout/add_to_cart.html#form", takes_context=True)
def add_to_cart_form(context, product, show_quantity=False):
    """The "Add to cart" form for `product`, with a quantity field when `show_quantity` (a
    product's own page). It comes back to the page it was sent from.

    It depends on the product alone, never on who is looking: cached pages can hold it.
    """
    # Django's inclusion tags pass the page's csrf_token on by themselves.
    return {"product": product, "show_quantity": show_quantity, "request": context["request"]}
