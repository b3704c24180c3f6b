"""The shop's admin site: Django's, opening on the dashboard.

Django's documented way to change the admin's first page is a site of one's own, made the
default by an AdminConfig that settings.INSTALLED_APPS names in place of
"django.contrib.admin". Every `@admin.register` and `admin.site` then reaches this site; its
pages, sign-in and permissions are Django's.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class ShopAdminSite(admin.AdminSite):
    """Django's admin, whose first page is the dashboard, with the list of everything the
    admin manages below it."""

    index_template = "dashboard/index.html"

    def index(self, request, extra_context=None):
        """The dashboard (staff only, as every page of the admin)."""
        # Imported here: INSTALLED_APPS loads this module before any model, and the views
        # read models.
        from . import views

        return super().index(request, {**views.dashboard_context(request), **(extra_context or {})})


class ShopAdminConfig(AdminConfig):
    """django.contrib.admin, with ShopAdminSite as `admin.site`."""

    default_site = "dashboard.site.ShopAdminSite"
