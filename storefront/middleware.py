from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages import get_messages
from django.shortcuts import resolve_url
from django.template.loader import render_to_string
from django_htmx.http import HttpResponseClientRedirect


class HtmxMessagesMiddleware:
    """Deliver Django messages with HTMX responses too.

    A full page shows pending messages in base.html's #messages area. An HTMX response
    replaces only a fragment, so this sends the pending messages as an out-of-band swap into
    that same area, replacing the ones it showed: views just call messages.success(...) and
    never care which kind of request they answer. Redirects are left alone; the page they
    lead to shows the messages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not getattr(request, "htmx", False)
            or response.streaming
            or 300 <= response.status_code < 400
            or "HX-Redirect" in response.headers
            or "HX-Location" in response.headers
            or "HX-Refresh" in response.headers
        ):
            return response
        pending = list(get_messages(request))
        if pending:
            response.write(
                render_to_string(
                    "base.html#messages", {"messages": pending, "oob": True}, request=request
                )
            )
        return response


class HtmxSignInRedirectMiddleware:
    """Send the whole page to the sign-in form when an HTMX request needs a signed-in user.

    `login_required` answers with a redirect, which htmx would follow in the background and
    swap the sign-in page into whatever fragment was asked for. Instead, the browser is told
    to navigate (HX-Redirect), with `next` set to the page the shopper was on, not to the
    fragment's URL, so signing in brings them back to where they were.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            getattr(request, "htmx", False)
            and response.status_code == 302
            and urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL)
        ):
            back_to = request.htmx.current_url_abs_path or "/"
            return HttpResponseClientRedirect(redirect_to_login(back_to)["Location"])
        return response


class MethodNotAllowedPageMiddleware:
    """Explain a 405 to a person instead of showing a blank page.

    Django's method decorators answer a wrong method with an empty 405. A person meets one by
    opening the address a form posts to (typed, bookmarked, or the sign-out URL visited), so a
    page load gets a page saying where to go instead. HTMX requests keep the empty answer: the
    page's script reports the failure where the visitor is looking.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 405
            and not response.content
            and not getattr(request, "htmx", False)
        ):
            response.content = render_to_string("405.html", request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response
