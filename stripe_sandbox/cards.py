"""Stripe's test cards that the hosted page knows, and what each one does.

The numbers and the decline reasons are Stripe's own (docs.stripe.com/testing), so a shopper's
habits and the shop's handling of `last_payment_error` carry over to Stripe's test mode.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Card:
    number: str
    label: str
    decline_code: str | None = None  # declined with this reason
    message: str = ""  # what the shopper is told when it is declined
    three_d_secure: bool = False  # asks for authentication first


TEST_CARDS = {
    card.number: card
    for card in (
        Card("4242424242424242", "Approved"),
        Card(
            "4000000000000002",
            "Declined (generic_decline)",
            decline_code="generic_decline",
            message="Your card was declined.",
        ),
        Card(
            "4000000000009995",
            "Declined (insufficient_funds)",
            decline_code="insufficient_funds",
            message="Your card has insufficient funds.",
        ),
        Card("4000002760003184", "Asks for 3-D Secure authentication", three_d_secure=True),
    )
}

# A number that passes the Luhn check but is no test card: Stripe's test mode declines it so.
LIVE_CARD = Card(
    "",
    "A real card",
    decline_code="test_mode_live_card",
    message="Your card was declined. Your request was in test mode, but used a non test card.",
)


class InvalidCardNumber(ValueError):
    """A number no card can have: told to the shopper, and nothing is recorded."""


def read_card(number: str) -> Card:
    """The card a shopper typed, spaces and dashes allowed."""
    digits = number.replace(" ", "").replace("-", "")
    if not (digits.isdigit() and 12 <= len(digits) <= 19 and _luhn_valid(digits)):
        raise InvalidCardNumber("Your card number is invalid.")
    return TEST_CARDS.get(digits, LIVE_CARD)


def spaced(number: str) -> str:
    """4242424242424242 as 4242 4242 4242 4242."""
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


def _luhn_valid(digits: str) -> bool:
    total = 0
    for position, digit in enumerate(int(d) for d in reversed(digits)):
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0
