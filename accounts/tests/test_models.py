import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import Customer, User

from .factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_the_factory_user_signs_in_with_the_default_or_the_given_password(client):
    assert client.login(username=UserFactory(username="ada").username, password=DEFAULT_PASSWORD)
    assert UserFactory(password="another-pass").check_password("another-pass")


def test_the_database_refuses_a_second_account_with_the_same_email_in_another_case():
    UserFactory(email="ada@example.com")

    with pytest.raises(IntegrityError):
        User.objects.create_user("other", "ADA@Example.com", DEFAULT_PASSWORD)


def test_any_number_of_accounts_may_have_no_email():
    User.objects.create_user("first")
    User.objects.create_user("second")

    assert User.objects.filter(email="").count() == 2


def test_for_user_creates_a_missing_profile_once():
    user = UserFactory()
    Customer.objects.filter(user=user).delete()

    created = Customer.objects.for_user(user)

    assert Customer.objects.for_user(user) == created
    assert Customer.objects.filter(user=user).count() == 1


def test_a_profile_is_named_after_its_display_name_or_else_the_username():
    customer = UserFactory(username="ada").customer
    assert str(customer) == "ada"

    customer.display_name = "Ada Lovelace"
    assert str(customer) == "Ada Lovelace"


def test_a_shipping_address_needs_line_1_city_postal_code_and_country():
    customer = Customer(address_line1="1 Rue de Rivoli", city="Paris", postal_code="75001")
    assert not customer.has_shipping_address

    customer.country = "FR"
    assert customer.has_shipping_address


@pytest.mark.parametrize(
    "phone", ["+44 20 7946 0018", "(020) 7946 0018", "030-1234567", "+1 (555) 010.9999"]
)
def test_phone_numbers_are_written_the_ways_people_write_them(phone):
    Customer._meta.get_field("phone").run_validators(phone)


@pytest.mark.parametrize("phone", ["call me", "12", "++44 1234 5678", "0201234-", "555 0199 ext"])
def test_anything_else_is_not_a_phone_number(phone):
    with pytest.raises(ValidationError, match="Enter a phone number"):
        Customer._meta.get_field("phone").run_validators(phone)
