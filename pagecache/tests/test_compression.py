"""Pages leave compressed, and compression does not make the CSRF token guessable (BREACH).

BREACH recovers a secret that sits, unchanged, in many compressed responses an attacker can
make the victim fetch while injecting guesses. Django masks the CSRF token with a fresh random
mask for every response (so no two pages carry the same token bytes, though each one works),
and GZipMiddleware adds random bytes to every stream; these tests hold both.
"""

import gzip
import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.urls import reverse

from catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_html_pages_are_sent_gzipped_to_browsers_that_accept_it(client):
    ProductFactory.create_batch(5)

    response = client.get(reverse("catalog:product_list"), **GZIP)

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert html.startswith("<!doctype html>")
    assert len(response.content) < len(html.encode()) / 3


def test_clients_that_do_not_accept_gzip_get_plain_html(client):
    response = client.get(reverse("catalog:product_list"))

    assert not response.has_header("Content-Encoding")
    assert response.content.startswith(b"<!doctype html>")


def test_each_compressed_page_carries_a_differently_masked_token_for_the_same_secret(client):
    ProductFactory.create_batch(2)
    url = reverse("catalog:product_list")  # a cached page: the token is filled in per request

    pages = [gzip.decompress(client.get(url, **GZIP).content).decode() for _ in range(2)]

    tokens = [TOKEN.search(page)[1] for page in pages]
    assert tokens[0] != tokens[1]
    secret = client.cookies["csrftoken"].value
    assert {_unmask_cipher_token(token) for token in tokens} == {secret}


def test_the_compressed_length_of_a_page_varies_from_response_to_response(client):
    """Django's gzip adds a random number of random bytes to each response ('Heal the
    BREACH'), so an attacker cannot read guesses off the compressed length."""
    ProductFactory.create_batch(3)
    page = reverse("catalog:product_list")

    compressed = [client.get(page, **GZIP).content for _ in range(5)]

    assert len(set(compressed)) == 5
    assert len({len(body) for body in compressed}) > 1
