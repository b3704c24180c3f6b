import pytest
from django.urls import reverse

from accounts.models import Customer, User

from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_adding_a_user_in_the_admin_gives_exactly_one_profile(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "added",
            "email": "added@example.com",
            "usable_password": "true",
            "password1": "a-long-enough-pass",
            "password2": "a-long-enough-pass",
            # A filled-in profile inline, as a browser would send it were the inline on this
            # page: saved after the receiver's profile, it would fail with "UNIQUE constraint
            # failed". The add page has no inline, so Django ignores these.
            "customer-TOTAL_FORMS": "1",
            "customer-INITIAL_FORMS": "0",
            "customer-MIN_NUM_FORMS": "0",
            "customer-MAX_NUM_FORMS": "1",
            "customer-0-display_name": "Added Person",
        },
    )

    user = User.objects.get(username="added")
    # Django opens the new user's change page, where the profile inline lives.
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:accounts_user_change", args=[user.pk])
    assert Customer.objects.filter(user=user).count() == 1


def test_the_add_user_page_has_no_profile_inline_to_collide_with_the_receiver(admin_client):
    response = admin_client.get(reverse("admin:accounts_user_add"))

    assert response.status_code == 200
    assert b"customer-TOTAL_FORMS" not in response.content


def test_the_profile_is_edited_inline_on_the_user_change_page(admin_client):
    user = UserFactory(username="ada", email="ada@example.com")
    change_url = reverse("admin:accounts_user_change", args=[user.pk])
    page = admin_client.get(change_url)
    assert b"customer-TOTAL_FORMS" in page.content
    data = {
        "username": "ada",
        "email": "ada@example.com",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        "customer-TOTAL_FORMS": "1",
        "customer-INITIAL_FORMS": "1",
        "customer-MIN_NUM_FORMS": "0",
        "customer-MAX_NUM_FORMS": "1",
        "customer-0-id": str(user.customer.pk),
        "customer-0-user": str(user.pk),
        "customer-0-display_name": "Ada Lovelace",
        "customer-0-city": "London",
    }

    response = admin_client.post(change_url, data)

    assert response.status_code == 302, response.context["errors"]
    assert Customer.objects.get(user=user).display_name == "Ada Lovelace"
    assert Customer.objects.filter(user=user).count() == 1


def test_adding_a_user_whose_email_is_taken_in_another_case_is_refused(admin_client):
    UserFactory(email="ada@example.com")

    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {"username": "copycat", "email": "ADA@example.com", "usable_password": "false"},
    )

    assert response.status_code == 200
    assert b"A user with that email address already exists." in response.content
    assert not User.objects.filter(username="copycat").exists()


@pytest.mark.parametrize("query", ["Lovelace", "ada@example", "analyst"])
def test_customers_are_found_by_name_or_email(admin_client, query):
    user = UserFactory(username="analyst", email="ada@example.com")
    user.customer.display_name = "Ada Lovelace"
    user.customer.save()
    UserFactory(username="someone", email="someone@example.com")

    response = admin_client.get(reverse("admin:accounts_customer_changelist"), {"q": query})

    assert list(response.context["cl"].result_list) == [user.customer]
