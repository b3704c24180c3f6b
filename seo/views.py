from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


@require_safe
@cache_control(max_age=60 * 60 * 24, public=True)
def robots_txt(request) -> HttpResponse:
    """What crawlers may read: everything but the admin and the pages that are a shopper's own
    (cart, checkout, orders, account), and where the sitemap is."""
    private = [
        reverse("admin:index"),
        reverse("checkout:cart"),
        reverse("checkout:checkout"),
        reverse("checkout:order_list"),
        reverse("account"),
    ]
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in private),
        "",
        f"Sitemap: {settings.SITE_URL}{reverse('django.contrib.sitemaps.views.sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
