"""A URL configuration whose views fail, for the tests of what a server error leaves behind
(the error page, the log, the mail to ADMINS, Sentry). `pytest.mark.urls` points a test at it."""

from django.urls import path


def broken(request):
    raise RuntimeError("the stock service is down")


def also_broken(request):
    raise ValueError("another failure, somewhere else")


urlpatterns = [
    path("broken/", broken),
    path("also-broken/", also_broken),
]

handler500 = "storefront.views.server_error"
