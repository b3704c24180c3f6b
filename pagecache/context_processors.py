"""What templates see of the page cache: the CSRF token, masked cheaply, and while a page
renders for the shared cache, a slot for it and a stand-in user (TEMPLATES' context
processors)."""

import functools

from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from .csrf import masked_token
from .pages import is_cache_pass, slot


class SharedUser:
    """The `user` templates see while a page renders for the shared cache.

    It says whether someone is signed in, and nothing else: anything more ({{ user.email }})
    renders empty, so it cannot end up in a copy another shopper is served. The username
    renders as a slot that pagecache.pages fills in with each shopper's own.
    """

    def __init__(self, request):
        self._request = request
        self.is_authenticated = request.user.is_authenticated
        self.is_anonymous = not self.is_authenticated

    def get_username(self):
        # A slot, filled in per request (pagecache.pages).
        return mark_safe(slot(self._request, "value:username")) if self.is_authenticated else ""

    def __getattr__(self, name):
        return ""

    def __str__(self):
        return ""


def csrf(request) -> dict:
    """The CSRF token forms show, masked with one draw of random bytes (pagecache.csrf).

    Django runs its own csrf processor before every listed one; this one replaces its lazy
    token with a lazy token of the same kind, so a page without a form still masks nothing.
    """
    return {"csrf_token": SimpleLazyObject(functools.partial(masked_token, request))}


def page_cache(request) -> dict:
    """While a page renders for the shared cache: a CSRF slot to fill later, a stand-in user.

    Listed after Django's auth and csrf processors, whose `user` and `csrf_token` it
    overrides on those renders only.
    """
    if not is_cache_pass(request):
        return {}
    return {"csrf_token": mark_safe(slot(request, "csrf")), "user": SharedUser(request)}
