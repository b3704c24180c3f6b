"""The dashboard's demo for `manage.py seed_demo`: a member of staff to sign in as, and a
month of trade for the dashboard to show (orders of a few customers, some to ship, some
cancelled; a failed mail; people waiting for sold-out products).

Written as the history it is, as checkout's demo writes its orders, rather than replayed
through the services: replaying would mail every customer and take stock again each time.
Running it again adds nothing twice.
"""

import random
from datetime import timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from checkout.pricing import amounts_for

# Printed by seed_demo and given in the README: a demo account for development only.
STAFF = "owner"
PASSWORD = "demo-owner-2026"

# (username, name, city, postal code, country)
CUSTOMERS = [
    ("demo-ada", "Ada Lovelace", "London", "SW1Y 4JH", "GB"),
    ("demo-grace", "Grace Hopper", "Arlington", "22201", "US"),
    ("demo-alan", "Alan Turing", "Manchester", "M13 9PL", "GB"),
    ("demo-katherine", "Katherine Johnson", "Hampton", "23666", "US"),
    ("demo-hedy", "Hedy Lamarr", "Vienna", "1010", "AT"),
    ("demo-tim", "Tim Berners-Lee", "Geneva", "1211", "CH"),
    ("demo-margaret", "Margaret Hamilton", "Cambridge", "02139", "US"),
    ("demo-linus", "Linus Pauling", "Portland", "97201", "US"),
]
ORDERS = 90  # over the last DAYS days
DAYS = 30
CARRIERS = ["DHL", "UPS", "Royal Mail", "DPD"]
# Sold-out products of the catalog's demo, and the addresses waiting for each.
WAITING = {
    "beeswax-candle-pair": ["ada@example.com", "alan@example.com", "hedy@example.com"],
    "copper-watering-can": ["grace@example.com"],
}


def seed(*, stdout) -> None:
    staff = _staff()
    orders = _month_of_orders()
    _failed_mail()
    _waiting()
    stdout.write(
        f"dashboard: demo staff {staff}; sign in at /admin/ as {STAFF} / {PASSWORD}; "
        + (
            f"{orders} demo orders of the last {DAYS} days added."
            if orders
            else "demo orders already there."
        )
    )


def _staff() -> str:
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=STAFF,
        defaults={
            "email": "owner@example.com",
            "first_name": "Olive",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    # The credentials printed above must work, even after someone changed the password.
    if not user.check_password(PASSWORD):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return "added" if created else "already there"


def _month_of_orders() -> int:
    Order = apps.get_model("checkout", "Order")
    OrderLine = apps.get_model("checkout", "OrderLine")
    Product = apps.get_model("catalog", "Product")
    if Order.objects.filter(customer__username__in=[c[0] for c in CUSTOMERS]).exists():
        return 0
    products = list(Product.objects.filter(quantity__gt=0).order_by("pk"))
    if not products:
        return 0  # no catalog demo: nothing sensible to order
    customers = _customers()
    rng = random.Random(27)  # the same month every time
    now = timezone.now()
    for _ in range(ORDERS):
        # More orders lately, as in a shop that grows: ages lean towards today.
        placed = now - timedelta(hours=DAYS * 24 * rng.random() ** 1.3)
        customer, (_, name, city, postal_code, country) = rng.choice(customers)
        lines = [(p, rng.choice([1, 1, 1, 2, 3])) for p in rng.sample(products, rng.randint(1, 3))]
        amounts = amounts_for(sum(product.price * quantity for product, quantity in lines))
        order = Order.objects.create(
            customer=customer,
            **_life(placed, now, rng),
            **amounts.order_fields(),
            shipping_name=name,
            address_line1=f"{rng.randint(1, 120)} High Street",
            city=city,
            postal_code=postal_code,
            country=country,
        )
        OrderLine.objects.bulk_create(
            OrderLine(order=order, product=p, product_name=p.name, quantity=q, unit_price=p.price)
            for p, q in lines
        )
        # created_at is set on insert (auto_now_add): move it back to when it was placed.
        Order.objects.filter(pk=order.pk).update(created_at=placed, updated_at=now)
    return ORDERS


def _life(placed, now, rng) -> dict:
    """The state an order placed at `placed` has reached by `now`, with the time of each
    move: most delivered, the newest confirmed (to ship) or not yet, a few cancelled."""
    Status = apps.get_model("checkout", "Order").Status
    age = now - placed
    roll = rng.random()
    confirmed = placed + timedelta(minutes=rng.randint(2, 90))
    if roll < 0.07 or confirmed > now:
        # Cancelled, or not confirmed yet.
        if roll < 0.07 and confirmed < now:
            return {
                "status": Status.CANCELLED,
                "confirmed_at": confirmed,
                "cancelled_at": min(confirmed + timedelta(hours=3), now),
            }
        return {"status": Status.PLACED}
    if age < timedelta(days=2) or (age < timedelta(days=4) and roll < 0.5):
        return {"status": Status.CONFIRMED, "confirmed_at": confirmed}
    shipped = {
        "confirmed_at": confirmed,
        "shipped_at": confirmed + timedelta(days=1, hours=rng.randint(1, 8)),
        "carrier": rng.choice(CARRIERS),
        "tracking_number": f"DEMO{rng.randint(10**9, 10**10 - 1)}",
    }
    delivered = shipped["shipped_at"] + timedelta(days=rng.randint(1, 3))
    if delivered > now:
        return {"status": Status.SHIPPED, **shipped}
    return {"status": Status.DELIVERED, **shipped, "delivered_at": delivered}


def _customers() -> list:
    User = get_user_model()
    customers = []
    for row in CUSTOMERS:
        username, name = row[0], row[1]
        first, _, last = name.partition(" ")
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username.removeprefix('demo-')}@example.com",
                "first_name": first,
                "last_name": last,
            },
        )
        if created:
            user.set_unusable_password()  # customers of the demo's past: nobody signs in as them
            user.save(update_fields=["password"])
        customers.append((user, row))
    return customers


def _failed_mail() -> None:
    """A shipping mail the outbox gave up on: the customer's address refused it."""
    OutboundEmail = apps.get_model("outbox", "OutboundEmail")
    OutboundEmail.objects.get_or_create(
        key="dashboard.demo.failed-mail",
        defaults={
            "to": "katherine@example.invalid",
            "subject": "Your order is on its way",
            "text_body": "Hello Katherine,\n\nyour order is on its way.",
            "html_body": "<p>Hello Katherine,</p><p>your order is on its way.</p>",
            "status": OutboundEmail.Status.FAILED,
            "attempts": 6,
            "last_error": "Attempt 6: SMTPRecipientsRefused: 550 5.1.1 katherine@example.invalid: no such mailbox",
        },
    )


def _waiting() -> None:
    Product = apps.get_model("catalog", "Product")
    StockSubscription = apps.get_model("alerts", "StockSubscription")
    for product in Product.objects.filter(slug__in=WAITING, quantity=0):
        for email in WAITING[product.slug]:
            StockSubscription.objects.get_or_create(product=product, email=email, notified_at=None)
