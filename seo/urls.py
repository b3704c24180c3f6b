from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import views
from .sitemaps import collected

# /sitemap.xml: the shop's pages, each app's own sections (products, categories, posts), and
# the flat pages.
urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemap_views.sitemap,
        {"sitemaps": collected()},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]
