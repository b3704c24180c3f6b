"""What the accounts app does when other parts of the system send signals."""

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
