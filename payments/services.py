"""Every write the payments app makes: starting a payment, applying what the provider says,
settling the money once its order is decided, and what staff record by hand.

Two rules hold everywhere:

- **One skeleton makes every move** (`_move`): on the payment's row, locked together with its
  order's (the order first: checkout's moves lock the order and then, in their receivers, its
  payments; the same order here means a webhook and a cancellation never wait on each other),
  it asks payments.lifecycle's table, writes the move's ledger entry under a unique key,
  saves the new state and sends the move's signal, all in one transaction. A move already
  made, or not allowed from where the payment is (events arrive late, twice, out of order),
  changes nothing and sends nothing.
- **No I/O inside a transaction.** A provider call is made with nothing locked and nothing
  open: the payment is saved and committed first, the provider is called (with an
  idempotency key named after what the call is for), and its answer is then applied through
  the same code a webhook's is (`_apply_intent`, `_apply_session`, `_apply_refund`). Work
  that must follow a commit (taking the money once the order is confirmed) is a task queued
  in the same transaction (`settle_payment`), which runs after it commits.
"""

import logging
from datetime import timedelta
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import provider
from .lifecycle import MOVES, Kind, Status
from .models import LedgerEntry, Method, Payment, ProviderEvent
from .signals import payment_started

logger = logging.getLogger(__name__)

STRIPE = "stripe"

# A card payment still undecided this long after it began is asked about (reconcile): its
# webhook may have been lost. Stripe retries a webhook for days; the shopper should not wait.
RECONCILE_AFTER = timedelta(minutes=5)
# How many payments one reconciliation round asks about: the rest wait for the next round.
RECONCILE_BATCH = 100

# The events whose object the webhook applies; any other is recorded and left alone.
EVENTS = {
    "checkout.session.completed",
    "checkout.session.expired",
    "payment_intent.amount_capturable_updated",
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.canceled",
    "refund.created",
    "refund.updated",
}


class PaymentError(Exception):
    """A payment action that cannot happen. The message is written for the customer or staff."""


def _tasks():
    """The app's tasks, which call this module: imported when first queued (no cycle)."""
    from . import tasks

    return tasks


def _orders():
    return apps.get_model("checkout", "Order").objects


# The skeleton -------------------------------------------------------------------------------


def _lock(payment: Payment | int) -> Payment:
    """The payment, its row locked after its order's, with `payment.order` the locked order."""
    pk = payment if isinstance(payment, int) else payment.pk
    # Found through the payment and locked in one query; of=("self",): the order's row only.
    order = _orders().select_for_update(of=("self",)).get(payments__pk=pk)
    payment = Payment.objects.select_for_update().get(pk=pk)
    payment.order = order
    return payment


def _move(
    payment: Payment,
    move: str,
    *,
    amount: Decimal = Decimal("0"),
    key: str = "",
    reference: str = "",
    note: str = "",
) -> LedgerEntry | None:
    """Make `move` (a row of payments.lifecycle.MOVES) on the locked `payment`, if the table
    allows it from the payment's state; record its ledger entry under `key` (by default, one
    per payment and move), save, and send its signal. Returns the entry, or None when nothing
    moved: made already (its key is in the ledger) or not allowed from here."""
    step = MOVES[move]
    key = key or f"payment.{payment.pk}.{step.kind}"
    if step.is_made(payment.status) or not step.allows(payment.status):
        return None
    entry = None
    if step.kind is not None:
        if LedgerEntry.objects.filter(key=key).exists():
            return None
        entry = LedgerEntry.objects.create(
            payment=payment,
            kind=step.kind,
            amount=amount,
            reference=reference,
            key=key,
            note=note[: LedgerEntry._meta.get_field("note").max_length],
        )
    payment.status = step.to
    payment.save(update_fields=["status", "intent_id", "updated_at"])
    if step.signal is not None:
        step.signal.send(sender=Payment, payment=payment, entry=entry)
    return entry


def _money_arrived(payment: Payment, move: str, amount: Decimal, reference: str) -> None:
    """Record an authorization or a capture. The move's signal confirms a waiting order
    (checkout listens, and the order's confirmation settles its money); for an order decided
    before this money came (cancelled meanwhile, or paid by another payment) nobody moves,
    so the money is settled from here."""
    waiting = payment.order.awaits_payment
    moved = _move(payment, move, amount=amount, reference=reference) is not None
    if moved and not waiting and _owed(payment) is not None:
        settle_later(payment)


