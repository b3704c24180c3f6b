"""The soak's facts and books, read through the ORM from the soak's own database.

Run in a process whose DATABASE_URL names that database (`python -m loadtest data soak-facts`,
`... data books --since=...`), as the benchmark's data builder is: the harness itself never
opens it. Each returns a JSON-serialisable dict.
"""

from datetime import datetime

from django.db.models import F, Sum
from django.urls import reverse

from blog.models import Comment, Post
from catalog.models import Product
from checkout.models import Order, OrderLine
from outbox.models import OutboundEmail
from payments.models import LedgerEntry

# How many products the shoppers fill their carts from: enough to spread the contention.
CART_PRODUCTS = 40


def soak_facts() -> dict:
    """Products with stock for the shoppers' carts, and posts for their comments."""
    products = Product.objects.filter(quantity__gt=0).order_by("pk")[:CART_PRODUCTS]
    return {
        "cart_add_paths": [
            reverse("checkout:cart_add", args=[pk]) for pk in products.values_list("pk", flat=True)
        ],
        "comment_paths": [
            reverse("blog:comment_create", args=[slug])
            for slug in Post.objects.order_by("pk").values_list("slug", flat=True)
        ],
    }


def stock() -> dict[int, int]:
    return dict(Product.objects.values_list("pk", "quantity"))


def books(*, since: datetime) -> dict:
    """What happened since `since`: stock, units confirmed, and the mail those events owe."""
    confirmed = Order.objects.filter(confirmed_at__gte=since)
    sold = (
        OrderLine.objects.filter(order__in=confirmed.filter(status=Order.Status.CONFIRMED))
        .values("product_id")
        .annotate(units=Sum("quantity"))
    )
    comments = Comment.objects.filter(created_at__gte=since)
    captured = LedgerEntry.objects.filter(kind="captured", created_at__gte=since)
    # The mail the soak's events owe, by the outbox key their senders give it: a comment that
    # should notify its post's author (blog.receivers.notify_post_author), an order confirmed
    # by a customer with an address (alerts.services.mail_customer), a payment received from
    # one (alerts.services.mail_payment).
    owed = {
        "comment": [
            f"blog.comment.{pk}.notify-author"
            for pk in comments.exclude(author=F("post__author"))
            .exclude(post__author__email="")
            .values_list("pk", flat=True)
        ],
        "order": [
            f"checkout.order.{pk}.confirmed"
            for pk in confirmed.exclude(customer__email="").values_list("pk", flat=True)
        ],
        "payment": [
            f"payments.payment.{pk}.captured"
            for pk in captured.exclude(payment__order__customer__email="").values_list(
                "payment_id", flat=True
            )
        ],
    }
    outbox = dict(
        OutboundEmail.objects.filter(
            key__in=[key for keys in owed.values() for key in keys]
        ).values_list("key", "pk")
    )
    return {
        "stock": stock(),
        "sold": {row["product_id"]: row["units"] for row in sold},
        "confirmed": confirmed.count(),
        "expected": {kind: {key: outbox.get(key) for key in keys} for kind, keys in owed.items()},
        "comments": comments.count(),
    }


def mail_waiting(*, since: datetime) -> int:
    """Mail from the soak still on its way (pending, or being sent)."""
    return OutboundEmail.objects.unfinished().filter(created_at__gte=since).count()
