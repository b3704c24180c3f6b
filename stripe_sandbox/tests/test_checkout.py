"""The shopper on the hosted payment page, driven with plain form posts, and what the shop then
finds through the SDK and in the webhooks, verified with the SDK's construct_event."""

import stripe

AUTOMATIC = {"capture_method": "automatic", "metadata": {"order": "42"}}


def test_a_new_session_answers_in_stripes_shape(open_session):
    session = open_session()

    assert session.object == "checkout.session"
    assert session.id.startswith("cs_test_")
    assert session.url.endswith(f"/c/pay/{session.id}")
    assert (session.status, session.payment_status) == ("open", "unpaid")
    assert (session.amount_total, session.currency) == (2999, "eur")
    assert session.payment_intent is None  # made when the shopper first presses Pay
    assert session.metadata.to_dict() == {"order": "42"}
    assert session.client_reference_id == "42"
    assert session.livemode is False


def test_the_page_shows_test_mode_the_items_and_the_total(open_session, stripe_sandbox):
    page = stripe_sandbox.open_page(open_session().url)

    assert page.status == 200
    assert "Test mode — no money moves" in page.html
    assert "Cast Iron Skillet" in page.html and "Linen Tea Towel" in page.html
    assert "Pay 29.99 EUR" in page.html
    assert 'href="http://127.0.0.1:9/orders/42/">Back to the shop' in page.html


def test_an_approved_card_authorizes_and_sends_the_shopper_back(open_session, stripe_sandbox, sdk):
    session = open_session()

    page = stripe_sandbox.pay(session.url, "4242 4242 4242 4242")

    assert page.status == 303
    assert page.location == f"http://127.0.0.1:9/orders/42/paid?session={session.id}"
    session = sdk.v1.checkout.sessions.retrieve(session.id, params={"expand": ["payment_intent"]})
    assert (session.status, session.payment_status) == ("complete", "unpaid")
    assert session.url is None
    intent = session.payment_intent
    assert intent.status == "requires_capture"
    assert (intent.amount, intent.amount_capturable, intent.amount_received) == (2999, 2999, 0)
    assert intent.metadata.to_dict() == {"order": "42"}


def test_automatic_capture_takes_the_money_at_once(open_session, stripe_sandbox, sdk):
    session = open_session(payment_intent_data=AUTOMATIC)

    stripe_sandbox.pay(session.url)

    session = sdk.v1.checkout.sessions.retrieve(session.id)
    intent = sdk.v1.payment_intents.retrieve(session.payment_intent)
    assert (session.status, session.payment_status) == ("complete", "paid")
    assert (intent.status, intent.amount_received) == ("succeeded", 2999)


def test_the_events_of_a_payment_arrive_signed_in_the_order_they_happened(
    open_session, stripe_sandbox, webhook_receiver, secret
):
    session = open_session()

    stripe_sandbox.pay(session.url)

    webhook_receiver.wait_for(2)
    events = webhook_receiver.events(secret)
    assert [event.type for event in events] == [
        "payment_intent.amount_capturable_updated",
        "checkout.session.completed",
    ]
    intent, completed = (event.data.object for event in events)
    assert (intent.status, intent.amount_capturable) == ("requires_capture", 2999)
    assert completed.id == session.id and completed.payment_intent == intent.id
    assert all(event.id.startswith("evt_") and event.livemode is False for event in events)
    assert all(event.api_version == stripe.api_version for event in events)


def test_a_declined_card_is_told_and_another_card_may_pay(
    open_session, stripe_sandbox, sdk, webhook_receiver, secret
):
    session = open_session()

    declined = stripe_sandbox.pay(session.url, "4000 0000 0000 0002")

    assert declined.status == 422
    assert declined.error == "Your card was declined."
    failed = sdk.v1.payment_intents.retrieve(
        sdk.v1.checkout.sessions.retrieve(session.id).payment_intent
    )
    assert failed.status == "requires_payment_method"
    assert failed.last_payment_error.decline_code == "generic_decline"
    assert sdk.v1.checkout.sessions.retrieve(session.id).status == "open"

    approved = stripe_sandbox.pay(session.url, "4242424242424242")

    assert approved.status == 303
    intent = sdk.v1.payment_intents.retrieve(failed.id)  # the same PaymentIntent, now paid
    assert (intent.status, intent.last_payment_error) == ("requires_capture", None)
    webhook_receiver.wait_for(3)
    assert [event.type for event in webhook_receiver.events(secret)] == [
        "payment_intent.payment_failed",
        "payment_intent.amount_capturable_updated",
        "checkout.session.completed",
    ]


def test_insufficient_funds_is_declined_with_its_reason(open_session, stripe_sandbox, sdk):
    session = open_session()

    page = stripe_sandbox.pay(session.url, "4000000000009995")

    assert page.error == "Your card has insufficient funds."
    intent = sdk.v1.payment_intents.retrieve(
        sdk.v1.checkout.sessions.retrieve(session.id).payment_intent
    )
    assert intent.last_payment_error.code == "card_declined"
    assert intent.last_payment_error.decline_code == "insufficient_funds"
    assert sdk.v1.charges.retrieve(intent.latest_charge).status == "failed"


