from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import Customer, User

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def _ensure_customers() -> str:
    output = StringIO()
    call_command("ensure_customers", stdout=output)
    return output.getvalue()


def test_ensure_customers_backfills_only_the_missing_profiles_and_leaves_others_alone():
    kept = UserFactory()
    kept.customer.display_name = "Kept As It Was"
    kept.customer.save()
    # bulk_create sends no post_save: users that predate the receiver look like these.
    User.objects.bulk_create([User(username="old1"), User(username="old2", email="o@example.com")])

    assert "Created 2 customer profiles." in _ensure_customers()

    assert Customer.objects.count() == 3
    assert not User.objects.filter(customer__isnull=True).exists()
    assert Customer.objects.get(user=kept).display_name == "Kept As It Was"


def test_running_ensure_customers_twice_creates_none_the_second_time():
    User.objects.bulk_create([User(username="old")])
    _ensure_customers()

    assert "Created 0 customer profiles." in _ensure_customers()
    assert Customer.objects.count() == 1
