"""Idempotency-Key as Stripe honours it: the same key and parameters replay the first answer
without doing anything again; the same key with other parameters is refused."""

import urllib.error
import urllib.parse
import urllib.request

import pytest
import stripe


@pytest.fixture
def captured(open_session, stripe_sandbox, sdk):
    session = open_session()
    stripe_sandbox.pay(session.url)
    return sdk.v1.payment_intents.capture(
        sdk.v1.checkout.sessions.retrieve(session.id).payment_intent
    )


def post(stripe_sandbox, path: str, params: dict, key: str):
    """A POST as plain HTTP with an Idempotency-Key: (status, headers, body)."""
    request = urllib.request.Request(
        f"{stripe_sandbox.url}{path}", data=urllib.parse.urlencode(params).encode()
    )
    request.add_header("Authorization", f"Bearer {stripe_sandbox.api_key}")
    request.add_header("Idempotency-Key", key)
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers, answer.read()


def test_the_same_key_and_parameters_replay_the_first_answer_and_refund_once(
    captured, stripe_sandbox
):
    refund = {"payment_intent": captured.id, "amount": "500"}

    first = post(stripe_sandbox, "/v1/refunds", refund, key="refund-order-42-1")
    again = post(stripe_sandbox, "/v1/refunds", refund, key="refund-order-42-1")

    assert (first[0], again[0]) == (200, 200)
    assert again[2] == first[2]
    assert again[1]["Idempotent-Replayed"] == "true"
    assert again[1]["Original-Request"] == first[1]["Request-Id"]
    assert "Idempotent-Replayed" not in first[1]
    assert len(stripe_sandbox.state()["refunds"]) == 1


def test_the_same_key_with_other_parameters_is_refused(captured, sdk, stripe_sandbox):
    sdk.v1.refunds.create(
        params={"payment_intent": captured.id, "amount": 500},
        options={"idempotency_key": "refund-order-42-1"},
    )

    with pytest.raises(stripe.IdempotencyError) as refusal:
        sdk.v1.refunds.create(
            params={"payment_intent": captured.id, "amount": 700},
            options={"idempotency_key": "refund-order-42-1"},
        )

    assert refusal.value.http_status == 400
    assert refusal.value.json_body["error"]["type"] == "idempotency_error"
    assert [refund["amount"] for refund in stripe_sandbox.state()["refunds"]] == [500]


def test_the_key_also_names_the_endpoint(captured, sdk):
    sdk.v1.refunds.create(params={"payment_intent": captured.id}, options={"idempotency_key": "k"})

    with pytest.raises(stripe.IdempotencyError):
        sdk.v1.payment_intents.cancel(captured.id, options={"idempotency_key": "k"})


def test_a_refusal_is_replayed_too(captured, sdk, stripe_sandbox):
    """Stripe keeps whatever answer a request got once it began, errors included."""
    once = {"idempotency_key": "capture-42"}
    with pytest.raises(stripe.InvalidRequestError):
        sdk.v1.payment_intents.capture(captured.id, options=once)

    status, headers, _ = post(
        stripe_sandbox, f"/v1/payment_intents/{captured.id}/capture", {}, key="capture-42"
    )

    assert (status, headers["Idempotent-Replayed"]) == (400, "true")


def test_bad_parameters_keep_nothing_under_the_key(captured, sdk):
    """A request refused before it began saves no answer: corrected, the key still works."""
    with pytest.raises(stripe.InvalidRequestError):
        sdk.v1.refunds.create(
            params={"payment_intent": captured.id, "amount": -5},
            options={"idempotency_key": "refund-order-42-2"},
        )

    refund = sdk.v1.refunds.create(
        params={"payment_intent": captured.id, "amount": 5},
        options={"idempotency_key": "refund-order-42-2"},
    )

    assert refund.amount == 5


def test_a_replayed_session_is_the_same_session(sdk, stripe_sandbox, open_session):
    first = open_session(options={"idempotency_key": "checkout-order-42"})
    again = open_session(options={"idempotency_key": "checkout-order-42"})

    assert first.id == again.id
    assert len(stripe_sandbox.state()["checkout_sessions"]) == 1
