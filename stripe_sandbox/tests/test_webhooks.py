"""Webhook deliveries: signed as Stripe signs them, sent from their own thread, retried with
back-off until the shop answers 2xx, given up after the last try."""

import json
import time

import pytest
import stripe

from stripe_sandbox.testing import SandboxProcess
from stripe_sandbox.webhooks import sign


def test_the_signature_is_stripes_hmac_of_the_time_and_the_raw_body():
    payload = b'{"id": "evt_1"}'

    header = sign(payload, "whsec_test", 1_700_000_000)

    assert header == (
        "t=1700000000,v1=a0c091828640f0b68061abc7c03981ad1100ff7160c5dba6b656239494a2b537"
    )
    assert stripe.WebhookSignature.verify_header(payload, header, "whsec_test", tolerance=None)


def test_a_delivery_verifies_only_with_its_endpoints_secret(
    open_session, stripe_sandbox, webhook_receiver, secret
):
    stripe_sandbox.pay(open_session().url)
    delivered = webhook_receiver.wait_for(1)[0]

    event = stripe.Webhook.construct_event(
        delivered.body, delivered.headers["Stripe-Signature"], secret
    )
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(
            delivered.body, delivered.headers["Stripe-Signature"], "whsec_someone_else"
        )
    assert event.id == json.loads(delivered.body)["id"]
    assert delivered.headers["Content-Type"] == "application/json; charset=utf-8"


def test_an_endpoint_made_through_the_api_gets_its_secret_in_the_answer(
    open_session, stripe_sandbox, sdk, webhook_receiver
):
    endpoint = sdk.v1.webhook_endpoints.create(
        params={"url": webhook_receiver.url, "enabled_events": ["checkout.session.completed"]}
    )

    stripe_sandbox.pay(open_session().url)

    assert endpoint.secret.startswith("whsec_")
    webhook_receiver.wait_for(1)
    time.sleep(0.2)  # had it wanted the other event, it would be here by now
    assert [event.type for event in webhook_receiver.events(endpoint.secret)] == [
        "checkout.session.completed"
    ]
    assert "secret" not in sdk.v1.webhook_endpoints.retrieve(endpoint.id)
    sdk.v1.webhook_endpoints.delete(endpoint.id)
    assert stripe_sandbox.state()["webhook_endpoints"] == []


def test_a_failed_delivery_is_tried_again_until_the_shop_takes_it(
    open_session, stripe_sandbox, webhook_receiver, secret
):
    webhook_receiver.answers = [500, 503]
    stripe_sandbox.expire_session(open_session().id)

    webhook_receiver.wait_for(3)

    [delivery] = stripe_sandbox.wait_for_deliveries(1, state="delivered")
    assert [attempt["status"] for attempt in delivery["attempts"]] == [500, 503, 200]
    assert len({request.body for request in webhook_receiver.received}) == 1
    assert [event.type for event in webhook_receiver.events(secret)] == [
        "checkout.session.expired"
    ] * 3


def test_an_endpoint_that_never_answers_in_time_is_given_up_after_the_last_try(
    order_42, webhook_receiver, tmp_path
):
    process = SandboxProcess(
        "--retry-delays", "0.05,0.05", "--delivery-timeout", "0.2", log_path=tmp_path / "log"
    )
    sandbox = process.start()
    try:
        sandbox.add_webhook_endpoint(webhook_receiver.url)
        webhook_receiver.stall = 0.5
        session = sandbox.stripe_client().v1.checkout.sessions.create(params=order_42)
        sandbox.expire_session(session.id)
        [delivery] = sandbox.wait_for_deliveries(1, state="failed")
    finally:
        process.stop()

    assert len(delivery["attempts"]) == 3
    assert all("timed out" in attempt["error"] for attempt in delivery["attempts"])


def test_an_unreachable_endpoint_is_retried(open_session, stripe_sandbox):
    stripe_sandbox.add_webhook_endpoint("http://127.0.0.1:9/stripe/webhook")  # nothing listens
    stripe_sandbox.expire_session(open_session().id)

    [delivery] = stripe_sandbox.wait_for_deliveries(1, state="failed")

    assert len(delivery["attempts"]) == 5  # the first, then one after each of four delays
    assert all(attempt["status"] is None for attempt in delivery["attempts"])


def test_a_redirect_counts_as_a_failed_delivery(open_session, stripe_sandbox, webhook_receiver):
    webhook_receiver.answers = [302]
    stripe_sandbox.add_webhook_endpoint(webhook_receiver.url)
    stripe_sandbox.expire_session(open_session().id)

    [delivery] = stripe_sandbox.wait_for_deliveries(1, state="delivered")

    assert [attempt["status"] for attempt in delivery["attempts"]] == [302, 200]


def test_a_webhook_races_the_shoppers_redirect(
    open_session, stripe_sandbox, webhook_receiver, secret
):
    """The page answers the shopper at once; the shop hears of the payment from another
    thread, so its webhook view may run before or after the shopper's return."""
    webhook_receiver.stall = 1.5
    session = open_session()

    page = stripe_sandbox.pay(session.url)

    assert page.status == 303
    assert stripe_sandbox.deliveries(state="delivered") == []  # the shop has not answered yet
    stripe_sandbox.wait_for_deliveries(2, state="delivered")