def settle_later(payment: Payment) -> None:
    """Queue `settle` for the payment, in the current transaction: it runs once it commits."""
    _tasks().settle_payment.enqueue(payment.pk)


# Applying what the provider says --------------------------------------------------------------


def _amount(obj: dict, field: str) -> Decimal:
    return provider.from_minor_units(obj[field], obj["currency"])


def _apply_intent(payment: Payment, intent: dict) -> None:
    """Apply a PaymentIntent's state (from a webhook, an answer or a retrieval) to the locked
    payment, as far as the table allows: an old state heard late moves nothing back."""
    if payment.intent_id not in ("", intent["id"]):
        logger.error("%s belongs to %s, not %s: ignored.", payment, payment.intent_id, intent["id"])
        return
    payment.intent_id = intent["id"]
    status = intent["status"]
    if status == "requires_capture":
        _money_arrived(payment, "authorize", _amount(intent, "amount_capturable"), intent["id"])
    elif status == "succeeded":
        taken = _amount(intent, "amount_received")
        # Heard of before its authorization (events reordered, or a lost webhook): a card's
        # money is held before it is taken, and the ledger says so.
        _money_arrived(payment, "authorize", taken, intent["id"])
        _money_arrived(payment, "capture", taken, intent["id"])
    elif status == "canceled":
        if payment.status == Status.AUTHORIZED:
            _move(payment, "void", amount=_amount(intent, "amount"), reference=intent["id"])
        else:
            _move(payment, "expire")
    elif status == "requires_payment_method" and intent.get("last_payment_error"):
        reason = intent["last_payment_error"].get("message") or "The payment was refused."
        _move(
            payment, "fail", amount=_amount(intent, "amount"), reference=intent["id"], note=reason
        )


def _apply_session(payment: Payment, session: dict) -> None:
    """Apply a Checkout Session's state, and its PaymentIntent's when it comes expanded."""
    if payment.session_id not in ("", session["id"]):
        logger.error(
            "%s has session %s, not %s: ignored.", payment, payment.session_id, session["id"]
        )
        return
    intent = session.get("payment_intent")
    if isinstance(intent, dict):
        _apply_intent(payment, intent)
    elif session["status"] == "complete" and intent:
        # Manual capture: a completed session's money is held ("unpaid"), not yet taken.
        move = "capture" if session["payment_status"] == "paid" else "authorize"
        if payment.intent_id in ("", intent):
            payment.intent_id = intent
            _money_arrived(payment, move, _amount(session, "amount_total"), intent)
    if session["status"] == "expired":
        _move(payment, "expire")


def _apply_refund(payment: Payment, refund: dict) -> LedgerEntry | None:
    """Record a refund the provider made, under the key the shop gave it (in its metadata)
    or, for one made elsewhere (Stripe's dashboard), the provider's own id."""
    if refund.get("status") not in ("succeeded", "pending"):
        return None
    amount = _amount(refund, "amount")
    key = (refund.get("metadata") or {}).get("ledger_key") or f"stripe.refund.{refund['id']}"
    note = (refund.get("metadata") or {}).get("reason", "")
    # Everything captured given back: the payment is refunded; less, partly refunded.
    rest = payment.totals().refundable - amount
    move = "refund" if rest <= 0 else "refund_part"
    return _move(payment, move, amount=amount, key=key, reference=refund["id"], note=note)


# How each kind of object the events carry is applied to its payment.
APPLY = {
    "checkout.session": _apply_session,
    "payment_intent": _apply_intent,
    "refund": _apply_refund,
}


def _payment_id(obj: dict) -> int | None:
    """The payment a provider's object is about: the id the shop put in its metadata, else
    the payment that knows the object by its id."""
    named = (obj.get("metadata") or {}).get("payment", "")
    if named.isdigit():
        return int(named)
    kind = obj.get("object")
    found = Payment.objects.none()
    if kind == "checkout.session":
        found = Payment.objects.filter(session_id=obj["id"])
    elif kind == "payment_intent":
        found = Payment.objects.filter(intent_id=obj["id"])
    elif kind == "refund" and obj.get("payment_intent"):
        found = Payment.objects.filter(intent_id=obj["payment_intent"])
    return found.values_list("pk", flat=True).first()


