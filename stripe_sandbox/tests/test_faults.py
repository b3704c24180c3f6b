"""The fault switches: webhooks duplicated, held back and reordered, delayed; a capture whose
answer comes too late; an outage answering 503 or refusing connections."""

import time
from collections import Counter

import pytest
import stripe

from stripe_sandbox.client import SandboxError
from stripe_sandbox.testing import SandboxProcess


@pytest.fixture
def authorized(open_session, stripe_sandbox, sdk):
    session = open_session()
    stripe_sandbox.pay(session.url)
    return sdk.v1.checkout.sessions.retrieve(session.id).payment_intent


def test_duplicate_deliveries_send_each_event_twice(
    open_session, stripe_sandbox, webhook_receiver, secret
):
    stripe_sandbox.set_faults(duplicate=1)

    stripe_sandbox.pay(open_session().url)

    webhook_receiver.wait_for(4)
    times_each = Counter(event.id for event in webhook_receiver.events(secret))
    assert list(times_each.values()) == [2, 2]
    delivered = stripe_sandbox.wait_for_deliveries(4, state="delivered")
    assert [delivery["duplicate"] for delivery in delivered].count(True) == 2


def test_a_share_of_the_deliveries_is_duplicated(
    open_session, stripe_sandbox, webhook_receiver, secret
):
    stripe_sandbox.set_faults(duplicate=0.5)

    for _ in range(40):
        stripe_sandbox.expire_session(open_session().id)

    stripe_sandbox.wait_for_deliveries(40, duplicate=False, state="delivered")
    duplicates = len(stripe_sandbox.deliveries(duplicate=True))
    assert 0 < duplicates < 40  # all or none would come once in 2**39 runs


def test_a_share_of_the_deliveries_is_lost(open_session, stripe_sandbox, webhook_receiver, secret):
    stripe_sandbox.set_faults(drop=0.5)

    for _ in range(40):
        stripe_sandbox.expire_session(open_session().id)

    assert 0 < len(stripe_sandbox.deliveries(state="dropped")) < 40


def test_held_deliveries_are_released_in_reverse(
    open_session, stripe_sandbox, webhook_receiver, secret
):
    stripe_sandbox.set_faults(hold=True)
    stripe_sandbox.pay(open_session().url)
    time.sleep(0.2)
    assert webhook_receiver.received == []

    assert stripe_sandbox.release_deliveries("reversed") == 2

    webhook_receiver.wait_for(2)
    assert [event.type for event in webhook_receiver.events(secret)] == [
        "checkout.session.completed",
        "payment_intent.amount_capturable_updated",
    ]


def test_held_deliveries_may_be_released_shuffled(
    open_session, stripe_sandbox, webhook_receiver, secret
):
    stripe_sandbox.set_faults(hold=True)
    for _ in range(3):
        stripe_sandbox.pay(open_session().url)

    stripe_sandbox.release_deliveries("shuffled")

    webhook_receiver.wait_for(6)
    assert len({event.id for event in webhook_receiver.events(secret)}) == 6


def test_delayed_deliveries_wait_before_their_first_try(
    open_session, stripe_sandbox, webhook_receiver, secret
):
    stripe_sandbox.set_faults(delay=0.4)
    session = open_session()

    paid_at = time.time()
    stripe_sandbox.pay(session.url)

    [first, _] = stripe_sandbox.wait_for_deliveries(2, state="delivered")
    assert first["attempts"][0]["at"] - paid_at >= 0.4


def test_a_late_capture_answer_is_retried_by_the_sdk_to_the_same_outcome(
    authorized, stripe_sandbox, webhook_receiver, secret
):
    """The capture is done but its answer comes after the client gave up: the SDK tries again
    with the same Idempotency-Key and gets the first outcome, and nothing is captured twice."""
    stripe_sandbox.set_faults(capture_delay=1.5)
    impatient = stripe_sandbox.stripe_client(
        http_client=stripe.RequestsClient(timeout=0.5), max_network_retries=2
    )

    intent = impatient.v1.payment_intents.capture(authorized)

    assert (intent.status, intent.amount_received) == ("succeeded", 2999)
    webhook_receiver.wait_for(1)
    assert [event.type for event in webhook_receiver.events(secret)] == ["payment_intent.succeeded"]


