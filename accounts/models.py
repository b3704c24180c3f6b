from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """The shop's user. Custom from the first migration so it can grow without a rewrite."""


class CustomerQuerySet(models.QuerySet):
    def for_user(self, user) -> "Customer":
        """The user's profile, created on the spot if it is missing (say, a fixture user)."""
        customer, _ = self.get_or_create(user=user)
        return customer


class Customer(models.Model):
    """A shopper's profile: contact details and the address checkout prefills."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="customer"
    )
    display_name = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    address_line1 = models.CharField("address line 1", max_length=200, blank=True)
    address_line2 = models.CharField("address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CustomerQuerySet.as_manager()

    def __str__(self):
        return self.display_name or self.user.get_username()
