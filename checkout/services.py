"""Every write checkout makes: carts, placing, confirming, shipping, delivering and cancelling
orders.

Views, the admin and the sign-in receiver all come through here, so the rules (stock limits,
idempotent confirmation, the signals) hold whichever door a change comes in by.
"""

from datetime import timedelta
from typing import Literal, cast, overload

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.crypto import salted_hmac

from . import cartsize
from .lifecycle import MOVES, Actor
from .models import CART_SESSION_KEY, Cart, CartItem, Order, OrderLine, units_in
from .pricing import amounts_for
from .signals import order_placed


class CheckoutError(Exception):
    """A checkout action that cannot happen. The message is written for the customer."""


@overload
def cart_for(
    *, user, session, browser: str = "", create: Literal[True], lock: bool = False
) -> Cart: ...
@overload
def cart_for(
    *, user, session, browser: str = "", create: bool = False, lock: bool = False
) -> Cart | None: ...
def cart_for(
    *, user, session, browser: str = "", create: bool = False, lock: bool = False
) -> Cart | None:
    """The signed-in user's cart, or the visitor's cart kept in the session.

    With `create`, a missing cart is made (and a visitor's remembered in the session);
    without, reading a page never writes anything. With `lock`, the cart is read with
    `SELECT … FOR UPDATE` (inside the caller's transaction): found and locked in one query.

    `browser` is a secret every request of the visitor's browser carries: the view gives its
    CSRF cookie, which the page with the form set and without which no add is accepted.
    First adds sent at once all come before any answer could give the browser a session
    cookie; each starts a session of its own, and the browser keeps only one. So a visitor's
    missing cart is found or made by a key derived from `browser`, and all those sessions get
    the same cart. (The page could give newcomers a session instead, but that is a row
    written for every newcomer's view, crawlers' too; the CSRF cookie costs the cached page
    nothing.)
    """
    carts = Cart.objects.select_for_update() if lock else Cart.objects.all()
    if user.is_authenticated:
        if create:
            return carts.get_or_create(user=user)[0]
        return carts.filter(user=user).first()

    cart_id = session.get(CART_SESSION_KEY)
    cart = carts.filter(pk=cart_id, user=None).first() if cart_id else None
    if cart is None and create:
        cart = _browser_cart(carts, browser) if browser else Cart.objects.create()
        session[CART_SESSION_KEY] = cart.pk
    return cart


# How long a visitor's new cart is found by their browser's key: far longer than any add can
# be under way, too short to bring back a cart that stayed with a session gone since.
BROWSER_KEY_LIFETIME = timedelta(minutes=10)


def _browser_cart(carts, browser: str) -> Cart:
    key = salted_hmac("checkout.Cart.browser_key", browser, algorithm="sha256").hexdigest()
    # The key is unique: of first adds racing here, one makes the cart and the others wait
    # for its transaction, then find it.
    cart, created = carts.get_or_create(browser_key=key)
    if not created and timezone.now() - cart.created_at > BROWSER_KEY_LIFETIME:
        # An older cart stays with its session, which has ended: the key goes to a new one.
        Cart.objects.filter(pk=cart.pk).update(browser_key="")
        cart = Cart.objects.create(browser_key=key)
    return cart


def _lock_cart(cart: Cart) -> Cart:
    # One change to a cart at a time: two quick clicks on "Add" must add up, not overwrite.
    return Cart.objects.select_for_update().get(pk=cart.pk)


# How exactly a cart's `updated_at` follows its changes: to the minute. An add within a
# minute of the last one (a shopper filling the cart) leaves it be, a write saved.
CART_TOUCH_INTERVAL = timedelta(minutes=1)