def apply_event(*, event: dict) -> bool:
    """Apply one of Stripe's events (verified by the caller: the webhook view), once.

    The event's id is recorded in the same transaction as its effect, so a delivery repeated,
    or racing its twin on another worker, finds it recorded and does nothing; an event about
    no payment of the shop's is recorded and left. Returns whether the event was new.
    """
    obj = event["data"]["object"]
    payment_id = _payment_id(obj) if event["type"] in EVENTS else None
    with transaction.atomic():
        # The payment first: two deliveries of one event queue here, and the second then
        # finds the first's record.
        try:
            payment = _lock(payment_id) if payment_id is not None else None
        except ObjectDoesNotExist:  # the metadata names a payment the shop does not have
            payment = None
        record = {"provider": STRIPE, "event_id": event["id"]}
        if payment is None:  # recorded, nothing to apply; get_or_create settles a twin's race
            _, new = ProviderEvent.objects.get_or_create(**record, defaults={"type": event["type"]})
            return new
        # Under the payment's lock a look and an insert suffice: no twin can come between them
        # (and the unique constraint stands behind it).
        new = not ProviderEvent.objects.filter(**record).exists()
        if new:
            ProviderEvent.objects.create(**record, type=event["type"])
            APPLY[obj["object"]](payment, obj)
    return new


# Starting a payment -----------------------------------------------------------------------


def payment_start(*, order_id: int, customer, method: str) -> Payment:
    """Begin a payment of `method` for the customer's order, for its stored total.

    The amount and currency are the order's, read here on the server under the order's lock;
    nothing of the request's is used. Refused with `PaymentError` (changing nothing) when the
    method is not offered, the order awaits no payment (confirmed, cancelled) or is already
    paid. Choosing bank transfer again finds the transfer already awaited. Sends
    `payment_started` for a new payment. Raises the order model's DoesNotExist for an order
    that is not the customer's.
    """
    if method not in settings.PAYMENT_METHODS:
        raise PaymentError("That way of paying is not offered.")
    with transaction.atomic():
        order = _orders().select_for_update().get(pk=order_id, customer=customer)
        if not order.awaits_payment:
            raise PaymentError(
                f"{order} awaits no payment: it is {order.get_status_display().lower()}."
            )
        if order.payments.holding().exists():
            raise PaymentError(f"{order} is paid already.")
        if order.total_price <= 0:
            raise PaymentError(f"{order} costs nothing: there is nothing to pay.")
        fields = {"amount": order.total_price, "currency": order.currency}
        if method == Method.BANK_TRANSFER:
            payment, new = Payment.objects.get_or_create(
                order=order, method=method, status=Status.PENDING, defaults=fields
            )
        else:
            # Each card attempt is a payment of its own, with a page of its own.
            payment = Payment.objects.create(order=order, method=method, provider=STRIPE, **fields)
            new = True
        if new:
            payment_started.send(sender=Payment, payment=payment)
    return payment


def card_checkout(*, payment: Payment, success_url: str, cancel_url: str) -> str:
    """Open the provider's payment page for a new card payment; return its address.

    Called after `payment_start` committed. If the provider cannot be reached, the payment is
    let go (expired: nothing was asked of anyone) and `PaymentError` says so, in words for the
    shopper: an outage costs a retry, never a charge.
    """
    try:
        session = provider.create_session(
            payment=payment,
            description=f"{settings.SHOP_NAME}: order #{payment.order_id}",
            success_url=success_url,
            cancel_url=cancel_url,
        )
    except (provider.ProviderUnavailable, provider.ProviderRefused) as error:
        logger.warning("No Checkout Session for %s: %s", payment, error)
        with transaction.atomic():
            _move(_lock(payment), "expire")
        other = (
            " or pay by bank transfer" if Method.BANK_TRANSFER in settings.PAYMENT_METHODS else ""
        )
        raise PaymentError(
            "Card payments cannot be reached right now. Nothing was charged: please try "
            f"again in a few minutes{other}."
        ) from None
    Payment.objects.filter(pk=payment.pk, session_id="").update(session_id=session.id)
    return session.url


