"""An order's life in one table: the states an order can be in, and the moves between them.

Whatever moves an order, or offers to, reads `MOVES`: the services (one skeleton makes every
move), `Order.can_*` and the order page's buttons, the page's timeline, the admin's actions,
and the alerts app, which mails the customer about each move it has a mail for. A new state
is a `Status` and the rows of the moves into and out of it.
"""

from dataclasses import dataclass, field
from typing import Literal

from django.db import models
from django.dispatch import Signal


class Status(models.TextChoices):
    PLACED = "placed", "Awaiting payment"
    CONFIRMED = "confirmed", "Confirmed"
    SHIPPED = "shipped", "Shipped"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"


# Who makes a move: the customer (the order page's buttons), staff (the admin's actions), or
# the system, with no person behind it (money arriving: checkout's receivers of the payments
# app's signals; an order left unpaid too long: checkout.tasks).
Actor = Literal["customer", "staff", "system"]


@dataclass(frozen=True)
class Move:
    """One move of an order's life: where it leads, and who may make it from where.

    `customer`, `staff` and `system` hold the states from which each may make it (none: they
    may not). `done_in` holds the states past `to` in which the move counts as made: asking
    for it again there changes nothing. Each move announces itself with a signal of its own,
    sent inside its transaction once the order is saved; checkout.signals names each one.
    """

    name: str
    to: Status
    stamp: str  # the order's field that keeps when the move was made
    customer: tuple[Status, ...] = ()
    staff: tuple[Status, ...] = ()
    system: tuple[Status, ...] = ()
    done_in: tuple[Status, ...] = ()
    signal: Signal = field(default_factory=Signal, repr=False)

    def allows(self, status: str, *, by: Actor) -> bool:
        """Whether `by` may make the move from `status`."""
        return status in getattr(self, by)  # the field named after them

    def is_made(self, status: str) -> bool:
        """Whether an order in `status` has had the move made already."""
        return status == self.to or status in self.done_in

    def refusal(self, order, *, by: Actor) -> str:
        """Why `by` may not make the move on `order`, in words for the customer."""
        why = BECAUSE.get(order.status) or f"is {order.get_status_display().lower()}"
        done = self.to.label.lower()
        if by == "customer" and self.allows(order.status, by="staff"):
            return f"{order} {why}, so it can no longer be {done} here. Please contact us."
        return f"{order} {why}, so it cannot be {done}."


# What a refusal says of an order in each state: "Order #7 <this>, so it cannot be shipped."
# A state not named here is said as it is ("is awaiting payment").
BECAUSE = {
    Status.PLACED: "is not confirmed yet",
    Status.CONFIRMED: "has not shipped yet",
    Status.SHIPPED: "has already shipped",
    Status.DELIVERED: "was already delivered",
    Status.CANCELLED: "was cancelled",
}

MOVES = {
    move.name: move
    for move in [
        Move(
            "confirm",
            to=Status.CONFIRMED,
            stamp="confirmed_at",
            # Money confirms an order: the system does, when a payment is authorized or
            # received. Staff may still confirm one paid some other way.
            staff=(Status.PLACED,),
            system=(Status.PLACED,),
            # A replayed confirmation (a second payment) may find the order moved on since.
            done_in=(Status.SHIPPED, Status.DELIVERED),
        ),
        Move("ship", to=Status.SHIPPED, stamp="shipped_at", staff=(Status.CONFIRMED,)),
        Move("deliver", to=Status.DELIVERED, stamp="delivered_at", staff=(Status.SHIPPED,)),
        Move(
            "cancel",
            to=Status.CANCELLED,
            stamp="cancelled_at",
            customer=(Status.PLACED, Status.CONFIRMED),
            # A shipped order too: its parcel came back.
            staff=(Status.PLACED, Status.CONFIRMED, Status.SHIPPED),
            # Paid for when its stock had run out, or not paid in time.
            system=(Status.PLACED,),
        ),
    ]
}


def awaits_the_shop(status: str) -> bool:
    """Whether an order in `status` waits for a move only the shop (staff or the system) may
    make, such as shipping it: the order page watches for that move while it does."""
    return any(
        (move.allows(status, by="staff") or move.allows(status, by="system"))
        and not move.allows(status, by="customer")
        for move in MOVES.values()
    )
