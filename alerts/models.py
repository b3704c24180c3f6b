"""Who waits for what: back-in-stock subscriptions, and the low-stock alerts sent to staff."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class StockSubscriptionQuerySet(models.QuerySet["StockSubscription"]):
    def waiting(self):
        """Subscriptions not yet answered: the next return to stock mails them."""
        return self.filter(notified_at__isnull=True)

    def for_user(self, user):
        """A user's subscriptions: made signed in, or made with their e-mail address once they
        have verified it (an address anyone can type at sign-up gives nothing until then)."""
        mine = Q(user=user)
        if user.has_verified_email:
            mine |= Q(email=normalize_email(user.email))
        return self.filter(mine)


def normalize_email(address: str) -> str:
    # One form per mailbox, so "Ada@Example.com" and "ada@example.com" are one subscription.
    return address.strip().casefold()


class StockSubscription(models.Model):
    """Someone waiting for a sold-out product: one e-mail when it is back, then it is done.

    Made by a signed-in shopper in one click, or by a visitor once they followed the link
    e-mailed to the address they gave (so nobody subscribes someone else). A visitor's request
    is not stored until then: the link carries it, signed.
    """

    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stock_subscriptions",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    objects = StockSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Subscribing twice is one subscription: one waiting per product and address.
            models.UniqueConstraint(
                fields=["product", "email"],
                condition=Q(notified_at__isnull=True),
                name="stock_subscription_one_waiting",
            ),
        ]

    def __str__(self):
        return f"{self.email} waits for {self.product}"


class UsedConfirmationLink(models.Model):
    """A visitor's confirmation link that has been followed: each link confirms once.

    Apart from the subscription it made, which is answered or cancelled (deleted) later and
    must not be made again by the same link either way. Only a digest of the link is kept.
    """

    digest = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Link {self.digest[:12]}… used {self.used_at:%Y-%m-%d %H:%M}"


class LowStockAlert(models.Model):
    """A product's stock crossed LOW_STOCK_THRESHOLD downward, and staff were told."""

    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    quantity = models.IntegerField("units left")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.product}: {self.quantity} left"
