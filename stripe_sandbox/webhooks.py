"""Webhook deliveries: each event, to each endpoint that wants it, signed as Stripe signs them.

One background thread sends them, oldest first, so a shop hears of events in the order they
happened unless a fault switch says otherwise; being a thread of its own, a delivery can race
the shopper's redirect back to the shop, as Stripe's do. A delivery answered with anything but
a 2xx, or not answered within the timeout, is tried again after the next of `retry_delays`,
and given up after the last. During an outage nothing is sent.

The signature is Stripe's: `Stripe-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>"
keyed with the endpoint's secret>`. `t` is the real time of the attempt, never the sandbox's
clock, which a test may have moved past the five minutes' tolerance of the shop's SDK.
"""

import hashlib
import hmac
import itertools
import json
import random
import threading
import time
from dataclasses import dataclass, field, replace
from http.client import HTTPConnection, HTTPException, HTTPSConnection
from urllib.parse import urlsplit, urlunsplit

from stripe_sandbox.faults import Faults
from stripe_sandbox.state import WebhookEndpoint

RELEASE_ORDERS = ("created", "reversed", "shuffled")


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    """The `Stripe-Signature` header for `payload` sent at `timestamp`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


@dataclass
class Attempt:
    at: float  # unix time it was sent
    status: int | None  # the endpoint's answer, if any
    error: str | None  # else what happened instead (refused, timed out)


@dataclass
class Delivery:
    number: int
    event_id: str
    event_type: str
    endpoint_id: str
    url: str
    secret: str
    payload: bytes
    state: str  # pending, held, sending, delivered, failed or dropped
    due: float  # time.monotonic() of the next attempt
    order: int  # among deliveries due at once, the lower goes first
    duplicate: bool = False
    attempts: list[Attempt] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "number": self.number,
            "event": self.event_id,
            "type": self.event_type,
            "endpoint": self.endpoint_id,
            "url": self.url,
            "state": self.state,
            "duplicate": self.duplicate,
            "attempts": [vars(attempt) for attempt in self.attempts],
        }


class Deliveries:
    """The queue of deliveries and the thread that sends them."""

    def __init__(
        self, *, faults: Faults, retry_delays: list[float], timeout: float, seed: int | None = None
    ):
        self.faults = faults
        self.retry_delays = retry_delays
        self.timeout = timeout
        self._random = random.Random(seed)
        self._all: list[Delivery] = []
        self._order = itertools.count()
        self._changed = threading.Condition()
        self._stopping = False

    def enqueue(self, event: dict, endpoints: list[WebhookEndpoint]) -> None:
        """Queue `event` for each endpoint; the fault switches decide now whether it is
        dropped, held back or delayed."""
        payload = json.dumps(event, indent=2).encode()
        with self._changed:
            for endpoint in endpoints:
                if self._random.random() < self.faults.drop:
                    state = "dropped"
                else:
                    state = "held" if self.faults.hold else "pending"
                self._all.append(
                    Delivery(
                        number=len(self._all) + 1,
                        event_id=event["id"],
                        event_type=event["type"],
                        endpoint_id=endpoint.id,
                        url=endpoint.url,
                        secret=endpoint.secret,
                        payload=payload,
                        state=state,
                        due=time.monotonic() + self.faults.delay,
                        order=next(self._order),
                    )
                )
            self._changed.notify_all()

    def release(self, order: str = "created") -> int:
        """Send the held deliveries now, in the order their events happened, reversed, or
        shuffled; answers how many there were."""
        with self._changed:
            held = [delivery for delivery in self._all if delivery.state == "held"]
            if order == "reversed":
                held.reverse()
            elif order == "shuffled":
                self._random.shuffle(held)
            now = time.monotonic()
            for delivery in held:
                delivery.state, delivery.due, delivery.order = "pending", now, next(self._order)
            self._changed.notify_all()
            return len(held)

    def as_json(self) -> list[dict]:
        with self._changed:
            return [delivery.as_json() for delivery in self._all]

    def start(self) -> None:
        threading.Thread(target=self._run, name="webhooks", daemon=True).start()

    def stop(self) -> None:
        """Send nothing more; an attempt under way ends on its own."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()

    def _run(self) -> None:
        while (delivery := self._next()) is not None:
            self._attempt(delivery)

    def _next(self) -> Delivery | None:
        """Wait for the first delivery that is due, outside an outage; None when stopping."""
        with self._changed:
            while not self._stopping:
                pending = [delivery for delivery in self._all if delivery.state == "pending"]
                wait = None  # for news
                if self.faults.in_outage:
                    wait = 0.05  # an outage ends on its own: look again soon
                elif pending:
                    first = min(pending, key=lambda delivery: (delivery.due, delivery.order))
                    wait = first.due - time.monotonic()
                    if wait <= 0:
                        first.state = "sending"
                        return first
                self._changed.wait(wait)
            return None

    def _attempt(self, delivery: Delivery) -> None:
        """POST the event once; a redirect counts as a failure, as it does at Stripe."""
        sent_at = time.time()
        target = urlsplit(delivery.url)
        connection_class = HTTPSConnection if target.scheme == "https" else HTTPConnection
        connection = connection_class(target.netloc, timeout=self.timeout)
        status = error = None
        try:
            connection.request(
                "POST",
                urlunsplit(("", "", target.path or "/", target.query, "")),
                body=delivery.payload,
                headers={
                    "Content-Type": "application/json; charset=utf-8",
                    "Stripe-Signature": sign(delivery.payload, delivery.secret, int(sent_at)),
                    "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                },
            )
            status = connection.getresponse().status
        except (OSError, HTTPException) as failure:  # refused, timed out, cut off
            error = str(failure) or type(failure).__name__
        finally:
            connection.close()
        with self._changed:
            delivery.attempts.append(Attempt(at=sent_at, status=status, error=error))
            if status is not None and 200 <= status < 300:
                delivery.state = "delivered"
                if not delivery.duplicate and self._random.random() < self.faults.duplicate:
                    self._all.append(
                        replace(
                            delivery,
                            number=len(self._all) + 1,
                            state="pending",
                            due=time.monotonic(),
                            order=next(self._order),
                            duplicate=True,
                            attempts=[],
                        )
                    )
            elif len(delivery.attempts) > len(self.retry_delays):
                delivery.state = "failed"
            else:
                delivery.state = "pending"
                delivery.due = time.monotonic() + self.retry_delays[len(delivery.attempts) - 1]
            self._changed.notify_all()
