from ipaddress import ip_address
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """The request type our views receive: django-htmx's middleware adds `request.htmx`."""

    htmx: HtmxDetails


def safe_next_url(request: HttpRequest, fallback: str = "") -> str:
    """The `next` URL the request carries (form field, else query string) if it is a path on
    this site; otherwise `fallback`.

    Never an open redirect (`//evil.example`, `https://evil.example`, `/\\evil.example`:
    Django's `url_has_allowed_host_and_scheme` is the judge). Only paths from the site's root
    are taken: a bare `id` would be read by `redirect()` as a URL *name* (a NoReverseMatch
    after the write was done) and by a browser as relative to wherever it is. A `next` back to
    the page itself is dropped too, so a signed-in visitor sent to the sign-in page cannot go
    round in circles.
    """
    url = request.POST.get("next") or request.GET.get("next", "")
    if (
        url.startswith("/")
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and urlsplit(url).path != request.path
    ):
        return url
    return fallback


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent the request ("" if there is none, e.g. in a test).

    REMOTE_ADDR is whoever opened the connection. Behind the TLS-terminating proxy
    (`BEHIND_TLS_PROXY`) that is the proxy, and the client is the last X-Forwarded-For entry,
    the one the proxy appended. Entries before it came with the request: the client can write
    anything there, so they are never trusted. A header that is missing or does not end in an
    address leaves REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if settings.BEHIND_TLS_PROXY:
        appended = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        try:
            return str(ip_address(appended))
        except ValueError:
            pass
    return remote