def test_a_real_card_is_declined_in_test_mode(open_session, stripe_sandbox, sdk):
    session = open_session()

    page = stripe_sandbox.pay(session.url, "5555 5555 5555 4444")

    assert page.status == 422
    intent = sdk.v1.payment_intents.retrieve(
        sdk.v1.checkout.sessions.retrieve(session.id).payment_intent
    )
    assert intent.last_payment_error.decline_code == "test_mode_live_card"


def test_a_number_no_card_has_is_refused_and_nothing_recorded(open_session, stripe_sandbox):
    session = open_session()

    page = stripe_sandbox.pay(session.url, "4242 4242 4242 4241")

    assert (page.status, page.error) == (422, "Your card number is invalid.")
    assert stripe_sandbox.state()["payment_intents"] == []
    assert stripe_sandbox.state()["events"] == []


def test_3d_secure_passed_completes_the_payment(open_session, stripe_sandbox, sdk):
    session = open_session()

    challenge = stripe_sandbox.pay(session.url, "4000 0027 6000 3184")

    assert (challenge.status, challenge.location) == (303, f"/c/pay/{session.id}/authenticate")
    waiting = sdk.v1.payment_intents.retrieve(
        sdk.v1.checkout.sessions.retrieve(session.id).payment_intent
    )
    assert waiting.status == "requires_action"
    assert "Complete authentication" in stripe_sandbox.open_page(f"{session.url}/authenticate").html

    page = stripe_sandbox.authenticate(session.url, passed=True)

    assert page.location == f"http://127.0.0.1:9/orders/42/paid?session={session.id}"
    assert sdk.v1.payment_intents.retrieve(waiting.id).status == "requires_capture"


def test_3d_secure_failed_leaves_the_session_open_for_another_card(
    open_session, stripe_sandbox, sdk, webhook_receiver, secret
):
    session = open_session()
    stripe_sandbox.pay(session.url, "4000 0027 6000 3184")

    page = stripe_sandbox.authenticate(session.url, passed=False)

    assert page.status == 422
    assert page.error.startswith("We are unable to authenticate your payment method.")
    intent = sdk.v1.payment_intents.retrieve(
        sdk.v1.checkout.sessions.retrieve(session.id).payment_intent
    )
    assert intent.status == "requires_payment_method"
    assert intent.last_payment_error.code == "payment_intent_authentication_failure"
    webhook_receiver.wait_for(1)
    assert [event.type for event in webhook_receiver.events(secret)] == [
        "payment_intent.payment_failed"
    ]
    assert stripe_sandbox.pay(session.url).status == 303


def test_paying_twice_charges_once_and_sends_the_shopper_back_again(open_session, stripe_sandbox):
    session = open_session()
    first = stripe_sandbox.pay(session.url)

    second = stripe_sandbox.pay(session.url)

    assert second.status == 200 and "This payment is complete" in second.html
    assert f'href="{first.location}"' in second.html
    assert len(stripe_sandbox.state()["charges"]) == 1


def test_a_session_left_alone_expires_at_its_time(
    open_session, stripe_sandbox, sdk, webhook_receiver, secret
):
    session = open_session()
    stripe_sandbox.pay(session.url, "4000 0000 0000 0002")  # a declined try, then nothing

    stripe_sandbox.advance_clock(24 * 60 * 60)

    expired = sdk.v1.checkout.sessions.retrieve(session.id, params={"expand": ["payment_intent"]})
    assert (expired.status, expired.url) == ("expired", None)
    assert expired.payment_intent.status == "canceled"
    webhook_receiver.wait_for(3)
    assert [event.type for event in webhook_receiver.events(secret)] == [
        "payment_intent.payment_failed",
        "payment_intent.canceled",
        "checkout.session.expired",
    ]
    assert "This checkout session has expired" in stripe_sandbox.open_page(session.url).html


def test_a_session_expires_not_a_second_early(open_session, stripe_sandbox, sdk):
    session = open_session()

    stripe_sandbox.advance_clock(session.expires_at - stripe_sandbox.state()["now"] - 5)

    assert sdk.v1.checkout.sessions.retrieve(session.id).status == "open"


def test_the_shop_or_the_sandbox_can_expire_a_session_now(open_session, stripe_sandbox, sdk):
    by_the_shop, by_a_test = open_session(), open_session()

    sdk.v1.checkout.sessions.expire(by_the_shop.id)
    stripe_sandbox.expire_session(by_a_test.id)

    assert sdk.v1.checkout.sessions.retrieve(by_the_shop.id).status == "expired"
    assert sdk.v1.checkout.sessions.retrieve(by_a_test.id).status == "expired"
    assert stripe_sandbox.pay(by_a_test.url).status == 200  # the expired page, nothing paid
    assert stripe_sandbox.state()["charges"] == []


def test_the_challenge_without_a_payment_asking_for_it_leads_back_to_paying(
    open_session, stripe_sandbox
):
    session = open_session()

    page = stripe_sandbox.authenticate(session.url, passed=True)

    assert (page.status, page.location) == (303, f"/c/pay/{session.id}")
    assert stripe_sandbox.state()["payment_intents"] == []
