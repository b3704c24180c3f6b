from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from addresses.models import OptionalAddress


class User(AbstractUser):
    """The shop's user. Custom from the first migration so it can grow without a rewrite.

    Its e-mail address is *verified* once a link mailed to it was followed
    (accounts.services.email_verify). Only a verified address gives the account what belongs
    to that address (its back-in-stock subscriptions, its guest orders): anyone can sign up
    with any address. A new address is unverified again.
    """

    email_verified_at = models.DateTimeField("e-mail address verified", null=True, blank=True)
    # The address as read from the database (from_db), to tell a new one in save().
    _stored_email: str | None

    class Meta(AbstractUser.Meta):
        constraints = [
            # "Casey" and "casey" would look like one person: the sign-up form refuses the
            # second, and this refuses it too when both sign up at the same moment.
            models.UniqueConstraint(
                Lower("username"),
                name="user_username_unique_ignoring_case",
                violation_error_message="A user with that username already exists.",
            ),
            # The e-mail address is where password resets go, so two accounts must never
            # share one, whatever its case. Users made in the admin or by createsuperuser may
            # still have none, hence the condition.
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="user_email_unique_ignoring_case",
                violation_error_message="A user with that email address already exists.",
            ),
        ]

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        user = super().from_db(db, field_names, values, **kwargs)
        user._stored_email = user.__dict__.get("email")
        return user

    def save(self, *args, **kwargs):
        # Whoever changes the address (the admin, a shell), the new one is not proved yet.
        if self.email != getattr(self, "_stored_email", self.email):
            self.email_verified_at = None
            if (fields := kwargs.get("update_fields")) is not None:
                kwargs["update_fields"] = {*fields, "email_verified_at"}
        super().save(*args, **kwargs)
        self._stored_email = self.email

    @property
    def has_verified_email(self) -> bool:
        return bool(self.email) and self.email_verified_at is not None


class Session(AbstractBaseSession):
    """A visitor's session, with the user it signs in (SESSION_ENGINE: accounts.sessions).

    Django's own session table knows no user. Knowing it lets a page read the session and its
    user in one query, and a user's deletion end their sessions.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore


class CustomerQuerySet(models.QuerySet["Customer"]):
    def for_user(self, user) -> "Customer":
        """The user's profile, created on the spot if it is missing (say, a fixture user)."""
        customer, _ = self.get_or_create(user=user)
        return customer


class Customer(OptionalAddress):
    """A shopper's profile: contact details and the address checkout prefills (none until the
    shopper gives one, on the account page or by ticking "Save as my address" at checkout)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="customer"
    )
    display_name = models.CharField(max_length=150, blank=True)
    phone = models.CharField(
        max_length=32,
        blank=True,
        validators=[
            RegexValidator(
                r"^\+?\(?[0-9][0-9 ()./-]{4,}[0-9]$",
                "Enter a phone number: digits, spaces and + ( ) - . / only.",
            )
        ],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CustomerQuerySet.as_manager()

    def __str__(self):
        return self.display_name or self.user.get_username()
