"""Every `next` from a request is checked; a bad one falls back to a safe page, after the write."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from catalog.tests.factories import ProductFactory
from checkout.models import CartItem

pytestmark = pytest.mark.django_db

# A bare word (read as a URL name by redirect(), relative by browsers) and off-site addresses.
BAD_NEXT = ["id", "//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:x"]


@pytest.fixture
def signed_in(client):
    client.force_login(UserFactory(username="ada"))
    return client


@pytest.mark.parametrize("next_url", BAD_NEXT)
def test_the_sign_up_page_sends_a_signed_in_visitor_home_whatever_next_says(signed_in, next_url):
    response = signed_in.get(reverse("signup"), {"next": next_url})

    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:product_list")


@pytest.mark.parametrize("next_url", BAD_NEXT)
def test_signing_up_with_a_bad_next_signs_in_and_goes_home(client, next_url):
    response = client.post(
        reverse("signup"),
        {
            "username": "grace",
            "email": "grace@example.com",
            "password1": "a-long-new-password",
            "password2": "a-long-new-password",
            "next": next_url,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:product_list")
    assert client.session[SESSION_KEY] == str(User.objects.get(username="grace").pk)


def test_signing_up_with_a_good_next_goes_there(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "grace",
            "email": "grace@example.com",
            "password1": "a-long-new-password",
            "password2": "a-long-new-password",
            "next": "/blog/?page=2",
        },
    )

    assert response["Location"] == "/blog/?page=2"


@pytest.mark.parametrize("next_url", BAD_NEXT)
def test_adding_to_the_cart_with_a_bad_next_adds_once_and_shows_the_product(client, next_url):
    product = ProductFactory()

    response = client.post(
        reverse("checkout:cart_add", args=[product.pk]), {"quantity": 1, "next": next_url}
    )

    assert response.status_code == 302
    assert response["Location"] == product.get_absolute_url()
    assert CartItem.objects.get(product=product).quantity == 1


def test_adding_to_the_cart_with_a_good_next_goes_there(client):
    product = ProductFactory()

    response = client.post(
        reverse("checkout:cart_add", args=[product.pk]), {"quantity": 1, "next": "/?q=tea"}
    )

    assert response["Location"] == "/?q=tea"


def test_the_sign_in_page_never_sends_a_signed_in_visitor_back_to_itself(signed_in):
    login = reverse("login")

    direct = signed_in.get(login, {"next": login})
    nested = signed_in.get(login, {"next": f"{login}?next={login}"})

    assert direct.status_code == 302
    assert direct["Location"] == reverse("catalog:product_list")
    assert nested.status_code == 302
    assert signed_in.get(nested["Location"]).status_code in (200, 302)
    assert signed_in.get(nested["Location"], follow=True).status_code == 200


@pytest.mark.parametrize("next_url", [*BAD_NEXT, "/accounts/login/"])
def test_signing_in_with_a_bad_next_goes_home(client, next_url):
    UserFactory(username="ada")

    response = client.post(
        reverse("login"), {"username": "ada", "password": DEFAULT_PASSWORD, "next": next_url}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:product_list")


@pytest.mark.parametrize("next_url", BAD_NEXT)
def test_signing_out_with_a_bad_next_goes_home(signed_in, next_url):
    response = signed_in.post(reverse("logout"), {"next": next_url})

    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:product_list")
    assert SESSION_KEY not in signed_in.session
