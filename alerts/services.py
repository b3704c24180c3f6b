"""Every write the alerts app makes: subscriptions and their confirmation, and the mail the
shop's events cause (back in stock, low stock, an order's progress).

All mail goes through the outbox (`queue_email`) in the transaction of the change that causes
it, with a key naming that change, so each is sent exactly once.
"""

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from outbox.services import queue_email

from .models import LowStockAlert, StockSubscription, UsedConfirmationLink, normalize_email

# How long a visitor's confirmation link works.
CONFIRMATION_MAX_AGE = 60 * 60 * 24 * 3
CONFIRMATION_SALT = "alerts.stock-subscription"
# What a link followed again says: it made its subscription once (UsedConfirmationLink).
USED_LINK = (
    "This link was already used, so following it again changes nothing. To be e-mailed when "
    "the product is back, ask again on its page."
)


class AlertError(Exception):
    """A subscription that cannot be made. The message is written for the shopper."""


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _refuse_if_in_stock(product) -> None:
    # Asked of the database: the instance may have been read before the last sale or restock.
    if type(product).objects.filter(pk=product.pk, quantity__gt=0).exists():
        raise AlertError(f"Good news: {product.name} is in stock now, no need to wait.")


def subscribe(*, product, email: str, user=None) -> tuple[StockSubscription, bool]:
    """Put `email` on the list for `product`; return the subscription and whether it is new.

    Only for a sold-out product. Subscribing again while waiting is the same subscription (the
    database allows one waiting per product and address; get_or_create settles a race).
    """
    _refuse_if_in_stock(product)
    return StockSubscription.objects.waiting().get_or_create(
        product=product, email=normalize_email(email), defaults={"user": user}
    )


def unsubscribe(*, subscription: StockSubscription) -> None:
    subscription.delete()


def confirmation_token(*, product, email: str) -> str:
    """The signed request a visitor's confirmation link carries: which product, which address."""
    return signing.dumps(
        {"product": product.pk, "email": normalize_email(email)}, salt=CONFIRMATION_SALT
    )


def read_confirmation_token(token: str) -> dict:
    """The request a link carries; raises `AlertError` if it was altered or has expired."""
    try:
        return signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired:
        raise AlertError("This link has expired. Please ask again on the product's page.") from None
    except signing.BadSignature:
        raise AlertError(
            "This link is not valid. Please copy the whole link from the e-mail."
        ) from None


def _link_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def confirmation_used(token: str) -> bool:
    """Whether the link carrying `token` has made its subscription already."""
    return UsedConfirmationLink.objects.filter(digest=_link_digest(token)).exists()


def subscribe_confirmed(*, token: str, product, email: str) -> tuple[StockSubscription, bool]:
    """Make the subscription a visitor's link asks for (`read_confirmation_token(token)` gave
    `product` and `email`), as `subscribe` does; the link is used up with it.

    Raises `AlertError`, making nothing, for a link used before (whatever became of its
    subscription: answered, cancelled) and for a product in stock (the link is then left
    unused, for when it sells out again). The link's digest is unique: of two posts racing
    with one link, one makes the subscription.
    """
    with transaction.atomic():
        _, first_use = UsedConfirmationLink.objects.get_or_create(digest=_link_digest(token))
        if not first_use:
            raise AlertError(USED_LINK)
        return subscribe(product=product, email=email)


def request_confirmation(*, product, email: str) -> None:
    """E-mail a visitor the link that makes their subscription, so only the mailbox's owner can.

    Nothing is stored but the mail: the link carries the request, signed.
    """
    _refuse_if_in_stock(product)
    token = confirmation_token(product=product, email=email)
    queue_email(
        # The token changes every second (it is timestamped): asking again later is a new mail,
        # while a double-submitted form is one.
        key=f"alerts.confirm.{_link_digest(token)[:40]}",
        to=normalize_email(email),
        subject=f"Confirm: e-mail me when {product.name} is back",
        template="alerts/email/confirm_subscription",
        context={
            "product": product,
            "confirm_url": _absolute(reverse("alerts:confirm", args=[token])),
            "product_url": _absolute(product.get_absolute_url()),
        },
    )