def cart_add(*, user, session, browser: str = "", product_id: int, quantity: int) -> CartItem:
    """Add units of the `catalog.Product` `product_id` to the shopper's cart (made if they
    have none, as by `cart_for`, with `browser`), never more than the shop has in stock.

    Raises the product model's DoesNotExist for an id that is not in the shop, and
    CheckoutError when the stock is short. The item returned holds the product as read, and
    `cart_units`: the units the whole cart holds now, counted under the cart's lock, so the
    answer can show the navbar's count without counting again.
    """
    Product = apps.get_model("catalog", "Product")
    item: CartItem | None
    # Why each of these queries is there, and why no more: docs/writes.md, "Adding to the cart".
    with transaction.atomic(savepoint=False):
        cart = cart_for(user=user, session=session, browser=browser, create=True, lock=True)
        # Read under the cart's lock: the stock as it is now, not as the page showed it.
        cart_units = units_in(cart)
        try:
            item = (
                CartItem.objects.select_related("product")
                .annotate(units=cart_units)
                .get(cart=cart, product__pk=product_id)
            )
            product, in_cart, units = item.product, item.quantity, item.units
        except CartItem.DoesNotExist:
            item, in_cart = None, 0
            # DoesNotExist: not in the shop.
            product = Product.objects.annotate(units=cart_units).get(pk=product_id)
            units = product.units
        if product.is_sold_out:
            refusal = f"Sorry, {product.name} is sold out."
        elif in_cart + quantity > product.quantity:
            already = f" and you already have {in_cart} in your cart" if in_cart else ""
            refusal = (
                f"Only {product.quantity} of {product.name} left{already}: "
                f"you can add at most {product.quantity - in_cart}."
            )
        else:
            if item is None:
                item = CartItem.objects.create(cart=cart, product=product, quantity=quantity)
            else:
                item.quantity = in_cart + quantity
                item.save(update_fields=["quantity"])
            item.cart_units = units + quantity
            if timezone.now() - cart.updated_at >= CART_TOUCH_INTERVAL:
                cart.save(update_fields=["updated_at"])
            # The navbar's count is dropped, not overwritten: a page that counted before this
            # commits could copy its old count over the new one.
            cartsize.forget(cart)
            return item
    # Raised outside the block: the caller's transaction stays usable, as nothing changed.
    raise CheckoutError(refusal)


@transaction.atomic
def cart_set_quantity(*, item: CartItem, quantity: int) -> CartItem:
    """Change a line's quantity. Raising it is limited by stock; lowering it always works."""
    _lock_cart(item.cart)
    item = CartItem.objects.select_related("product").get(pk=item.pk)
    if quantity > item.quantity and quantity > item.product.quantity:
        raise CheckoutError(
            f"Only {item.product.quantity} of {item.product.name} left: "
            f"you can have at most {item.product.quantity}."
        )
    item.quantity = quantity
    item.save(update_fields=["quantity"])
    cartsize.forget(item.cart)
    return item


@transaction.atomic
def cart_remove(*, item: CartItem) -> None:
    _lock_cart(item.cart)
    item.delete()
    cartsize.forget(item.cart)


@transaction.atomic
def cart_merge(*, source: Cart, target: Cart) -> None:
    """Move a visitor's cart into the customer's cart, then delete it.

    Quantities add up, capped at what is in stock; a quantity the customer already had is
    never lowered by the merge (the cart page flags it if it exceeds stock).
    """
    if source.pk == target.pk:
        return
    _lock_cart(target)
    existing = {item.product_id: item for item in target.items.select_related("product")}
    for item in source.items.select_related("product"):
        current = existing.get(item.product_id)
        had = current.quantity if current else 0
        merged = max(had, min(had + item.quantity, item.product.quantity))
        if current is not None:
            if merged != had:
                current.quantity = merged
                current.save(update_fields=["quantity"])
        elif merged > 0:
            CartItem.objects.create(cart=target, product=item.product, quantity=merged)
    cartsize.forget(source)
    cartsize.forget(target)
    source.delete()


