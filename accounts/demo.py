"""The demo shopper for `manage.py seed_demo`: an account to sign in with, address filled in."""

from django.utils import timezone

from .models import Customer, User

USERNAME = "shopper"
# Printed by seed_demo and given in the README: a demo account for development only.
PASSWORD = "demo-shopper-2026"
PROFILE = {
    "display_name": "Sam Shopper",
    "phone": "+44 20 7946 0018",
    "address_line1": "18 Market Street",
    "city": "Bristol",
    "postal_code": "BS1 1AA",
    "country": "GB",
}


def seed(*, stdout) -> None:
    # Verified, as if the shopper had followed the sign-up mail's link.
    user, created = User.objects.get_or_create(
        username=USERNAME,
        defaults={"email": "shopper@example.com", "email_verified_at": timezone.now()},
    )
    if created:
        customer = Customer.objects.for_user(user)
        for field, value in PROFILE.items():
            setattr(customer, field, value)
        customer.save()
    # The credentials printed below must work, even after someone changed the password.
    if not user.check_password(PASSWORD):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    state = "added" if created else "already there"
    stdout.write(f"accounts: demo shopper {state}; sign in as {USERNAME} / {PASSWORD}")