def notify_subscribers(*, product) -> int:
    """Mail everyone waiting for `product` that it is back, and mark them answered.

    Called inside the transaction that brought the product back; the subscriptions are locked,
    so a second notification racing this one (it cannot, the catalog sends one per return, but
    belt and braces) finds them answered. Returns how many were mailed.
    """
    with transaction.atomic(savepoint=False):
        waiting = list(
            StockSubscription.objects.waiting()
            .filter(product=product)
            .select_for_update()
            .order_by("pk")
        )
        for subscription in waiting:
            queue_email(
                key=f"alerts.subscription.{subscription.pk}.back-in-stock",
                to=subscription.email,
                subject=f"{product.name} is back in stock",
                template="alerts/email/back_in_stock",
                context={
                    "product": product,
                    "product_url": _absolute(product.get_absolute_url()),
                },
            )
        StockSubscription.objects.filter(pk__in=[s.pk for s in waiting]).update(
            notified_at=timezone.now()
        )
    return len(waiting)


def staff_recipients() -> list[str]:
    """SHOP_STAFF_EMAIL, or else every active staff user's e-mail address."""
    if settings.SHOP_STAFF_EMAIL:
        return [settings.SHOP_STAFF_EMAIL]
    staff = get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="")
    return sorted({user.email for user in staff})


def alert_staff(*, product, quantity: int) -> LowStockAlert:
    """Record that `product` ran low and queue one mail to each staff recipient about it."""
    with transaction.atomic(savepoint=False):
        alert = LowStockAlert.objects.create(product=product, quantity=quantity)
        for number, address in enumerate(staff_recipients()):
            queue_email(
                key=f"alerts.low-stock.{alert.pk}.{number}",
                to=address,
                subject=f"Low stock: {product.name} ({quantity} left)",
                template="alerts/email/low_stock",
                context={
                    "product": product,
                    "quantity": quantity,
                    "threshold": settings.LOW_STOCK_THRESHOLD,
                    "admin_url": _absolute(
                        reverse("admin:catalog_product_change", args=[product.pk])
                    ),
                },
            )
    return alert


# What the customer is told at each step of an order: {event: subject}.
ORDER_MAIL_SUBJECTS = {
    "confirmed": "{order} is confirmed",
    "shipped": "{order} is on its way",
    "delivered": "{order} is delivered",
    "cancelled": "{order} is cancelled",
}


def mail_customer(*, order, event: str) -> None:
    """Tell the customer what just happened to their order (`alerts/email/order_<event>`).

    Called inside the transaction of the change, so the mail exists exactly when the change
    does, and the worker sends it after the commit. The key names the order and the event: one
    mail each, however often the event is replayed. A customer without an address gets none.
    """
    if not order.customer.email:
        return
    queue_email(
        key=f"checkout.order.{order.pk}.{event}",
        to=order.customer.email,
        subject=ORDER_MAIL_SUBJECTS[event].format(order=order),
        template=f"alerts/email/order_{event}",
        context={
            "order": order,
            # The order page's order, whatever order the lines were locked in.
            "lines": sorted(order.lines.all(), key=lambda line: (line.product_name, line.pk)),
            "order_url": _absolute(order.get_absolute_url()),
        },
    )


# What the customer is told of their money: {event: subject}.
PAYMENT_MAIL_SUBJECTS = {
    "started": "How to pay for order #{order_id}",
    "captured": "Payment received for order #{order_id}",
    "failed": "Your payment for order #{order_id} did not go through",
    "refunded": "Refund for order #{order_id}",
}


def mail_payment(*, payment, event: str, entry=None) -> None:
    """Tell the customer what just happened to their money (`alerts/email/payment_<event>`):
    a bank transfer's details to pay with, money received, a refusal (with the link to try
    again), a refund.

    Called inside the payment's transaction: the mail exists exactly when the move does. The
    key names the payment and the event, or for a refund (a payment may have several) the
    ledger entry: one mail each, however often the provider tells the shop.
    """
    order = payment.order
    if not order.customer.email:
        return
    named = f"entry.{entry.pk}" if event == "refunded" else f"payment.{payment.pk}"
    queue_email(
        key=f"payments.{named}.{event}",
        to=order.customer.email,
        subject=PAYMENT_MAIL_SUBJECTS[event].format(order_id=order.pk),
        template=f"alerts/email/payment_{event}",
        context={
            "order": order,
            "payment": payment,
            "entry": entry,
            "bank": settings.BANK_TRANSFER,
            "order_url": _absolute(order.get_absolute_url()),
        },
    )
