from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from . import views

# The admin carries the shop's name, not Django's.
admin.site.site_header = f"{settings.SHOP_NAME} administration"
admin.site.site_title = f"{settings.SHOP_NAME} admin"
admin.site.index_title = "Shop management"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    # /robots.txt and /sitemap.xml.
    path("", include("seo.urls")),
    path("accounts/", include("accounts.urls")),
    # The dashboard's actions and reports, beside the admin whose first page it is.
    path("admin/dashboard/", include("dashboard.urls")),
    path("admin/", admin.site.urls),
    path("alerts/", include("alerts.urls")),
    path("blog/", include("blog.urls")),
    path("payments/", include("payments.urls")),
    # About, Shipping & returns, Privacy, Contact: flat pages staff edit in the admin.
    path("pages/", include("django.contrib.flatpages.urls")),
    path("", include("catalog.urls")),
    path("", include("checkout.urls")),
]

if settings.SERVE_MEDIA:
    # Uploaded pictures, from MEDIA_ROOT (settings.SERVE_MEDIA says when not to).
    urlpatterns.append(
        re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", views.media, name="media")
    )

if settings.DEBUG_TOOLBAR:
    # The debug toolbar's panels (development only: storefront/settings.py).
    from debug_toolbar.toolbar import debug_toolbar_urls

    urlpatterns += debug_toolbar_urls()

# A database outage answers 503 "try again soon", any other crash a friendly 500.
handler500 = "storefront.views.server_error"
