from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("alerts/", include("alerts.urls")),
    path("blog/", include("blog.urls")),
    path("", include("catalog.urls")),
    path("", include("checkout.urls")),
]

# A database outage answers 503 "try again soon", any other crash a friendly 500.
handler500 = "storefront.views.server_error"
