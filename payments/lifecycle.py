"""A payment's life in one table: the states an attempt to pay can be in, and the moves
between them.

A payment is one attempt to pay for an order: a card's Checkout Session, or a bank transfer
the shop waits for. Whatever moves one reads `MOVES`: the services (one skeleton makes every
move, and writes its ledger entry), the webhook and reconciliation (which apply what the
provider says only where the table allows it, so events arriving late or out of order never
move a payment back), the admin's actions and the order page.
"""

from dataclasses import dataclass, field

from django.db import models
from django.dispatch import Signal


class Status(models.TextChoices):
    PENDING = "pending", "Waiting for payment"
    AUTHORIZED = "authorized", "Authorized"  # held on the card, not taken yet
    CAPTURED = "captured", "Paid"
    PARTIALLY_REFUNDED = "partially_refunded", "Partly refunded"
    REFUNDED = "refunded", "Refunded"
    FAILED = "failed", "Declined"
    EXPIRED = "expired", "Expired"
    VOIDED = "voided", "Released"  # an authorization given back: never taken


class Kind(models.TextChoices):
    """What a ledger entry records: money held, taken, given back, or an attempt refused."""

    AUTHORIZED = "authorized", "Authorized"
    CAPTURED = "captured", "Captured"
    FAILED = "failed", "Failed"
    VOIDED = "voided", "Voided"
    REFUNDED = "refunded", "Refunded"


# The states in which money is held or was taken: a payment in one of them pays its order.
HOLDING = (Status.AUTHORIZED, Status.CAPTURED, Status.PARTIALLY_REFUNDED, Status.REFUNDED)


@dataclass(frozen=True)
class Move:
    """One move of a payment's life: from which states, to which, and what it records.

    `kind` is the ledger entry the move writes (none: it moves no money, as an expiry);
    `done_in` holds the states past `to` in which the move counts as made, so that a late
    event asking for it (an authorization heard of after the capture) changes nothing. Each
    move that records money announces itself with its signal (payments.signals), sent inside
    its transaction once the payment is saved.
    """

    name: str
    to: Status
    sources: tuple[Status, ...]
    kind: Kind | None = None
    done_in: tuple[Status, ...] = ()
    signal: Signal | None = field(default=None, repr=False)

    def allows(self, status: str) -> bool:
        return status in self.sources

    def is_made(self, status: str) -> bool:
        # A move that may be made again from where it leads (a refund, part after part) is
        # never made by the state alone: its ledger entry's key tells.
        repeatable = self.to in self.sources
        return (status == self.to and not repeatable) or status in self.done_in


# A refund, part or all, is one event for whoever listens.
_refunded = Signal()

MOVES = {
    move.name: move
    for move in [
        # The bank said yes: the money is held on the card.
        Move(
            "authorize",
            to=Status.AUTHORIZED,
            # A shopper declined once may try another card on the same page.
            sources=(Status.PENDING, Status.FAILED),
            kind=Kind.AUTHORIZED,
            done_in=(
                Status.CAPTURED,
                Status.PARTIALLY_REFUNDED,
                Status.REFUNDED,
                Status.VOIDED,
            ),
            signal=Signal(),
        ),
        # The money is the shop's: a card's authorization captured, or a bank transfer arrived
        # (straight from pending: no authorization comes first; late, after its expiry, too).
        Move(
            "capture",
            to=Status.CAPTURED,
            sources=(Status.PENDING, Status.AUTHORIZED, Status.EXPIRED),
            kind=Kind.CAPTURED,
            done_in=(Status.PARTIALLY_REFUNDED, Status.REFUNDED),
            signal=Signal(),
        ),
        # The bank said no. Not the end: the shopper may try again, on the page or anew.
        Move(
            "fail",
            to=Status.FAILED,
            sources=(Status.PENDING,),
            kind=Kind.FAILED,
            signal=Signal(),
        ),
        # Nobody paid: the card's page expired, or a bank transfer's order was settled
        # otherwise. No money moved, so nothing is recorded and nobody is told.
        Move("expire", to=Status.EXPIRED, sources=(Status.PENDING, Status.FAILED)),
        # An authorization given back without taking it: the order could not be filled.
        Move(
            "void",
            to=Status.VOIDED,
            sources=(Status.AUTHORIZED,),
            kind=Kind.VOIDED,
            signal=Signal(),
        ),
        # Money given back, part or all; a payment can be refunded several times, each
        # refund its own ledger entry. The service picks this row or the next by what is left.
        Move(
            "refund_part",
            to=Status.PARTIALLY_REFUNDED,
            sources=(Status.CAPTURED, Status.PARTIALLY_REFUNDED),
            kind=Kind.REFUNDED,
            signal=_refunded,
        ),
        Move(
            "refund",
            to=Status.REFUNDED,
            sources=(Status.CAPTURED, Status.PARTIALLY_REFUNDED),
            kind=Kind.REFUNDED,
            signal=_refunded,
        ),
    ]
}
