from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """The request type our views receive: django-htmx's middleware adds `request.htmx`."""

    htmx: HtmxDetails


def safe_next_url(request: HttpRequest, fallback: str = "") -> str:
    """The `next` URL the request carries (form field, else query string) if it stays on
    this site; otherwise `fallback`. Never an open redirect to someone else's site."""
    url = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return fallback
