import functools

from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from .csrf import masked_token
from .money import format_percent
from .pagecache import is_cache_pass, slot


class SharedUser:
    """The `user` templates see while a page renders for the shared cache.

    It says whether someone is signed in, and nothing else: anything more ({{ user.email }})
    renders empty, so it cannot end up in a copy another shopper is served. The username
    renders as a slot that storefront.pagecache fills in with each shopper's own.
    """

    def __init__(self, request):
        self._request = request
        self.is_authenticated = request.user.is_authenticated
        self.is_anonymous = not self.is_authenticated

    def get_username(self):
        # A slot, filled in per request (storefront.pagecache).
        return mark_safe(slot(self._request, "value:username")) if self.is_authenticated else ""

    def __getattr__(self, name):
        return ""

    def __str__(self):
        return ""


def csrf(request) -> dict:
    """The CSRF token forms show, masked with one draw of random bytes (storefront.csrf).

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


def shop(request) -> dict:
    """What every page says about the shop: its name, address and terms (footer, meta tags).

    Settings only: the same for every visitor, so safe in pages shared through the cache.
    """
    return {
        "shop": {
            "name": settings.SHOP_NAME,
            "description": settings.SHOP_DESCRIPTION,
            "url": settings.SITE_URL,
            "shipping_rate": settings.SHIPPING_FLAT_RATE,
            "free_shipping_from": settings.FREE_SHIPPING_THRESHOLD,
            "tax_name": settings.TAX_NAME,
            "tax_percent": format_percent(settings.TAX_RATE),
        }
    }
