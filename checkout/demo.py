"""Demo orders for `manage.py seed_demo`: the demo shopper's history, one order delivered and
one on its way, so the order pages show a whole timeline and a tracking link.

Written as the history it is (past times, final states) rather than replayed through the
services: replaying would mail the shopper and take stock again each time the demo is set up.
"""

from datetime import timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from .forms import ShippingForm
from .models import Order, OrderLine
from .pricing import amounts_for

# The demo shopper that accounts' demo adds (accounts/demo.py).
SHOPPER = "shopper"

# (tracking number, carrier, days ago it was placed, delivered?, [(product slug, quantity)])
ORDERS = [
    ("JD014600006281", "DHL", 12, True, [("enamel-camp-mug", 2), ("linen-tea-towel", 3)]),
    ("1Z999AA10123456784", "UPS", 2, False, [("french-press", 1), ("glass-storage-jar", 4)]),
]


def seed(*, stdout) -> None:
    customer = get_user_model().objects.filter(username=SHOPPER).first()
    if customer is None:
        stdout.write("checkout: no demo shopper, so no demo orders.")
        return
    # Sent where the shopper's saved address says, asked for as the checkout page asks.
    initial = ShippingForm.initial_for(customer)
    shipping = {name: initial.get(name, "") for name in ShippingForm.Meta.fields}
    shipping["shipping_name"] = shipping["shipping_name"] or SHOPPER
    added = 0
    for tracking_number, carrier, days_ago, delivered, lines in ORDERS:
        if Order.objects.filter(customer=customer, tracking_number=tracking_number).exists():
            continue
        products = apps.get_model("catalog", "Product").objects.in_bulk(
            [slug for slug, _ in lines], field_name="slug"
        )
        if len(products) != len(lines):
            continue  # the catalog's demo products were changed: nothing sensible to order
        placed = timezone.now() - timedelta(days=days_ago)
        # The money lines as order_place stores them, at today's settings.
        amounts = amounts_for(sum(products[slug].price * quantity for slug, quantity in lines))
        order = Order.objects.create(
            customer=customer,
            status=Order.Status.DELIVERED if delivered else Order.Status.SHIPPED,
            confirmed_at=placed + timedelta(minutes=3),
            shipped_at=placed + timedelta(days=1, hours=2),
            delivered_at=placed + timedelta(days=3, hours=5) if delivered else None,
            carrier=carrier,
            tracking_number=tracking_number,
            **amounts.order_fields(),
            **shipping,
        )
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                product=products[slug],
                product_name=products[slug].name,
                quantity=quantity,
                unit_price=products[slug].price,
            )
            for slug, quantity in lines
        )
        # created_at is set on insert (auto_now_add): move it back to when it was placed.
        Order.objects.filter(pk=order.pk).update(created_at=placed, updated_at=timezone.now())
        added += 1
    stdout.write(
        f"checkout: {added} demo orders added (one delivered, one shipped) for {SHOPPER}."
        if added
        else "checkout: demo orders already there."
    )
