import factory
from django.utils import timezone

from accounts.models import User

# Every factory user can sign in with this unless the test gives another password.
DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A shopper who can sign in. The post_save receiver gives it a profile: `user.customer`.

    `UserFactory(password="...")` hashes the given password too.
    """

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"shopper{n}")
    # Numbered on its own, so two usernames that differ only in case still get two addresses.
    email = factory.Sequence(lambda n: f"shopper{n}@example.com")
    password = factory.django.Password(DEFAULT_PASSWORD)
    # Verified, as a shopper who followed the sign-up mail's link: `email_verified_at=None`
    # for one who has not.
    email_verified_at = factory.LazyFunction(timezone.now)
