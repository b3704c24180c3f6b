"""Writes the accounts app makes that are more than a form save."""

import uuid
from datetime import timedelta

from django.contrib.auth.forms import PasswordResetForm
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from outbox.services import queue_email
from ratelimits.services import RateLimit, RateLimited, client_network

from .models import Customer, User
from .signals import email_verified

# How long a link verifying an e-mail address works.
VERIFICATION_LINK_LIFETIME = timedelta(days=3)
VERIFICATION_SALT = "accounts.email-verification"


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


def user_sign_up(*, form) -> User | None:
    """Save a valid sign-up form (`SignUpForm`) as a new user; None if someone was quicker.

    The form checked that the username and address were free, but another sign-up may take
    them between that check and this insert: the database's unique constraints are the judge.
    On an IntegrityError nothing is saved, and the form is validated again, so it now carries
    the same error ("A user with that username already exists.") a visitor gets when the
    other account was there first.
    """
    try:
        # The user, its profile (the post_save receiver) and the mail verifying its address
        # commit together or not at all.
        with transaction.atomic():
            user = form.save()
            if user.email:
                email_verification_send(user=user)
            return user
    except IntegrityError:
        form.full_clean()
        if not form.errors:  # not one of the checks the form knows: say something true
            form.add_error(
                None, "Someone signed up with these details just now. Please check them."
            )
        return None


def password_reset_send(*, email: str) -> int:
    """Queue a password-reset mail, through the outbox, to each account that may reset with
    `email` (Django's rules: active, with a usable password); return how many.

    The mail is rendered at delivery (`render_at_delivery`): the outbox keeps the user's id,
    never the link, and each attempt makes a fresh one (accounts/templatetags/password_reset).
    """
    users = list(PasswordResetForm().get_users(email))
    for user in users:
        _queue_link_mail(user=user, mail="password_reset", subject="Reset your Storefront password")
    return len(users)


def _queue_link_mail(*, user: User, mail: str, subject: str) -> None:
    """Queue `accounts/email/<mail>` to `user`, rendered at delivery with the link it carries.
    One mail per request: asking again is a new mail, with a new link."""
    queue_email(
        key=f"accounts.user.{user.pk}.{mail}.{uuid.uuid4().hex}",
        to=user.email,
        subject=subject,
        template=f"accounts/email/{mail}",
        context={"user_id": user.pk, "username": user.get_username()},
        render_at_delivery=True,
    )


class VerificationError(Exception):
    """A verification link that cannot verify: the message says why and what to do."""


def email_verification_send(*, user: User) -> None:
    """Queue a mail with a link that verifies `user`'s e-mail address.

    Rendered at delivery, like the password reset: the outbox keeps the user's id, and each
    attempt makes the link afresh (accounts/templatetags/email_verification.py).
    """
    _queue_link_mail(user=user, mail="verify_email", subject="Verify your e-mail address")


def email_verification_token(*, user: User) -> str:
    """What the link carries: the user and the address, signed, with the time it was made."""
    return signing.dumps({"user": user.pk, "email": user.email}, salt=VERIFICATION_SALT)


def email_verify(*, token: str) -> tuple[User, bool]:
    """Verify the address a link was made for; return the user and whether it was news.

    A link works for VERIFICATION_LINK_LIFETIME, and only for the address the account still
    has. Following it again changes nothing and sends nothing (False): an address is verified
    once. Raises VerificationError, changing nothing, for a link altered, expired or made for
    another address.
    """
    try:
        wanted = signing.loads(token, salt=VERIFICATION_SALT, max_age=VERIFICATION_LINK_LIFETIME)
    except signing.SignatureExpired:
        raise VerificationError(
            "This link has expired. Sign in and ask for a new one on your account page."
        ) from None
    except signing.BadSignature:
        raise VerificationError(
            "This link is not complete. Copy the whole link from the e-mail, or sign in and "
            "ask for a new one on your account page."
        ) from None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=wanted["user"]).first()
        if user is None or user.email != wanted["email"]:
            raise VerificationError(
                "This link was made for an address this account no longer has. Sign in and "
                "ask for a new one on your account page."
            )
        if user.email_verified_at is not None:
            return user, False
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        email_verified.send(sender=User, user=user, email=user.email)
    return user, True


# Sign-in attempts, counted by the sign-in forms before each password is tested.
SIGN_IN_ATTEMPTS = RateLimit("sign-in")


def _sign_in_subject(request: HttpRequest, username: str) -> tuple[str, str]:
    # Per username *and* address: someone guessing from elsewhere cannot lock the owner out.
    # Any case: "Ada" and "ada" share one count.
    return username.casefold(), client_network(request)


def sign_in_attempt_take(*, request: HttpRequest, username: str) -> int:
    """Count a sign-in attempt as `username` from the request's address, before its password
    is tested. 0 if the password may be tested; else the seconds until the lockout ends.

    The same for every username, whether it exists or not.
    """
    try:
        SIGN_IN_ATTEMPTS.take(*_sign_in_subject(request, username))
    except RateLimited as limited:
        return limited.retry_after
    return 0


def sign_in_attempts_clear(*, request: HttpRequest, username: str) -> None:
    """Forget the sign-in attempts as `username` from the request's address."""
    SIGN_IN_ATTEMPTS.reset(*_sign_in_subject(request, username))


def sign_in_locked_for(*, request: HttpRequest, username: str) -> int:
    """Seconds until `username` may try to sign in from the request's address again; 0: now."""
    return SIGN_IN_ATTEMPTS.retry_after(*_sign_in_subject(request, username))