@transaction.atomic
def order_place(*, cart: Cart, customer, shipping: dict, save_address: bool = False) -> Order:
    """Turn the cart into an order awaiting confirmation, and empty the cart.

    Prices are copied from the catalog now, never taken from the request, and the money lines
    (shipping, tax, total) are worked out here and stored with the order: the order keeps
    them when the shop's rates change. Stock is not touched: it is taken when the order is
    confirmed. `shipping` holds the address fields
    of `Order` (shipping_name, address_line1, address_line2, city, postal_code, country).
    Publishes `order_placed`; with `save_address`, whoever keeps profiles remembers the
    address as the customer's own (checkout does not know where profiles live).
    """
    cart = _lock_cart(cart)  # a double-submitted form places one order, not two
    items = list(cart.items.with_products())
    if not items:
        raise CheckoutError("Your cart is empty.")
    short = [item for item in items if item.exceeds_stock]
    if short:
        names = ", ".join(
            f"{item.product.name} (only {item.product.quantity} left)" for item in short
        )
        raise CheckoutError(f"Please lower the quantity of {names} before ordering.")

    order = Order.objects.create(
        customer=customer,
        **amounts_for(sum(item.line_total for item in items)).order_fields(),
        **shipping,
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            product=item.product,
            product_name=item.product.name,
            quantity=item.quantity,
            unit_price=item.product.price,
        )
        for item in items
    )
    cart.items.all().delete()
    cartsize.forget(cart)
    order_placed.send(sender=Order, order=order, save_address=save_address)
    return order


def _lock_order(order: Order | int, customer=None) -> Order:
    """Lock the order's row for the transaction and load its lines in product-id order.

    Concurrent confirmations take row locks on products in that same order, so two orders
    sharing products can never wait on each other in a cycle (a deadlock on PostgreSQL).
    With `customer`, only that customer's order is found (Order.DoesNotExist otherwise): the
    ownership check and the lock are one query. The lines come with their products (as read
    now, unlocked), which the customer's page links to: the answer to a confirmation needs
    no query of its own.
    """
    lines = OrderLine.objects.select_related("product").order_by("product_id")
    orders = Order.objects.prefetch_related(Prefetch("lines", queryset=lines))
    if customer is None:
        # of=("self",): lock the order row only, not the customer's user row joined to it.
        orders = orders.select_for_update(of=("self",)).select_related("customer")
    else:
        orders = orders.select_for_update().filter(customer=customer)
    locked = orders.get(pk=order if isinstance(order, int) else order.pk)
    if customer is not None:
        locked.customer = customer  # found by it: the same row, already in hand
    return locked


def _transition(*, order: Order | int, move: str, by: Actor, customer=None, **changes) -> Order:
    """Make `move` (a row of checkout.lifecycle.MOVES) on the order as `by`, and send the
    move's signal, all in one transaction.

    Locked, so two requests making the same move at once make it once; with `customer`, the
    order must be theirs (as `_lock_order`). An order the move was already made on comes back
    unchanged and no signal is sent; a move the table does not let `by` make from the order's
    state is refused with `CheckoutError`. `changes` are the other fields the move sets (a
    shipment's carrier). A receiver may refuse the move by raising: everything rolls back.
    """
    step = MOVES[move]
    with transaction.atomic():
        order = _lock_order(order, customer)
        if step.is_made(order.status):
            return order
        if not step.allows(order.status, by=by):
            raise CheckoutError(step.refusal(order, by=by))

        order.status = step.to
        setattr(order, step.stamp, timezone.now())
        for name, value in changes.items():
            setattr(order, name, value)
        order.save(update_fields=["status", step.stamp, *changes, "updated_at"])
        step.signal.send(sender=Order, order=order)
    return order


def order_confirm(*, order: Order | int, customer=None, by_system: bool = False) -> Order:
    """Confirm a placed order and publish `order_confirmed`, all in one transaction.

    `order` is an order or its id; with `customer`, it must be theirs (Order.DoesNotExist
    otherwise, changing nothing) and is confirmed as the table of moves lets a customer;
    `by_system`, as it lets the system (money arrived: checkout's receivers of the payments
    app's signals); else as it lets staff (the admin).

    Idempotent: an order that is already confirmed (or further on) comes back unchanged and
    no signal is sent, so a replayed payment takes stock once. A receiver refusing the
    confirmation (say, a product ran short) raises `OrderRefused`; everything rolls back and
    the order stays as it was. The order comes back with its lines and their products loaded.
    """
    by: Actor = "customer" if customer is not None else "system" if by_system else "staff"
    return _transition(order=order, move="confirm", by=by, customer=customer)


