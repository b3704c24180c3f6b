"""The base of the shop's sitemaps (django.contrib.sitemaps): addresses from SITE_URL.

Django builds a sitemap's addresses from the sites framework's Site row ("example.com" unless
someone edits it) or the request's Host. The shop already has one setting for its public
address, the one its e-mails link to, so the sitemap uses that too.
"""

from importlib import import_module
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class ShopSitemap(Sitemap):
    """A sitemap whose addresses start with settings.SITE_URL."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class PagesSitemap(ShopSitemap):
    """The shop's own pages: the home page and the blog's index."""

    changefreq = "daily"

    def items(self):
        return ["catalog:product_list", "blog:post_list"]

    def location(self, item):
        return reverse(item)


class FlatPagesSitemap(ShopSitemap):
    """About, Shipping & returns, Privacy, Contact: the public flat pages of this site."""

    changefreq = "monthly"

    def items(self):
        return FlatPage.objects.filter(
            sites=settings.SITE_ID, registration_required=False
        ).order_by("url")


def collected() -> dict[str, Sitemap]:
    """Every section of /sitemap.xml: the shop's own pages, then each app's `SITEMAPS` (from
    its `sitemaps.py`, if it has one), gathered like seed_demo gathers each app's demo data,
    so the project package names no app."""
    sections = {"pages": PagesSitemap}
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.sitemaps")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.sitemaps":
                raise  # a sitemaps module that exists but is broken must not hide
            continue
        sections.update(getattr(module, "SITEMAPS", {}))
    sections["info"] = FlatPagesSitemap
    return sections
