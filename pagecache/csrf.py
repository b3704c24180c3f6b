"""The CSRF token pages carry: Django's, masked more cheaply.

Every page carries the visitor's CSRF token masked afresh (Django's BREACH defence: a
compressed page never repeats the token's bytes). Django draws the 32 characters of the
mask one by one with `secrets.choice`, each a system call for one random byte: about a tenth
of the work of a cached signed-in page, profiled, and one masking in every add to cart's
answer. `masked_token` gives the same token, masked and accepted the same way, from one call
for all the random bytes. Pages filled in from the cache (pagecache.pages) and pages
rendered per request (the `csrf` context processor) both use it."""

import secrets

from django.middleware.csrf import CSRF_ALLOWED_CHARS, get_token

_BASE = len(CSRF_ALLOWED_CHARS)
_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}
# Random bytes from this value up are dropped: the largest multiple of the alphabet's size
# a byte can hold, so that every character of the mask is equally likely.
_UNBIASED_BELOW = 256 - 256 % _BASE


def masked_token(request) -> str:
    """What `django.middleware.csrf.get_token(request)` answers, with a cheaper mask."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        # A first visit: Django makes the secret and sets its cookie.
        return get_token(request)
    # As get_token does: the cookie is sent again, renewing its expiry.
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = _random_indexes(len(secret))  # CsrfViewMiddleware read it: 32 valid characters
    # Django's _mask_cipher_secret: each character of the secret shifted by the mask's.
    return "".join(
        [CSRF_ALLOWED_CHARS[i] for i in mask]
        + [
            CSRF_ALLOWED_CHARS[(_INDEX[char] + i) % _BASE]
            for char, i in zip(secret, mask, strict=True)
        ]
    )


def _random_indexes(count: int) -> list[int]:
    """`count` positions in the alphabet, each uniformly random, as secrets.choice draws them."""
    indexes = []
    while len(indexes) < count:
        # A few bytes more than needed: about 3 in 100 are dropped.
        indexes += [
            byte % _BASE for byte in secrets.token_bytes(count + 8) if byte < _UNBIASED_BELOW
        ]
    return indexes[:count]
