"""After the shopper paid: the shop captures, voids or refunds through the SDK, and is refused
as Stripe refuses it when the money is not there."""

import pytest
import stripe


@pytest.fixture
def authorized(open_session, stripe_sandbox, sdk):
    """A PaymentIntent of 29.99 EUR, authorized and waiting for the shop to capture it."""
    session = open_session()
    stripe_sandbox.pay(session.url)
    return sdk.v1.payment_intents.retrieve(
        sdk.v1.checkout.sessions.retrieve(session.id).payment_intent
    )


@pytest.fixture
def captured(authorized, sdk):
    return sdk.v1.payment_intents.capture(authorized.id)


def event_types(receiver, secret, count):
    receiver.wait_for(count)
    return [event.type for event in receiver.events(secret)]


def test_capturing_takes_the_authorized_money(authorized, sdk, webhook_receiver, secret):
    intent = sdk.v1.payment_intents.capture(authorized.id)

    assert intent.status == "succeeded"
    assert (intent.amount_received, intent.amount_capturable) == (2999, 0)
    charge = sdk.v1.charges.retrieve(intent.latest_charge)
    assert (charge.captured, charge.amount_captured) == (True, 2999)
    assert event_types(webhook_receiver, secret, 1) == ["payment_intent.succeeded"]


def test_capturing_less_releases_the_rest(authorized, sdk):
    intent = sdk.v1.payment_intents.capture(authorized.id, params={"amount_to_capture": 2500})

    assert (intent.status, intent.amount_received) == ("succeeded", 2500)
    assert sdk.v1.charges.retrieve(intent.latest_charge).amount_captured == 2500


def test_capturing_more_than_authorized_is_refused(authorized, sdk):
    with pytest.raises(stripe.InvalidRequestError) as refusal:
        sdk.v1.payment_intents.capture(authorized.id, params={"amount_to_capture": 3000})

    assert (refusal.value.code, refusal.value.param) == ("amount_too_large", "amount_to_capture")
    assert sdk.v1.payment_intents.retrieve(authorized.id).status == "requires_capture"


def test_capturing_twice_is_refused(captured, sdk):
    with pytest.raises(stripe.InvalidRequestError) as refusal:
        sdk.v1.payment_intents.capture(captured.id)

    assert refusal.value.http_status == 400
    assert refusal.value.code == "payment_intent_unexpected_state"
    assert "status of succeeded" in refusal.value.user_message


def test_voiding_an_authorization_cancels_it(authorized, sdk, webhook_receiver, secret):
    intent = sdk.v1.payment_intents.cancel(
        authorized.id, params={"cancellation_reason": "requested_by_customer"}
    )

    assert (intent.status, intent.amount_capturable) == ("canceled", 0)
    assert intent.cancellation_reason == "requested_by_customer"
    assert event_types(webhook_receiver, secret, 1) == ["payment_intent.canceled"]
    with pytest.raises(stripe.InvalidRequestError, match="status of canceled"):
        sdk.v1.payment_intents.capture(authorized.id)


def test_captured_money_cannot_be_voided(captured, sdk):
    with pytest.raises(stripe.InvalidRequestError) as refusal:
        sdk.v1.payment_intents.cancel(captured.id)

    assert refusal.value.code == "payment_intent_unexpected_state"


def test_the_payment_of_an_open_session_is_expired_with_it_not_voided(
    open_session, stripe_sandbox, sdk
):
    session = open_session()
    stripe_sandbox.pay(session.url, "4000 0000 0000 0002")
    intent_id = sdk.v1.checkout.sessions.retrieve(session.id).payment_intent

    with pytest.raises(stripe.InvalidRequestError, match="expire the Checkout Session"):
        sdk.v1.payment_intents.cancel(intent_id)


def test_an_authorization_lapses_after_seven_days(authorized, stripe_sandbox, sdk):
    stripe_sandbox.advance_clock(7 * 24 * 60 * 60)

    intent = sdk.v1.payment_intents.retrieve(authorized.id)
    assert (intent.status, intent.cancellation_reason) == ("canceled", "automatic")


def test_refunds_give_back_part_then_the_rest(captured, sdk, webhook_receiver, secret):
    part = sdk.v1.refunds.create(
        params={"payment_intent": captured.id, "amount": 499, "metadata": {"return": "7"}}
    )
    rest = sdk.v1.refunds.create(params={"payment_intent": captured.id})

    assert (part.amount, part.status, part.metadata.to_dict()) == (
        499,
        "succeeded",
        {"return": "7"},
    )
    assert rest.amount == 2999 - 499
    assert sdk.v1.refunds.retrieve(part.id).charge == captured.latest_charge
    charge = sdk.v1.charges.retrieve(captured.latest_charge)
    assert (charge.amount_refunded, charge.refunded) == (2999, True)
    assert event_types(webhook_receiver, secret, 4) == [
        "refund.created",
        "charge.refunded",
        "refund.created",
        "charge.refunded",
    ]


def test_a_refund_beyond_what_was_captured_is_refused(authorized, sdk):
    intent = sdk.v1.payment_intents.capture(authorized.id, params={"amount_to_capture": 2000})
    sdk.v1.refunds.create(params={"payment_intent": intent.id, "amount": 1500})

    with pytest.raises(stripe.InvalidRequestError) as refusal:
        sdk.v1.refunds.create(params={"payment_intent": intent.id, "amount": 501})

    assert (refusal.value.code, refusal.value.param) == ("amount_too_large", "amount")
    assert "greater than unrefunded amount on charge (5.00 EUR)" in refusal.value.user_message
    assert sdk.v1.charges.retrieve(intent.latest_charge).amount_refunded == 1500


def test_a_fully_refunded_payment_refuses_another_refund(captured, sdk):
    sdk.v1.refunds.create(params={"payment_intent": captured.id})

    with pytest.raises(stripe.InvalidRequestError) as refusal:
        sdk.v1.refunds.create(params={"payment_intent": captured.id, "amount": 1})

    assert refusal.value.code == "charge_already_refunded"


def test_an_uncaptured_payment_is_voided_not_refunded(authorized, sdk):
    with pytest.raises(stripe.InvalidRequestError) as refusal:
        sdk.v1.refunds.create(params={"payment_intent": authorized.id})

    assert refusal.value.code == "payment_intent_unexpected_state"
    assert sdk.v1.payment_intents.retrieve(authorized.id).status == "requires_capture"


def test_an_unknown_payment_intent_is_not_found(sdk):
    with pytest.raises(stripe.InvalidRequestError) as refusal:
        sdk.v1.refunds.create(params={"payment_intent": "pi_nothing"})

    assert refusal.value.http_status == 404
    assert (refusal.value.code, refusal.value.param) == ("resource_missing", "payment_intent")