# What a carrier and a tracking number may be; longer input is refused, not cut.
MAX_CARRIER_LENGTH = cast(int, Order._meta.get_field("carrier").max_length)
MAX_TRACKING_NUMBER_LENGTH = cast(int, Order._meta.get_field("tracking_number").max_length)


def order_ship(*, order: Order, carrier: str, tracking_number: str) -> Order:
    """Record that a confirmed order left with `carrier` under `tracking_number`, and publish
    `order_shipped` in the same transaction (the customer's mail is a receiver's business).

    Idempotent: an order already shipped comes back unchanged, and no second signal is sent.
    An order that is not confirmed yet, cancelled or delivered is refused with `CheckoutError`.
    """
    carrier, tracking_number = " ".join(carrier.split()), tracking_number.strip()
    if not carrier or not tracking_number:
        raise CheckoutError("A shipment needs a carrier and a tracking number.")
    if len(carrier) > MAX_CARRIER_LENGTH or len(tracking_number) > MAX_TRACKING_NUMBER_LENGTH:
        raise CheckoutError(
            f"A carrier has at most {MAX_CARRIER_LENGTH} characters and a tracking number "
            f"at most {MAX_TRACKING_NUMBER_LENGTH}."
        )
    return _transition(
        order=order, move="ship", by="staff", carrier=carrier, tracking_number=tracking_number
    )


def order_deliver(*, order: Order) -> Order:
    """Record that a shipped order reached the customer, and publish `order_delivered`.

    Idempotent: an order already delivered comes back unchanged. Only a shipped order can be
    delivered; anything else is refused with `CheckoutError`.
    """
    return _transition(order=order, move="deliver", by="staff")


def order_cancel(
    *,
    order: Order | int,
    customer=None,
    by_staff: bool = False,
    by_system: bool = False,
    reason: str = "",
) -> Order:
    """Cancel an order and publish `order_cancelled`.

    `order` is an order or its id; with `customer`, it must be theirs (Order.DoesNotExist
    otherwise, changing nothing).

    A customer may cancel from the states the table of moves lets a customer (until the order
    ships), staff (`by_staff`) from those it lets staff (until it is delivered), the system
    (`by_system`: its stock ran out before its money arrived, or it was not paid in time) from
    those it lets the system. `reason`, written for the customer, is kept on the order
    (`cancellation_reason`) for its page and mail. Cancelling twice does nothing more.
    Receivers see `order.was_confirmed` to know whether stock had been taken and must go
    back. The order comes back with its lines and their products loaded.
    """
    by: Actor = "staff" if by_staff else "system" if by_system else "customer"
    return _transition(
        order=order, move="cancel", by=by, customer=customer, cancellation_reason=reason
    )


def cancel_unpaid_orders() -> int:
    """Cancel, as the system, every order still awaiting payment `UNPAID_ORDER_DAYS` after it
    was placed, with the reason for the customer (their mail says it). Each in a transaction
    of its own; one that was paid meanwhile is left alone (the service's lock sees its new
    state). Returns how many were cancelled."""
    days = settings.UNPAID_ORDER_DAYS
    # Awaiting payment: in a state from which money arriving would confirm it.
    overdue = Order.objects.filter(
        status__in=MOVES["confirm"].system, created_at__lt=timezone.now() - timedelta(days=days)
    )
    reason = f"It was not paid within {days} days of being placed."
    cancelled = 0
    for pk in overdue.order_by("pk").values_list("pk", flat=True):
        try:
            order_cancel(order=pk, by_system=True, reason=reason)
        except CheckoutError:  # paid (confirmed) since it was listed
            continue
        cancelled += 1
    return cancelled