def test_a_late_capture_answer_leaves_the_client_not_knowing_until_it_retries(
    authorized, stripe_sandbox, sdk
):
    stripe_sandbox.set_faults(capture_delay=1.5)
    impatient = stripe_sandbox.stripe_client(
        http_client=stripe.RequestsClient(timeout=0.5), max_network_retries=0
    )
    once = {"idempotency_key": "capture-order-42"}

    with pytest.raises(stripe.APIConnectionError):
        impatient.v1.payment_intents.capture(authorized, options=once)

    assert sdk.v1.payment_intents.retrieve(authorized).status == "succeeded"  # it was done
    again = sdk.v1.payment_intents.capture(authorized, options=once)
    assert again.status == "succeeded"  # the first outcome: a second capture would be refused
    assert again.last_response.headers["Idempotent-Replayed"] == "true"
    events = [event["type"] for event in stripe_sandbox.state()["events"]]
    assert events.count("payment_intent.succeeded") == 1


def test_an_outage_answers_503_and_holds_the_webhooks_until_it_ends(
    open_session, stripe_sandbox, webhook_receiver, secret
):
    session = open_session()
    stripe_sandbox.start_outage()
    down = stripe_sandbox.stripe_client(max_network_retries=0)

    with pytest.raises(stripe.APIError):
        down.v1.checkout.sessions.retrieve(session.id)
    assert stripe_sandbox.open_page(session.url).status == 503
    stripe_sandbox.expire_session(session.id)  # the sweeper's doing, say: still an event
    time.sleep(0.2)
    assert webhook_receiver.received == []

    stripe_sandbox.end_outage()

    webhook_receiver.wait_for(1)
    assert down.v1.checkout.sessions.retrieve(session.id).status == "expired"


def test_a_short_outage_is_ridden_out_by_the_sdks_retries(open_session, stripe_sandbox):
    session = open_session()
    stripe_sandbox.start_outage(0.3)

    found = stripe_sandbox.stripe_client(max_network_retries=3).v1.checkout.sessions.retrieve(
        session.id
    )

    assert found.id == session.id


def test_an_outage_may_refuse_connections_then_open_again(order_42, tmp_path):
    process = SandboxProcess(log_path=tmp_path / "log")
    sandbox = process.start()
    try:
        sdk = sandbox.stripe_client(max_network_retries=0)
        sandbox.start_outage(0.5, refuse_connections=True)
        with pytest.raises(stripe.APIConnectionError):
            sdk.v1.checkout.sessions.create(params=order_42)
        patient = sandbox.stripe_client(max_network_retries=5)  # waits 0.5 s, 1 s, 2 s…
        session = patient.v1.checkout.sessions.create(params=order_42)
    finally:
        process.stop()

    assert session.status == "open"


@pytest.mark.parametrize(
    "switches",
    [{"duplicate": 2}, {"drop": -0.1}, {"hold": "yes"}, {"delay": "1"}, {"meteor": 1}],
)
def test_a_bad_fault_switch_is_refused_and_nothing_changes(stripe_sandbox, switches):
    with pytest.raises(SandboxError):
        stripe_sandbox.set_faults(**switches)

    assert stripe_sandbox.state()["faults"] == {
        "duplicate": 0.0,
        "drop": 0.0,
        "delay": 0.0,
        "hold": False,
        "capture_delay": 0.0,
        "outage": None,
    }


def test_a_refusing_outage_needs_an_end(stripe_sandbox):
    with pytest.raises(SandboxError, match="give it seconds"):
        stripe_sandbox.start_outage(refuse_connections=True)


def test_reset_forgets_everything_and_switches_the_faults_off(open_session, stripe_sandbox):
    stripe_sandbox.pay(open_session().url)
    stripe_sandbox.set_faults(hold=True, drop=1)
    stripe_sandbox.start_outage()

    stripe_sandbox.reset()

    state = stripe_sandbox.state()
    assert [state[name] for name in ("checkout_sessions", "payment_intents", "events")] == [[]] * 3
    assert state["faults"]["outage"] is None and state["faults"]["hold"] is False
