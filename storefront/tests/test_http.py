import pytest
from django.test import RequestFactory

from storefront.http import client_ip


def _request(**meta):
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", **meta)


def test_the_client_is_whoever_connected(settings):
    settings.BEHIND_TLS_PROXY = False

    # Without a proxy in front, X-Forwarded-For is just something the client wrote.
    assert client_ip(_request(HTTP_X_FORWARDED_FOR="198.51.100.1")) == "10.0.0.5"


@pytest.mark.parametrize(
    ("forwarded_for", "client"),
    [
        ("203.0.113.7", "203.0.113.7"),
        # A client's own X-Forwarded-For comes first; the proxy appends the real address.
        ("198.51.100.1, 203.0.113.7", "203.0.113.7"),
        ("198.51.100.1,203.0.113.7", "203.0.113.7"),
        ("2001:db8::7", "2001:db8::7"),
        # No header, or one that does not end in an address: the proxy's own is all we know.
        ("", "10.0.0.5"),
        ("203.0.113.7, <script>", "10.0.0.5"),
    ],
    ids=["one", "forged-first-entry", "no-space", "ipv6", "none", "garbage"],
)
def test_behind_the_proxy_the_client_is_the_address_it_appended(settings, forwarded_for, client):
    settings.BEHIND_TLS_PROXY = True

    assert client_ip(_request(HTTP_X_FORWARDED_FOR=forwarded_for)) == client


def test_a_request_without_an_address_has_an_empty_one(settings):
    settings.BEHIND_TLS_PROXY = True
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]

    assert client_ip(request) == ""
