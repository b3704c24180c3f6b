"""The password-reset link, made when the mail is rendered for delivery, never before.

The reset mail goes through the outbox, whose rows staff can read in the admin. So the mail is
queued with the user's id only, and rendered at delivery (outbox `render_at_delivery`): this
tag makes a fresh link there, and the link exists nowhere but in the message on its way.
"""

from django import template
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

register = template.Library()


@register.simple_tag
def password_reset_link(user_id: int) -> str:
    """An absolute link (on SITE_URL) that lets the user choose a new password, once.

    A user deleted or deactivated since the request gets the page to ask again instead: a
    token would not work for them, and delivery must not fail over it.
    """
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None:
        return settings.SITE_URL + reverse("password_reset")
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL + path
