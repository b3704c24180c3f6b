"""The base of the shop's sitemaps (django.contrib.sitemaps): addresses from SITE_URL.

Django builds a sitemap's addresses from the sites framework's Site row ("example.com" unless
someone edits it) or the request's Host. The shop already has one setting for its public
address, the one its e-mails link to, so the sitemap uses that too.
"""

from urllib.parse import urlsplit

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
