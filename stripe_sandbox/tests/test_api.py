"""The API's front door as the SDK meets it: keys, parameters, unknown routes, `expand[]`, and
errors in Stripe's shape, so that the SDK raises its real exception classes."""

import json
import urllib.error
import urllib.request

import pytest
import stripe

from stripe_sandbox import state
from stripe_sandbox.testing import SandboxProcess


def raw(url: str, *, method: str = "GET", body: str | None = None, key: str | None = None):
    """One request as plain HTTP: (status, headers, decoded JSON body)."""
    request = urllib.request.Request(url, data=body.encode() if body else None, method=method)
    if key:
        request.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, answer.headers, json.load(answer)
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers, json.load(answer)


def test_the_sandbox_speaks_the_sdks_api_version():
    assert stripe.api_version == state.API_VERSION


def test_a_request_without_a_key_is_refused_in_stripes_shape(stripe_sandbox):
    status, _, body = raw(f"{stripe_sandbox.url}/v1/events")

    assert status == 401
    assert body["error"]["type"] == "invalid_request_error"
    assert "You did not provide an API key" in body["error"]["message"]


@pytest.mark.parametrize("key", ["sk_test_someone_else", "sk_live_1234567890", "pk_test_123"])
def test_another_key_than_the_configured_test_key_is_refused(stripe_sandbox, key):
    intruder = stripe.StripeClient(key, base_addresses={"api": stripe_sandbox.url})

    with pytest.raises(stripe.AuthenticationError) as refusal:
        intruder.v1.events.list()

    assert refusal.value.http_status == 401
    assert "Invalid API Key provided" in refusal.value.user_message
    assert key not in refusal.value.user_message  # shown masked, as Stripe does


def test_any_test_key_is_taken_when_none_is_configured(tmp_path):
    process = SandboxProcess(log_path=tmp_path / "log", api_key=None)
    sandbox = process.start()
    try:
        taken, _, _ = raw(f"{sandbox.url}/v1/events", key="sk_test_anything")
        live, _, _ = raw(f"{sandbox.url}/v1/events", key="sk_live_anything")
    finally:
        process.stop()

    assert (taken, live) == (200, 401)


@pytest.mark.parametrize(
    ("changes", "param", "code"),
    [
        ({"line_items": None}, "line_items", "parameter_missing"),
        ({"success_url": "not a url"}, "success_url", "url_invalid"),
        ({"mode": "subscription"}, "mode", None),
        ({"expires_at": 1}, "expires_at", None),
        (
            {"client_reference_id": "x" * 201},
            "client_reference_id",
            "parameter_invalid_string_too_long",
        ),
        (
            {"payment_intent_data": {"capture_method": "later"}},
            "payment_intent_data[capture_method]",
            None,
        ),
        ({"metadata": {"k" * 41: "v"}}, "metadata", None),
        ({"colour": "blue"}, "colour", "parameter_unknown"),
    ],
)
def test_bad_parameters_are_refused_naming_the_parameter(
    open_session, stripe_sandbox, changes, param, code
):
    with pytest.raises(stripe.InvalidRequestError) as refusal:
        open_session(**changes)

    assert refusal.value.http_status == 400
    assert (refusal.value.param, refusal.value.code) == (param, code)
    assert stripe_sandbox.state()["checkout_sessions"] == []


@pytest.mark.parametrize(
    ("line_item", "param"),
    [
        ({"quantity": 0}, "line_items[0][quantity]"),
        ({"quantity": "two"}, "line_items[0][quantity]"),
        (
            {"price_data": {"currency": "EUR", "unit_amount": 100, "product_data": {"name": "A"}}},
            "line_items[0][price_data][currency]",
        ),
        (
            {"price_data": {"currency": "eur", "unit_amount": -1, "product_data": {"name": "A"}}},
            "line_items[0][price_data][unit_amount]",
        ),
        (
            {"price_data": {"currency": "eur", "unit_amount": 100, "product_data": {}}},
            "line_items[0][price_data][product_data]",
        ),
        ({"price": "price_123"}, "line_items[0][price]"),
    ],
)
def test_a_bad_line_item_is_refused_naming_its_field(open_session, line_item, param):
    item = {
        "price_data": {"currency": "eur", "unit_amount": 100, "product_data": {"name": "A"}},
        "quantity": 1,
        **line_item,
    }

    with pytest.raises(stripe.InvalidRequestError) as refusal:
        open_session(line_items=[item])

    assert refusal.value.param == param


def test_line_items_in_two_currencies_are_refused(open_session):
    items = [
        {
            "price_data": {"currency": c, "unit_amount": 100, "product_data": {"name": c}},
            "quantity": 1,
        }
        for c in ("eur", "usd")
    ]

    with pytest.raises(stripe.InvalidRequestError, match="one currency"):
        open_session(line_items=items)


def test_an_unknown_route_is_not_found(sdk):
    with pytest.raises(stripe.InvalidRequestError) as refusal:
        sdk.v1.customers.list()

    assert refusal.value.http_status == 404
    assert "Unrecognized request URL (GET: /v1/customers)" in refusal.value.user_message


def test_an_unknown_session_is_not_found(sdk):
    with pytest.raises(stripe.InvalidRequestError) as refusal:
        sdk.v1.checkout.sessions.retrieve("cs_test_nothing")

    assert (refusal.value.http_status, refusal.value.code) == (404, "resource_missing")


def test_expand_puts_the_object_in_place_of_its_id(open_session, stripe_sandbox, sdk):
    session = open_session()
    stripe_sandbox.pay(session.url)

    found = sdk.v1.checkout.sessions.retrieve(
        session.id, params={"expand": ["payment_intent.latest_charge"]}
    )

    assert found.payment_intent.object == "payment_intent"
    assert found.payment_intent.latest_charge.object == "charge"
    assert found.payment_intent.latest_charge.amount == 2999


def test_expand_of_a_field_that_cannot_be_expanded_is_refused(open_session, stripe_sandbox):
    session = open_session()

    with pytest.raises(stripe.InvalidRequestError, match=r"cannot be expanded \(metadata\)"):
        stripe_sandbox.stripe_client().v1.checkout.sessions.expire(
            session.id, params={"expand": ["metadata"]}
        )

    assert stripe_sandbox.stripe_client().v1.checkout.sessions.retrieve(session.id).status == "open"


def test_an_outage_answers_503_which_the_sdk_raises_as_an_api_error(stripe_sandbox):
    stripe_sandbox.start_outage()
    sdk = stripe_sandbox.stripe_client(max_network_retries=0)

    with pytest.raises(stripe.APIError) as refusal:
        sdk.v1.events.list()

    assert refusal.value.http_status == 503


def test_a_browsers_favicon_request_finds_no_icon_rather_than_an_error(stripe_sandbox):
    """A 404 would be a console error in the shop's browser tests, which fail on those."""
    with urllib.request.urlopen(f"{stripe_sandbox.url}/favicon.ico", timeout=5) as answer:
        assert answer.status == 204
