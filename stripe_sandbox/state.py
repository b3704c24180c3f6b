"""The provider's books: Checkout Sessions, PaymentIntents, charges, refunds and events, in memory.

`Sandbox` holds them and makes every move. One lock guards it all; the HTTP layer holds it
across an idempotent request, so that a request's effect and the answer saved under its
Idempotency-Key are one step. Objects answer in Stripe's shape (`as_json()`); what Stripe would
not show stays in plain attributes. Parameters arrive checked (`api.py`); what is refused here
is refused because of the state. A restart forgets everything.
"""

import copy
import functools
import secrets
import string
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from stripe_sandbox.cards import Card, read_card

# The API version stripe-python 16.1 pins (stripe.api_version): events and endpoints carry it.
API_VERSION = "2026-10-28.endive"
# A card authorization the shop never captures is released by the bank after seven days.
AUTHORIZATION_LIFETIME = 7 * 24 * 60 * 60
# Currencies whose amounts Stripe counts in whole units (docs.stripe.com/currencies).
ZERO_DECIMAL = {
    "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga",
    "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf",
}  # fmt: skip

_ALPHANUMERIC = string.ascii_letters + string.digits


def new_id(prefix: str, length: int = 24) -> str:
    return prefix + "".join(secrets.choice(_ALPHANUMERIC) for _ in range(length))


def money(amount: int, currency: str) -> str:
    """1250, "eur" as "12.50 EUR": amounts travel in the currency's smallest unit."""
    if currency in ZERO_DECIMAL:
        return f"{amount} {currency.upper()}"
    return f"{amount // 100}.{amount % 100:02d} {currency.upper()}"


class ApiError(Exception):
    """An answer in Stripe's error shape, `{"error": {"type", "code", "message", ...}}`, with
    Stripe's status code, from which the SDK picks its exception class.

    `saved` is false when the request is refused before it began, for bad parameters: Stripe
    then keeps no answer under its Idempotency-Key.
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
        saved: bool = True,
    ):
        super().__init__(message)
        self.status = status
        self.saved = saved
        self.error = {"type": type, "code": code, "message": message, "param": param}

    def as_json(self) -> dict:
        return {"error": {name: value for name, value in self.error.items() if value is not None}}


def no_such(kind: str, object_id: str, *, param: str = "id") -> ApiError:
    return ApiError(404, f"No such {kind}: '{object_id}'", code="resource_missing", param=param)


def unexpected_state(message: str) -> ApiError:
    return ApiError(400, message, code="payment_intent_unexpected_state")


class Clock:
    """Unix time as the sandbox sees it: the real time, plus however far a test moved it on."""

    def __init__(self):
        self.offset = 0

    def now(self) -> int:
        return int(time.time()) + self.offset


@dataclass(frozen=True)
class LineItem:
    name: str
    currency: str
    unit_amount: int
    quantity: int

    @property
    def amount(self) -> int:
        return self.unit_amount * self.quantity


@dataclass
class Session:
    id: str
    created: int
    expires_at: int
    line_items: list[LineItem]
    success_url: str
    cancel_url: str | None
    capture_method: str
    intent_metadata: dict
    metadata: dict
    client_reference_id: str | None
    customer_email: str | None
    page_url: str
    status: str = "open"
    payment_status: str = "unpaid"
    payment_intent: str | None = None

    @property
    def amount_total(self) -> int:
        return sum(item.amount for item in self.line_items)

    @property
    def currency(self) -> str:
        return self.line_items[0].currency

    @property
    def success_location(self) -> str:
        """Where the shopper goes after paying: Stripe fills in the session's id."""
        return self.success_url.replace("{CHECKOUT_SESSION_ID}", self.id)

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "object": "checkout.session",
            "amount_subtotal": self.amount_total,
            "amount_total": self.amount_total,
            "cancel_url": self.cancel_url,
            "client_reference_id": self.client_reference_id,
            "created": self.created,
            "currency": self.currency,
            "customer": None,
            "customer_details": (
                {"email": self.customer_email} if self.status == "complete" else None
            ),
            "customer_email": self.customer_email,
            "expires_at": self.expires_at,
            "livemode": False,
            "metadata": dict(self.metadata),
            "mode": "payment",
            "payment_intent": self.payment_intent,
            "payment_method_types": ["card"],
            "payment_status": self.payment_status,
            "status": self.status,
            "success_url": self.success_url,
            "url": self.page_url if self.status == "open" else None,
        }