# Asking the provider --------------------------------------------------------------------------


def payment_sync(*, payment: Payment) -> Payment:
    """Ask the provider what became of a card payment and apply it, as a webhook would.

    For the shopper back from the provider's page (never trusting the redirect itself) and for
    reconciliation. A provider that cannot be reached leaves the payment as it was.
    """
    if payment.provider != STRIPE or not payment.session_id:
        return payment
    try:
        session = provider.retrieve_session(payment.session_id).to_dict()
    except (provider.ProviderUnavailable, provider.ProviderRefused) as error:
        logger.warning("Could not ask about %s: %s", payment, error)
        return payment
    with transaction.atomic():
        payment = _lock(payment)
        _apply_session(payment, session)
    return payment


def _first_to_pay(payment: Payment) -> bool:
    """Whether `payment` is the one that pays its order: of its order's payments, the first
    whose money was held or taken (two pages opened at once may both be paid)."""
    first = (
        LedgerEntry.objects.filter(
            payment__order_id=payment.order_id, kind__in=(Kind.AUTHORIZED, Kind.CAPTURED)
        )
        .order_by("pk")
        .values_list("payment_id", flat=True)
        .first()
    )
    return first == payment.pk


def _owed(payment: Payment) -> str | None:
    """What the provider must still do with a card payment's money, given its order: capture
    it (the order is confirmed), void it (cancelled, or paid by another payment), refund what
    is left of it (a paid order cancelled), or nothing."""
    if payment.status not in (Status.AUTHORIZED, Status.CAPTURED, Status.PARTIALLY_REFUNDED):
        return None
    order = payment.order
    unwanted = order.status == order.Status.CANCELLED or not _first_to_pay(payment)
    if payment.status == Status.AUTHORIZED:
        return "void" if unwanted else "capture" if order.was_confirmed else None
    return "refund" if unwanted else None


def settle(*, payment: Payment | int) -> str | None:
    """Make the provider do what a card payment's order says of its money (`_owed`), and
    record the outcome. Safe to run any number of times, at once too: each call carries the
    same idempotency key, and the outcome is recorded once. Returns what was done, if anything.

    The `settle_payment` task runs it after the transaction that decided the order commits;
    reconciliation runs it again for any payment a lost task left behind.
    """
    pk = payment if isinstance(payment, int) else payment.pk
    payment = Payment.objects.select_related("order").get(pk=pk)
    action = _owed(payment) if payment.provider == STRIPE else None
    if action is None:
        return None
    key = f"payments.payment.{payment.pk}.{action}"
    try:
        if action == "capture":
            answer = provider.capture(intent_id=payment.intent_id, key=key)
        elif action == "void":
            answer = provider.void(intent_id=payment.intent_id, key=key)
        else:
            answer = provider.refund(
                intent_id=payment.intent_id,
                amount=payment.totals().refundable,
                currency=payment.currency,
                key=key,
                reason=f"Order #{payment.order_id} was cancelled.",
            )
    except provider.ProviderRefused as refusal:
        # Done already (by a twin of this call), or undone (an authorization lapsed): the
        # provider's state is the truth, and is applied.
        logger.info("%s: %s refused (%s); asking for its state.", payment, action, refusal)
        payment_sync(payment=payment)
        return None
    except provider.ProviderUnavailable as error:
        logger.warning("%s: %s must wait for the provider (%s).", payment, action, error)
        return None
    with transaction.atomic():
        locked = _lock(payment)
        if action == "refund":
            _apply_refund(locked, answer.to_dict())
        else:
            _apply_intent(locked, answer.to_dict())
    return action


def settle_order(*, order) -> None:
    """The order just moved (confirmed or cancelled, in the caller's transaction, its row
    locked): its payments follow. Card money is captured, voided or refunded by a task after
    the commit; a bank transfer still awaited for an order decided otherwise is let go."""
    for payment in Payment.objects.select_for_update().filter(order=order).order_by("pk"):
        payment.order = order
        if payment.provider != STRIPE:
            if payment.is_pending and not order.awaits_payment:
                _move(payment, "expire")
        elif payment.status == Status.AUTHORIZED or (
            order.status == order.Status.CANCELLED
            and payment.status in (Status.CAPTURED, Status.PARTIALLY_REFUNDED)
        ):
            settle_later(payment)


