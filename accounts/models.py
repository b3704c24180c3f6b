from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """The shop's user. Custom from the first migration so it can grow without a rewrite."""
