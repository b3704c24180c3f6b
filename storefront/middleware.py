from django.contrib.messages import get_messages
from django.template.loader import render_to_string


class HtmxMessagesMiddleware:
    """Deliver Django messages with HTMX responses too.

    A full page shows pending messages in base.html's #messages area. An HTMX response
    replaces only a fragment, so this appends the pending messages as an out-of-band swap
    into that same area: views just call messages.success(...) and never care which kind of
    request they answer. Redirects are left alone; the page they lead to shows the messages.
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