def reconcile() -> dict[str, int]:
    """One round of reconciliation: ask the provider about card payments undecided for longer
    than `RECONCILE_AFTER` (their webhook may be lost), and settle again the money of orders
    decided that long ago whose settling task was lost. Returns how many of each it tried."""
    before = timezone.now() - RECONCILE_AFTER
    cards = Payment.objects.filter(provider=STRIPE, updated_at__lt=before)
    # Refused is not decided: the page stays open for another card.
    undecided = cards.filter(status__in=(Status.PENDING, Status.FAILED)).order_by("updated_at")
    asked = 0
    for payment in undecided.exclude(session_id="")[:RECONCILE_BATCH]:
        payment_sync(payment=payment)
        asked += 1
    # A payment whose page was never opened (the provider failed to answer) is let go once no
    # page made for it can still be open.
    forgotten = undecided.filter(
        session_id="", created_at__lt=timezone.now() - provider.SESSION_LIFETIME - RECONCILE_AFTER
    )
    for payment in forgotten[:RECONCILE_BATCH]:
        with transaction.atomic():
            _move(_lock(payment), "expire")
    owed = cards.filter(
        Q(status=Status.AUTHORIZED)
        | Q(
            status__in=(Status.CAPTURED, Status.PARTIALLY_REFUNDED),
            order__status=_orders().model.Status.CANCELLED,
        )
    ).order_by("updated_at")
    settled = sum(settle(payment=payment) is not None for payment in owed[:RECONCILE_BATCH])
    return {"asked": asked, "settled": settled}


# What staff record --------------------------------------------------------------------------


def transfer_received(*, payment: Payment) -> Payment:
    """Record that a bank transfer's money arrived in full: its order is then confirmed
    (checkout hears `payment_captured`). Staff's action in the admin, like Mark shipped.

    Idempotent: recording it again changes nothing. Refused with `PaymentError` for a card
    payment, or one not awaiting its money.
    """
    if payment.method != Method.BANK_TRANSFER:
        raise PaymentError(f"{payment} is not a bank transfer.")
    with transaction.atomic():
        payment = _lock(payment)
        step = MOVES["capture"]
        if not (step.allows(payment.status) or step.is_made(payment.status)):
            raise PaymentError(f"{payment} is {payment.get_status_display().lower()}.")
        _money_arrived(payment, "capture", payment.amount, payment.reference)
    return payment


def refund(*, payment: Payment, amount: Decimal, key: str, reason: str = "") -> Payment:
    """Give `amount` of a paid payment back: through the provider for a card (its answer
    recorded), or recorded as sent by staff for a bank transfer. `key` names this refund
    (the admin's form makes one per refund asked for), so a form sent twice refunds once.

    Refused with `PaymentError` (nothing changed) for an amount of nothing or more than is
    left to refund, or when the provider refuses or cannot be reached.
    """
    refundable = payment.totals().refundable
    if amount <= 0 or amount > refundable:
        raise PaymentError(f"{payment}: a refund is more than nothing and at most {refundable}.")
    if payment.provider == STRIPE:
        try:
            answer = provider.refund(
                intent_id=payment.intent_id,
                amount=amount,
                currency=payment.currency,
                key=key,
                reason=reason,
            )
        except provider.ProviderRefused as refusal:
            raise PaymentError(f"{payment}: Stripe refused the refund: {refusal}") from None
        except provider.ProviderUnavailable:
            raise PaymentError(
                f"{payment}: Stripe cannot be reached. Nothing was refunded; try again later."
            ) from None
        with transaction.atomic():
            payment = _lock(payment)
            _apply_refund(payment, answer.to_dict())
        return payment
    with transaction.atomic():
        payment = _lock(payment)
        if amount > payment.totals().refundable:
            raise PaymentError(f"{payment}: that is more than is left to refund.")
        rest = payment.totals().refundable - amount
        _move(
            payment,
            "refund" if rest <= 0 else "refund_part",
            amount=amount,
            key=key,
            note=reason,
        )
    return payment
