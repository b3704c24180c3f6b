"""The link that verifies an e-mail address, made when the mail is rendered for delivery.

Like the password reset's: the mail is queued with the user's id only, and this tag makes a
fresh link when the outbox delivers it, so the link is never stored where staff can read it.
"""

from django import template
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from ..services import email_verification_token

register = template.Library()


@register.simple_tag
def email_verification_link(user_id: int) -> str:
    """An absolute link (on SITE_URL) that verifies the user's address; the account page for
    a user deleted since, where nothing is left to verify."""
    user = get_user_model()._default_manager.filter(pk=user_id).first()
    if user is None or not user.email:
        return settings.SITE_URL + reverse("account")
    token = email_verification_token(user=user)
    return settings.SITE_URL + reverse("verify_email", args=[token])
