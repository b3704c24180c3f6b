"""What the alerts app adds to other apps' pages, without those apps importing it.

A page that wants a part of it loads these tags: `{% load alerts %}`. The dependency stays
in the template that lays the page out, and the other app's Python knows nothing of alerts.
"""

from django import template

from ..models import StockSubscription

register = template.Library()


@register.inclusion_tag("alerts/stock_alert.html#form", takes_context=True)
def stock_alert_form(context, product):
    """The "E-mail me when it's back" form for a sold-out `product`.

    It depends only on whether someone is signed in, never on who: cached pages can hold it.
    """
    return {
        "product": product,
        "user": context.get("user"),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("alerts/account_section.html#section", takes_context=True)
def stock_alerts_section(context):
    """The account page's list of the user's back-in-stock subscriptions, each cancellable."""
    user = context["user"]
    return {
        "subscriptions": StockSubscription.objects.for_user(user)
        .waiting()
        .select_related("product"),
        "user": user,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
