"""The token a cached page is filled in with is Django's token, masked with fewer system calls."""

import re
import secrets

import pytest
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CsrfViewMiddleware,
    _get_new_csrf_string,
    _unmask_cipher_token,
)
from django.test import Client
from django.urls import reverse

from catalog.tests.factories import ProductFactory
from pagecache import csrf
from pagecache.csrf import masked_token

FORM_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def request_with_secret(rf, secret: str | None):
    request = rf.post("/")
    if secret is not None:
        request.COOKIES["csrftoken"] = secret
    CsrfViewMiddleware(lambda request: None).process_request(request)
    return request


def test_the_token_unmasks_to_the_visitors_secret_and_is_masked_afresh_each_time(rf):
    secret = _get_new_csrf_string()
    request = request_with_secret(rf, secret)

    tokens = [masked_token(request) for _ in range(20)]

    assert len(set(tokens)) == 20
    for token in tokens:
        assert len(token) == 64 and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == secret
    # As with get_token, the response sends the cookie again, renewing its expiry.
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_a_first_visit_gets_a_new_secret_whose_cookie_the_response_sets(rf):
    request = request_with_secret(rf, None)

    token = masked_token(request)

    assert _unmask_cipher_token(token) == request.META["CSRF_COOKIE"]
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


@pytest.mark.django_db
def test_a_post_with_the_token_of_a_cached_page_is_accepted_and_one_without_is_refused():
    mug = ProductFactory(quantity=5)
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("catalog:product_list"))  # the cookie
    page = client.get(reverse("catalog:product_detail", args=[mug.slug])).content.decode()
    token = FORM_TOKEN.search(page)[1]

    refused = client.post(reverse("checkout:cart_add", args=[mug.pk]), {"quantity": 1})
    accepted = client.post(
        reverse("checkout:cart_add", args=[mug.pk]),
        {"quantity": 1, "csrfmiddlewaretoken": token},
    )

    assert refused.status_code == 403
    assert accepted.status_code == 302


def test_the_mask_is_drawn_with_one_call_for_random_bytes(rf, monkeypatch):
    calls = []
    real = secrets.token_bytes
    monkeypatch.setattr(secrets, "token_bytes", lambda n: calls.append(n) or real(n))

    masked_token(request_with_secret(rf, _get_new_csrf_string()))

    # 40 bytes leave fewer than 32 usable about once in 10^8 draws: then it draws again.
    assert calls == [40]


def test_bytes_that_would_favour_some_characters_are_dropped(monkeypatch):
    """62 characters do not divide 256 byte values: bytes 248 to 255 would make the first eight
    characters likelier than the rest, so they are dropped and more bytes are drawn."""
    draws = iter([bytes([255, 248, 0, 61, 62, 247, 249]), bytes([123, 5])])
    monkeypatch.setattr(secrets, "token_bytes", lambda n: next(draws))

    assert csrf._random_indexes(6) == [0, 61, 0, 61, 123 % 62, 5]


@pytest.mark.django_db
def test_pages_rendered_per_request_mask_their_token_the_same_cheap_way(client, monkeypatch):
    def django_mask(secret):
        raise AssertionError("masked with 32 system calls")

    client.get(reverse("catalog:product_list"))  # the cookie: a first visit goes through Django
    monkeypatch.setattr("django.middleware.csrf._mask_cipher_secret", django_mask)

    page = client.get(reverse("login")).content.decode()  # rendered per request, with a form

    token = FORM_TOKEN.search(page)[1]
    assert _unmask_cipher_token(token) == client.cookies["csrftoken"].value
