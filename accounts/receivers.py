"""What the accounts app does when other parts of the system send signals."""

from checkout.signals import SavedAddress

from .models import Customer
from .services import sign_in_attempts_clear


def create_customer_profile(sender, instance, created, raw=False, **kwargs):
    """post_save of the user model: give every new user a customer profile.

    Fixture loading (`raw`) is left alone: the related rows may not exist yet, and
    `manage.py ensure_customers` fills such gaps afterwards. get_or_create, so a second
    call (the admin saving an inline profile, a replayed signal) can never raise.
    """
    if created and not raw:
        Customer.objects.get_or_create(user=instance)


def forget_failed_sign_ins(sender, request, user, **kwargs):
    """user_logged_in: a successful sign-in wipes the attempts counted from that address."""
    if request is not None:
        sign_in_attempts_clear(request=request, username=user.get_username())


def save_shipping_address(sender, order, save_address, **kwargs):
    """order_placed: remember the order's address as the customer's own, when they asked to.

    Runs inside the placing transaction, so the profile and the order change together. The
    name is taken only where the profile has none: a present for someone else must not
    rename the customer.
    """
    if not save_address:
        return
    customer = Customer.objects.for_user(order.customer)
    customer.set_address(order)
    if not customer.display_name:
        customer.display_name = order.shipping_name
    customer.save()


def share_saved_address(sender, customer, **kwargs) -> SavedAddress | None:
    """address_wanted: answer with the address and name the customer keeps on their profile,
    for checkout to fill in (None for a user without a profile)."""
    profile = Customer.objects.filter(user=customer).first()
    if profile is None:
        return None
    return SavedAddress(name=profile.display_name, address=profile)
