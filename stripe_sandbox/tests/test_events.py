"""The event list, which a shop reads to reconcile after a webhook was lost."""

import pytest
import stripe


@pytest.fixture
def paid_twice(open_session, stripe_sandbox):
    """Two sessions, the first declined once then paid, the second paid: five events."""
    first, second = open_session(), open_session()
    stripe_sandbox.pay(first.url, "4000 0000 0000 0002")
    stripe_sandbox.pay(first.url)
    stripe_sandbox.pay(second.url)
    return first, second


def test_events_are_listed_newest_first(paid_twice, sdk):
    events = sdk.v1.events.list()

    assert [event.type for event in events.data] == [
        "checkout.session.completed",
        "payment_intent.amount_capturable_updated",
        "checkout.session.completed",
        "payment_intent.amount_capturable_updated",
        "payment_intent.payment_failed",
    ]
    assert events.has_more is False


def test_events_are_filtered_by_type(paid_twice, sdk):
    completed = sdk.v1.events.list(params={"type": "checkout.session.completed"})

    assert [event.data.object.id for event in completed.data] == [
        paid_twice[1].id,
        paid_twice[0].id,
    ]


def test_events_are_filtered_by_creation_time(paid_twice, open_session, stripe_sandbox, sdk):
    later = stripe_sandbox.advance_clock(60)
    expired = sdk.v1.checkout.sessions.expire(open_session().id)

    recent = sdk.v1.events.list(params={"created": {"gte": later}})

    assert [event.data.object.id for event in recent.data] == [expired.id]


def test_a_long_list_comes_in_pages(paid_twice, sdk):
    first = sdk.v1.events.list(params={"limit": 2})
    second = sdk.v1.events.list(params={"limit": 2, "starting_after": first.data[-1].id})

    assert first.has_more and second.has_more
    every = [event.id for event in sdk.v1.events.list(params={"limit": 2}).auto_paging_iter()]
    assert every[:4] == [event.id for event in first.data + second.data]
    assert len(every) == 5


def test_an_event_is_retrieved_by_its_id(paid_twice, sdk):
    newest = sdk.v1.events.list(params={"limit": 1}).data[0]

    event = sdk.v1.events.retrieve(newest.id)

    assert (event.type, event.data.object.status) == ("checkout.session.completed", "complete")


def test_a_lost_webhook_is_found_in_the_event_list(
    open_session, stripe_sandbox, sdk, webhook_receiver, secret
):
    stripe_sandbox.set_faults(drop=1)
    session = open_session()

    stripe_sandbox.pay(session.url)

    assert {d["state"] for d in stripe_sandbox.deliveries()} == {"dropped"}
    assert webhook_receiver.received == []
    completed = sdk.v1.events.list(params={"type": "checkout.session.completed"}).data
    assert [event.data.object.id for event in completed] == [session.id]


def test_a_bad_list_parameter_is_refused(sdk):
    with pytest.raises(stripe.InvalidRequestError) as refusal:
        sdk.v1.events.list(params={"limit": 101})

    assert refusal.value.param == "limit"
