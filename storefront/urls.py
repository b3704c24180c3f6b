from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("blog/", include("blog.urls")),
    path("", include("catalog.urls")),
    path("", include("checkout.urls")),
]

if settings.SERVE_MEDIA:
    # Uploaded pictures, from MEDIA_ROOT (settings.SERVE_MEDIA says when not to).
    urlpatterns.append(
        re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", views.media, name="media")
    )

# A database outage answers 503 "try again soon", any other crash a friendly 500.
handler500 = "storefront.views.server_error"
