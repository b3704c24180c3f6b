"""Writes the accounts app makes that are more than a form save."""

from .models import Customer, User


def customers_create_missing() -> int:
    """Give every user without a customer profile an empty one; return how many were made.

    Users loaded from fixtures (the receiver ignores raw saves) or created before the receiver
    existed have none. get_or_create per user rather than one bulk insert: a user signing up
    meanwhile gets a profile from the receiver, and that race must neither fail nor be counted.
    """
    created = 0
    for user in User.objects.filter(customer__isnull=True).iterator():
        _, was_created = Customer.objects.get_or_create(user=user)
        created += was_created
    return created
