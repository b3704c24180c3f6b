import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models.signals import post_save

from accounts.models import Customer, User
from checkout.models import Order
from checkout.signals import address_wanted

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_create_user_gives_the_user_exactly_one_profile():
    user = User.objects.create_user("ada", "ada@example.com", "a-long-enough-pass")

    assert Customer.objects.filter(user=user).count() == 1
    assert user.customer.display_name == ""


def test_the_createsuperuser_command_gives_exactly_one_profile(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-enough-pass")

    call_command(
        "createsuperuser",
        interactive=False,
        username="root",
        email="root@example.com",
        stdout=StringIO(),
    )

    user = User.objects.get(username="root")
    assert user.is_superuser
    assert Customer.objects.filter(user=user).count() == 1


def test_saving_a_user_again_keeps_the_one_profile_and_its_details():
    user = UserFactory()
    user.customer.city = "Lyon"
    user.customer.save()

    user.first_name = "Ada"
    user.save()
    User.objects.get(pk=user.pk).save()

    assert list(Customer.objects.filter(user=user).values_list("city", flat=True)) == ["Lyon"]


def test_a_replayed_creation_signal_neither_raises_nor_duplicates():
    user = UserFactory()

    post_save.send(sender=User, instance=user, created=True, raw=False)

    assert Customer.objects.filter(user=user).count() == 1


def test_loading_a_user_fixture_makes_no_profile_and_ensure_customers_fills_the_gap(tmp_path):
    fixture = tmp_path / "users.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "accounts.user",
                    "pk": 4242,
                    "fields": {"username": "from-fixture", "password": "!", "email": ""},
                }
            ]
        )
    )

    # Raw saves skip the receiver: a fixture's related rows may not be loaded yet.
    call_command("loaddata", str(fixture), stdout=StringIO())
    user = User.objects.get(username="from-fixture")
    assert not Customer.objects.filter(user=user).exists()

    output = StringIO()
    call_command("ensure_customers", stdout=output)

    assert Customer.objects.filter(user=user).count() == 1
    assert "Created 1 customer profile." in output.getvalue()


def test_asked_for_a_customers_address_accounts_answers_with_the_profile_and_its_name():
    user = UserFactory()
    Customer.objects.filter(user=user).update(display_name="Ada L.", city="London", country="GB")

    answers = address_wanted.send(sender=Order, customer=user)

    assert [(receiver.__name__, answer.name) for receiver, answer in answers] == [
        ("share_saved_address", "Ada L.")
    ]
    assert answers[0][1].address.address_parts["city"] == "London"
    assert answers[0][1].address.country.code == "GB"


def test_asked_for_the_address_of_a_user_without_a_profile_accounts_answers_none():
    user = UserFactory()
    Customer.objects.filter(user=user).delete()

    assert [answer for _, answer in address_wanted.send(sender=Order, customer=user)] == [None]