@dataclass
class PaymentIntent:
    id: str
    created: int
    amount: int
    currency: str
    capture_method: str
    metadata: dict
    session_id: str
    status: str = "requires_payment_method"
    amount_capturable: int = 0
    amount_received: int = 0
    latest_charge: str | None = None
    last_payment_error: dict | None = None
    next_action: dict | None = None
    canceled_at: int | None = None
    cancellation_reason: str | None = None
    authorized_at: int | None = None

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "object": "payment_intent",
            "amount": self.amount,
            "amount_capturable": self.amount_capturable,
            "amount_received": self.amount_received,
            "canceled_at": self.canceled_at,
            "cancellation_reason": self.cancellation_reason,
            "capture_method": self.capture_method,
            "created": self.created,
            "currency": self.currency,
            "last_payment_error": copy.deepcopy(self.last_payment_error),
            "latest_charge": self.latest_charge,
            "livemode": False,
            "metadata": dict(self.metadata),
            "next_action": copy.deepcopy(self.next_action),
            "payment_method_types": ["card"],
            "status": self.status,
        }


@dataclass
class Charge:
    id: str
    created: int
    amount: int
    currency: str
    payment_intent: str
    status: str  # succeeded (authorized, perhaps captured) or failed (declined)
    captured: bool = False
    amount_captured: int = 0
    amount_refunded: int = 0
    failure_code: str | None = None
    failure_message: str | None = None

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "object": "charge",
            "amount": self.amount,
            "amount_captured": self.amount_captured,
            "amount_refunded": self.amount_refunded,
            "captured": self.captured,
            "created": self.created,
            "currency": self.currency,
            "failure_code": self.failure_code,
            "failure_message": self.failure_message,
            "livemode": False,
            "metadata": {},
            "paid": self.status == "succeeded",
            "payment_intent": self.payment_intent,
            "refunded": self.captured and self.amount_refunded == self.amount_captured,
            "status": self.status,
        }


@dataclass
class Refund:
    id: str
    created: int
    amount: int
    currency: str
    charge: str
    payment_intent: str
    metadata: dict
    reason: str | None

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "object": "refund",
            "amount": self.amount,
            "charge": self.charge,
            "created": self.created,
            "currency": self.currency,
            "metadata": dict(self.metadata),
            "payment_intent": self.payment_intent,
            "reason": self.reason,
            "status": "succeeded",
        }


@dataclass
class WebhookEndpoint:
    id: str
    created: int
    url: str
    secret: str
    enabled_events: list[str]

    def wants(self, event_type: str) -> bool:
        return "*" in self.enabled_events or event_type in self.enabled_events

    def as_json(self, *, with_secret: bool = False) -> dict:
        """Stripe shows the signing secret only in the answer that creates the endpoint."""
        answer = {
            "id": self.id,
            "object": "webhook_endpoint",
            "api_version": API_VERSION,
            "created": self.created,
            "enabled_events": list(self.enabled_events),
            "livemode": False,
            "status": "enabled",
            "url": self.url,
        }
        return {**answer, "secret": self.secret} if with_secret else answer


@dataclass(frozen=True)
class SavedAnswer:
    """The first answer given under an Idempotency-Key, and the request it answered."""

    request: tuple
    status: int
    content: dict
    request_id: str


def _locked(method):
    @functools.wraps(method)
    def locked(self, *args, **kwargs):
        with self.lock:
            return method(self, *args, **kwargs)

    return locked


