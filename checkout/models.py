from datetime import datetime
from decimal import Decimal
from urllib.parse import quote

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.urls import reverse

from addresses.models import Address

from . import lifecycle
from .pricing import Amounts

# Where a visitor's session keeps the id of its cart.
CART_SESSION_KEY = "cart_id"


class Cart(models.Model):
    """A shopping cart in the database.

    A signed-in customer has exactly one (`user`); a visitor's cart has no user and is found
    through its id in the visitor's session, which survives the session key being cycled at
    sign-in, when the visitor's cart is merged into the customer's.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cart",
    )
    # A visitor's cart: a digest of the CSRF cookie of the browser it was made for, so that
    # first adds sent together, before the browser had a session, find one cart
    # (checkout.services.cart_for).
    browser_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # When a product was last added, to the minute (checkout.services.CART_TOUCH_INTERVAL).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["browser_key"], condition=~Q(browser_key=""), name="cart_one_per_browser"
            ),
        ]

    def __str__(self):
        return f"Cart of {self.user}" if self.user_id else f"Visitor cart #{self.pk}"


class CartItemQuerySet(models.QuerySet["CartItem"]):
    def with_products(self):
        return self.select_related("product").order_by("product__name", "product_id")


def units_in(cart: Cart) -> RawSQL:
    """The units `cart`'s lines hold, as an expression a query can carry along
    (`.annotate(units=units_in(cart))`): summed by the database in that same statement.

    Written in SQL on purpose: the ORM's `Subquery(...Sum("quantity")...)` says the same, but
    compiling it costs about 0.4 ms on every add to cart, four times what the database takes
    to sum the lines.
    """
    quantity = CartItem._meta.get_field("quantity").column
    cart_id = CartItem._meta.get_field("cart").column
    return RawSQL(
        f'SELECT COALESCE(SUM("{quantity}"), 0) FROM "{CartItem._meta.db_table}" '
        f'WHERE "{cart_id}" = %s',
        (cart.pk,),
        output_field=models.IntegerField(),
    )


class CartItem(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])

    objects = CartItemQuerySet.as_manager()
    # The units the whole cart holds, on the item `services.cart_add` returns.
    cart_units: int

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cart", "product"], name="cart_item_unique_product"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="cart_item_quantity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.product}"

    @property
    def line_total(self) -> Decimal:
        return self.product.price * self.quantity

    @property
    def exceeds_stock(self) -> bool:
        return self.quantity > self.product.quantity


# Carriers whose tracking page the shop can link to: {carrier name: URL with {number}}. Any other
# carrier is shown by name with its tracking number, without a link.
TRACKING_URLS = {
    "DHL": "https://www.dhl.com/global-en/home/tracking.html?tracking-id={number}",
    "DPD": "https://track.dpd.co.uk/parcels/{number}",
    "FedEx": "https://www.fedex.com/fedextrack/?trknbr={number}",
    "Royal Mail": "https://www.royalmail.com/track-your-item#/tracking-results/{number}",
    "UPS": "https://www.ups.com/track?tracknum={number}",
    "USPS": "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}",
}


class OrderQuerySet(models.QuerySet["Order"]):
    def for_customer(self, user):
        return self.filter(customer=user)


class Order(Address):
    """A customer's order, and the address it goes to.

    Placing an order copies the cart's lines and prices, and stores its money lines (subtotal,
    shipping, the tax included and the total, in the shop's currency then): an order keeps
    its numbers when the shop's rates change later. It does not touch stock.
    Its payment confirms it (checkout.services.order_confirm, called by checkout's receivers
    of the payments app's signals), which sends `order_confirmed`, and the stock is taken by
    whoever listens (the catalog). `confirmed_at` records that the confirmation
    happened and stays set if the order is later cancelled: that is how a cancellation knows
    the stock has to go back (`was_confirmed`).

    Its life: placed → confirmed → shipped → delivered, or cancelled on the way; who may make
    which move from where is checkout.lifecycle's table. Each move keeps its time, which the
    order page shows as a timeline.
    """

    Status = lifecycle.Status

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLACED)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # Why it was cancelled, in words for the customer, when the system cancelled it.
    cancellation_reason = models.CharField(max_length=300, blank=True)
    carrier = models.CharField(max_length=50, blank=True)
    tracking_number = models.CharField(max_length=64, blank=True)
    # The money lines as they were when the order was placed (checkout.pricing.amounts_for).
    currency = models.CharField(max_length=3)
    subtotal = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    shipping = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    total_price = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    # Prices include tax: `tax` is the part of the total that is tax, at `tax_rate` percent.
    tax = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    tax_rate = models.DecimalField(
        "tax rate (%)",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    # Who the parcel is for; the address itself is Address's fields.
    shipping_name = models.CharField(max_length=150)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="order_customer_recent_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_price__gte=0), name="order_total_not_negative"
            ),
            # A confirmed order has its confirmation's time...
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                name="order_confirmed_has_time",
            ),
            # ...only a confirmed order ships, and a shipped one has its time and tracking...
            models.CheckConstraint(
                condition=~Q(status__in=["shipped", "delivered"])
                | Q(confirmed_at__isnull=False, shipped_at__isnull=False)
                & ~Q(carrier="")
                & ~Q(tracking_number=""),
                name="order_shipped_is_confirmed_and_tracked",
            ),
            # ...and a delivered one its delivery time.
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(delivered_at__isnull=False),
                name="order_delivered_has_time",
            ),
        ]

    def __str__(self):
        return f"Order #{self.pk}"

    def get_absolute_url(self):
        return reverse("checkout:order_detail", kwargs={"pk": self.pk})

    @property
    def amounts(self) -> Amounts:
        """The stored money lines, in the same shape the cart and checkout pages show."""
        return Amounts(
            currency=self.currency,
            subtotal=self.subtotal,
            shipping=self.shipping,
            total=self.total_price,
            tax=self.tax,
            tax_rate=self.tax_rate,
        )

    def can(self, move: str, *, by: lifecycle.Actor = "customer") -> bool:
        """Whether `by` may make `move` (a row of checkout.lifecycle.MOVES) on it now."""
        return lifecycle.MOVES[move].allows(self.status, by=by)

    @property
    def awaits_payment(self) -> bool:
        """Whether money arriving would confirm it now: its page offers to pay for it."""
        return self.can("confirm", by="system")

    @property
    def can_cancel(self) -> bool:
        """Whether the customer may cancel it: the order page's Cancel button."""
        return self.can("cancel")

    @property
    def staff_can_cancel(self) -> bool:
        return self.can("cancel", by="staff")

    @property
    def was_confirmed(self) -> bool:
        """Whether it was ever confirmed (and so its stock taken), even if cancelled since."""
        return self.confirmed_at is not None

    @property
    def tracking_url(self) -> str:
        """The carrier's tracking page for this parcel, when the carrier is one the shop knows."""
        known = {name.casefold(): url for name, url in TRACKING_URLS.items()}
        url = known.get(self.carrier.strip().casefold())
        if not url or not self.tracking_number:
            return ""
        return url.format(number=quote(self.tracking_number, safe=""))

    @property
    def timeline(self) -> list[tuple[str, datetime]]:
        """What happened to the order so far, oldest first: (what, when) pairs, one for its
        placing and one for each move made (named after the state it led to)."""
        stamps = {move.stamp: move.to.label for move in lifecycle.MOVES.values()}
        steps = [("Placed", self.created_at)]
        steps += [(what, getattr(self, stamp)) for stamp, what in stamps.items()]
        return sorted(((what, when) for what, when in steps if when), key=lambda step: step[1])


class OrderLine(models.Model):
    """One product in an order, with the name and unit price as they were when it was placed."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    product_name = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        ordering = ["product_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["order", "product"], name="order_line_unique_product"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="order_line_quantity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.product_name}"

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity
