from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """The request type our views receive: django-htmx's middleware adds `request.htmx`."""

    htmx: HtmxDetails