class Sandbox:
    """Everything the provider holds, and every move of it, each under `lock`.

    `deliver(event, endpoints)` is called for every event, inside the lock: the webhook
    deliveries (`webhooks.py`) queue it there and send it from their own thread.
    """

    def __init__(self, *, page_base: str):
        self.lock = threading.RLock()
        self.clock = Clock()
        self.page_base = page_base
        self.sessions: dict[str, Session] = {}
        self.intents: dict[str, PaymentIntent] = {}
        self.charges: dict[str, Charge] = {}
        self.refunds: dict[str, Refund] = {}
        self.endpoints: dict[str, WebhookEndpoint] = {}
        self.events: list[dict] = []
        self.answers: dict[str, SavedAnswer] = {}  # by Idempotency-Key
        self.deliver: Callable[[dict, list[WebhookEndpoint]], None] = lambda *_: None

    # Checkout Sessions and the shopper's side of the hosted page

    @_locked
    def create_session(
        self,
        *,
        line_items: list[LineItem],
        expires_at: int,
        success_url: str,
        cancel_url: str | None,
        capture_method: str,
        intent_metadata: dict,
        metadata: dict,
        client_reference_id: str | None,
        customer_email: str | None,
    ) -> Session:
        session_id = new_id("cs_test_", 58)
        session = Session(
            id=session_id,
            created=self.clock.now(),
            expires_at=expires_at,
            line_items=line_items,
            success_url=success_url,
            cancel_url=cancel_url,
            capture_method=capture_method,
            intent_metadata=intent_metadata,
            metadata=metadata,
            client_reference_id=client_reference_id,
            customer_email=customer_email,
            page_url=f"{self.page_base}/c/pay/{session_id}",
        )
        self.sessions[session.id] = session
        return session

    @_locked
    def session(self, session_id: str) -> Session:
        if session_id not in self.sessions:
            raise no_such("checkout.session", session_id)
        return self.sessions[session_id]

    @_locked
    def expire_session(self, session_id: str) -> Session:
        """Close an open session unpaid; a payment attempt it began is canceled with it."""
        session = self.session(session_id)
        if session.status != "open":
            raise ApiError(
                400,
                'Only Checkout Sessions with a status in ["open"] can be expired. '
                f'This Checkout Session has a status of "{session.status}".',
            )
        session.status = "expired"
        if session.payment_intent:
            self._cancel(self.intents[session.payment_intent], "abandoned")
        self._emit("checkout.session.expired", session)
        return session

    @_locked
    def pay(self, session: Session, card_number: str) -> PaymentIntent:
        """The shopper presses Pay on an open session's page.

        A number no card has raises `InvalidCardNumber` and records nothing; any card makes
        the session's PaymentIntent on its first attempt, as Stripe does since 2022-08-01.
        """
        card = read_card(card_number)
        intent = self._intent_for(session)
        if card.decline_code:
            self._decline(intent, card)
        elif card.three_d_secure:
            intent.status = "requires_action"
            intent.last_payment_error = None
            intent.next_action = {
                "type": "redirect_to_url",
                "redirect_to_url": {
                    "url": f"{session.page_url}/authenticate",
                    "return_url": session.page_url,
                },
            }
        else:
            self._authorize(intent, session)
        return intent

    @_locked
    def authenticate(self, intent: PaymentIntent, *, passed: bool) -> PaymentIntent:
        """The shopper completes or fails the 3-D Secure challenge of a payment asking for it."""
        if intent.status != "requires_action":
            return intent
        if passed:
            self._authorize(intent, self.sessions[intent.session_id])
        else:
            intent.status = "requires_payment_method"
            intent.next_action = None
            intent.last_payment_error = {
                "type": "invalid_request_error",
                "code": "payment_intent_authentication_failure",
                "message": "We are unable to authenticate your payment method. "
                "Please choose a different payment method and try again.",
            }
            self._emit("payment_intent.payment_failed", intent)
        return intent

    # PaymentIntents, refunds

    @_locked
    def intent(self, intent_id: str, *, param: str = "id") -> PaymentIntent:
        if intent_id not in self.intents:
            raise no_such("payment_intent", intent_id, param=param)
        return self.intents[intent_id]

    @_locked
    def capture(self, intent_id: str, amount: int | None = None) -> PaymentIntent:
        """Take the authorized money, all of it or less: the rest is released."""
        intent = self.intent(intent_id)
        if intent.status != "requires_capture":
            raise unexpected_state(
                "This PaymentIntent could not be captured because it has a status of "
                f"{intent.status}. Only a PaymentIntent with one of the following statuses "
                "may be captured: requires_capture."
            )
        amount = intent.amount_capturable if amount is None else amount
        if amount > intent.amount_capturable:
            raise ApiError(
                400,
                f"The amount to capture ({money(amount, intent.currency)}) is greater than "
                f"the amount capturable ({money(intent.amount_capturable, intent.currency)}).",
                code="amount_too_large",
                param="amount_to_capture",
            )
        charge = self.charges[intent.latest_charge]
        charge.captured, charge.amount_captured = True, amount
        intent.status, intent.amount_received, intent.amount_capturable = "succeeded", amount, 0
        self._emit("payment_intent.succeeded", intent)
        return intent

    @_locked
    def cancel(self, intent_id: str, reason: str | None = None) -> PaymentIntent:
        """Void an authorization (or a payment never made)."""
        intent = self.intent(intent_id)
        if intent.status in ("succeeded", "canceled"):
            raise unexpected_state(
                "You cannot cancel this PaymentIntent because it has a status of "
                f"{intent.status}. Only a PaymentIntent with one of the following statuses may "
                "be canceled: requires_payment_method, requires_capture, requires_confirmation, "
                "requires_action, processing."
            )
        if self.sessions[intent.session_id].status == "open":
            raise unexpected_state(
                "This PaymentIntent belongs to a Checkout Session that is still open: "
                "expire the Checkout Session instead."
            )
        self._cancel(intent, reason)
        return intent

    @_locked
    def create_refund(
        self, *, intent_id: str, amount: int | None, metadata: dict, reason: str | None
    ) -> Refund:
        """Give back captured money, all that is left or part of it; never more."""
        intent = self.intent(intent_id, param="payment_intent")
        if intent.status != "succeeded":
            raise unexpected_state(
                f"This PaymentIntent has a status of {intent.status}: only captured money can "
                "be refunded. An authorization is released by canceling the PaymentIntent."
            )
        charge = self.charges[intent.latest_charge]
        left = charge.amount_captured - charge.amount_refunded
        if left == 0:
            raise ApiError(
                400,
                f"Charge {charge.id} has already been refunded.",
                code="charge_already_refunded",
            )
        amount = left if amount is None else amount
        if amount > left:
            raise ApiError(
                400,
                f"Refund amount ({money(amount, charge.currency)}) is greater than unrefunded "
                f"amount on charge ({money(left, charge.currency)})",
                code="amount_too_large",
                param="amount",
            )
        refund = Refund(
            id=new_id("re_"),
            created=self.clock.now(),
            amount=amount,
            currency=charge.currency,
            charge=charge.id,
            payment_intent=intent.id,
            metadata=metadata,
            reason=reason,
        )
        self.refunds[refund.id] = refund
        charge.amount_refunded += amount
        self._emit("refund.created", refund)
        self._emit("charge.refunded", charge)
        return refund

    @_locked
    def charge(self, charge_id: str) -> Charge:
        if charge_id not in self.charges:
            raise no_such("charge", charge_id)
        return self.charges[charge_id]

    @_locked
    def refund(self, refund_id: str) -> Refund:
        if refund_id not in self.refunds:
            raise no_such("refund", refund_id)
        return self.refunds[refund_id]

    # Events and webhook endpoints

    @_locked
    def event(self, event_id: str, *, param: str = "id") -> dict:
        for event in self.events:
            if event["id"] == event_id:
                return copy.deepcopy(event)
        raise no_such("event", event_id, param=param)

    @_locked
    def list_events(
        self, *, types: list[str], created: dict[str, int], limit: int, starting_after: str | None
    ) -> dict:
        """Newest first, as Stripe lists them; `created` maps gt/gte/lt/lte to unix times."""
        compare = {"gt": int.__gt__, "gte": int.__ge__, "lt": int.__lt__, "lte": int.__le__}
        chosen = [
            event
            for event in reversed(self.events)
            if (not types or event["type"] in types)
            and all(compare[op](event["created"], bound) for op, bound in created.items())
        ]
        start = 0
        if starting_after is not None:
            self.event(starting_after, param="starting_after")
            start = next(
                (i + 1 for i, event in enumerate(chosen) if event["id"] == starting_after),
                len(chosen),
            )
        return {
            "object": "list",
            "data": copy.deepcopy(chosen[start : start + limit]),
            "has_more": len(chosen) > start + limit,
            "url": "/v1/events",
        }

    @_locked
    def add_endpoint(
        self, *, url: str, enabled_events: list[str], secret: str | None = None
    ) -> WebhookEndpoint:
        endpoint = WebhookEndpoint(
            id=new_id("we_"),
            created=self.clock.now(),
            url=url,
            secret=secret or new_id("whsec_", 32),
            enabled_events=enabled_events,
        )
        self.endpoints[endpoint.id] = endpoint
        return endpoint

    @_locked
    def endpoint(self, endpoint_id: str) -> WebhookEndpoint:
        if endpoint_id not in self.endpoints:
            raise no_such("webhook_endpoint", endpoint_id)
        return self.endpoints[endpoint_id]

    @_locked
    def remove_endpoint(self, endpoint_id: str) -> WebhookEndpoint:
        return self.endpoints.pop(self.endpoint(endpoint_id).id)

    # Time passing, and looking inside

    @_locked
    def sweep(self) -> None:
        """What time does: sessions past `expires_at` expire, week-old authorizations lapse."""
        now = self.clock.now()
        for session in list(self.sessions.values()):
            if session.status == "open" and session.expires_at <= now:
                self.expire_session(session.id)
        for intent in self.intents.values():
            lapsed = (intent.authorized_at or now) + AUTHORIZATION_LIFETIME <= now
            if intent.status == "requires_capture" and lapsed:
                self._cancel(intent, "automatic")

    @_locked
    def advance_clock(self, seconds: int) -> int:
        self.clock.offset += seconds
        self.sweep()
        return self.clock.now()

    @_locked
    def find(self, object_id: str) -> dict | None:
        """Any object by its id, in Stripe's shape: what `expand[]` puts in place of an id."""
        for table in (self.sessions, self.intents, self.charges, self.refunds):
            if object_id in table:
                return table[object_id].as_json()
        return None

    @_locked
    def snapshot(self) -> dict:
        return {
            "now": self.clock.now(),
            "checkout_sessions": [session.as_json() for session in self.sessions.values()],
            "payment_intents": [intent.as_json() for intent in self.intents.values()],
            "charges": [charge.as_json() for charge in self.charges.values()],
            "refunds": [refund.as_json() for refund in self.refunds.values()],
            "events": copy.deepcopy(self.events),
            "webhook_endpoints": [
                endpoint.as_json(with_secret=True) for endpoint in self.endpoints.values()
            ],
        }

    # The moves behind the calls

    def _intent_for(self, session: Session) -> PaymentIntent:
        if session.payment_intent:
            return self.intents[session.payment_intent]
        intent = PaymentIntent(
            id=new_id("pi_"),
            created=self.clock.now(),
            amount=session.amount_total,
            currency=session.currency,
            capture_method=session.capture_method,
            metadata=dict(session.intent_metadata),
            session_id=session.id,
        )
        self.intents[intent.id] = intent
        session.payment_intent = intent.id
        return intent

    def _new_charge(self, intent: PaymentIntent, **outcome) -> Charge:
        charge = Charge(
            id=new_id("ch_"),
            created=self.clock.now(),
            amount=intent.amount,
            currency=intent.currency,
            payment_intent=intent.id,
            **outcome,
        )
        self.charges[charge.id] = charge
        intent.latest_charge = charge.id
        return charge

    def _decline(self, intent: PaymentIntent, card: Card) -> None:
        charge = self._new_charge(
            intent, status="failed", failure_code="card_declined", failure_message=card.message
        )
        intent.status = "requires_payment_method"
        intent.next_action = None
        intent.last_payment_error = {
            "type": "card_error",
            "code": "card_declined",
            "decline_code": card.decline_code,
            "message": card.message,
            "charge": charge.id,
        }
        self._emit("payment_intent.payment_failed", intent)

    def _authorize(self, intent: PaymentIntent, session: Session) -> None:
        """The bank said yes: the money is held (manual capture) or taken (automatic)."""
        automatic = intent.capture_method != "manual"
        self._new_charge(
            intent,
            status="succeeded",
            captured=automatic,
            amount_captured=intent.amount if automatic else 0,
        )
        intent.last_payment_error = intent.next_action = None
        intent.authorized_at = self.clock.now()
        if automatic:
            intent.status, intent.amount_received = "succeeded", intent.amount
            self._emit("payment_intent.succeeded", intent)
        else:
            intent.status, intent.amount_capturable = "requires_capture", intent.amount
            self._emit("payment_intent.amount_capturable_updated", intent)
        session.status = "complete"
        # With manual capture nothing is paid yet, only authorized: Stripe says "unpaid".
        session.payment_status = "paid" if automatic else "unpaid"
        self._emit("checkout.session.completed", session)

    def _cancel(self, intent: PaymentIntent, reason: str | None) -> None:
        intent.status = "canceled"
        intent.canceled_at = self.clock.now()
        intent.cancellation_reason = reason
        intent.amount_capturable = 0
        intent.next_action = None
        self._emit("payment_intent.canceled", intent)

    def _emit(self, event_type: str, source) -> None:
        endpoints = [endpoint for endpoint in self.endpoints.values() if endpoint.wants(event_type)]
        event = {
            "id": new_id("evt_"),
            "object": "event",
            "api_version": API_VERSION,
            "created": self.clock.now(),
            "data": {"object": source.as_json()},
            "livemode": False,
            "pending_webhooks": len(endpoints),
            "request": {"id": None, "idempotency_key": None},
            "type": event_type,
        }
        self.events.append(event)
        self.deliver(copy.deepcopy(event), endpoints)
