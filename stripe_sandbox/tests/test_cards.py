"""Which card a shopper typed: Stripe's test numbers, a real card, or no card at all."""

import pytest

from stripe_sandbox.cards import InvalidCardNumber, read_card


@pytest.mark.parametrize(
    ("typed", "decline_code", "three_d_secure"),
    [
        ("4242 4242 4242 4242", None, False),
        ("4242-4242-4242-4242", None, False),
        ("4000000000000002", "generic_decline", False),
        ("4000 0000 0000 9995", "insufficient_funds", False),
        ("4000 0027 6000 3184", None, True),
        ("5555 5555 5555 4444", "test_mode_live_card", False),
    ],
)
def test_a_number_is_read_as_its_card(typed, decline_code, three_d_secure):
    card = read_card(typed)

    assert (card.decline_code, card.three_d_secure) == (decline_code, three_d_secure)


@pytest.mark.parametrize("typed", ["", "4242", "4242 4242 4242 4243", "4242 4242 4242 424x"])
def test_a_number_no_card_can_have_is_refused(typed):
    with pytest.raises(InvalidCardNumber):
        read_card(typed)
