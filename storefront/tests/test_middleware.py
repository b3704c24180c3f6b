import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse, HttpResponseRedirect
from django_htmx.middleware import HtmxDetails

from storefront.middleware import HtmxMessagesMiddleware


def _request(rf, *, htmx: bool):
    request = rf.get("/", **({"HTTP_HX_REQUEST": "true"} if htmx else {}))
    request._messages = CookieStorage(request)
    request.htmx = HtmxDetails(request)
    return request


def _view_that_says(text, response=None):
    def view(request):
        messages.success(request, text)
        return response or HttpResponse("<p>fragment</p>")

    return view


def test_an_htmx_fragment_carries_pending_messages_out_of_band(rf):
    request = _request(rf, htmx=True)

    response = HtmxMessagesMiddleware(_view_that_says("Added to cart"))(request)

    html = response.content.decode()
    assert html.startswith("<p>fragment</p>")
    assert 'hx-swap-oob="innerHTML:#messages"' in html
    assert "Added to cart" in html
    # Marked as shown, so MessageMiddleware does not keep them for the next page too.
    assert request._messages.used


@pytest.mark.parametrize(
    ("htmx", "response"),
    [
        (False, None),  # a full page shows messages in its own #messages area
        (True, HttpResponseRedirect("/")),  # the page a redirect leads to shows them
    ],
)
def test_other_responses_are_left_alone(rf, htmx, response):
    request = _request(rf, htmx=htmx)

    result = HtmxMessagesMiddleware(_view_that_says("Saved", response))(request)

    assert b"hx-swap-oob" not in result.content
    assert not request._messages.used
    assert [str(m) for m in messages.get_messages(request)] == ["Saved"]


@pytest.mark.django_db
def test_an_htmx_request_that_needs_sign_in_navigates_the_page_and_comes_back(client):
    response = client.post(
        "/orders/1/cancel/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/orders/1/?from=email",
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=/orders/1/%3Ffrom%3Demail"


@pytest.mark.django_db
def test_a_plain_request_that_needs_sign_in_is_redirected_as_usual(client):
    response = client.get("/orders/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/orders/"
