import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import Customer, User

from .factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
NEW_PASSWORD = "plum-orchard-1848"
# Django's words, with its typographic apostrophe.
PASSWORDS_DIFFER = "The two password fields didn\u2019t match."


def _signup_data(**overrides) -> dict[str, str]:
    return {
        "username": "ada",
        "email": "ada@example.com",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **overrides,
    }


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# Navbar


def test_visitors_see_sign_in_and_sign_up_in_the_navbar(client):
    html = client.get(reverse("catalog:product_list")).content.decode()

    assert f'href="{reverse("login")}?next=/"' in html
    assert f'href="{reverse("signup")}?next=/"' in html
    assert f'href="{reverse("account")}"' not in html


def test_signed_in_shoppers_see_their_name_an_account_link_and_a_sign_out_form(client):
    client.force_login(UserFactory(username="ada"))

    html = client.get(reverse("catalog:product_list")).content.decode()

    assert re.search(r">\s*ada\s*</button>", html)
    assert f'href="{reverse("account")}"' in html
    assert f'<form method="post" action="{reverse("logout")}">' in html
    assert f'href="{reverse("signup")}' not in html


# Sign-up


def test_the_sign_up_page_asks_for_username_email_and_the_password_twice(client):
    response = client.get(reverse("signup"))

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields) == ["username", "email", "password1", "password2"]
    assert form.fields["email"].required


def test_signing_up_signs_in_welcomes_and_goes_to_the_shop(client):
    response = client.post(reverse("signup"), _signup_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:product_list")
    user = User.objects.get(username="ada")
    assert user.email == "ada@example.com"
    assert user.check_password(NEW_PASSWORD)
    assert Customer.objects.filter(user=user).count() == 1
    assert response.wsgi_request.user == user
    assert _messages(response) == [
        "Welcome to Storefront, ada! We sent a link to ada@example.com: follow it to verify "
        "your address."
    ]


def test_signing_up_goes_on_to_a_same_site_next(client):
    response = client.post(reverse("signup"), _signup_data(next="/products/mug/?colour=blue"))

    assert response["Location"] == "/products/mug/?colour=blue"


@pytest.mark.parametrize(
    "unsafe", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_signing_up_never_follows_an_off_site_next(client, unsafe):
    page = client.get(reverse("signup"), {"next": unsafe})
    response = client.post(reverse("signup"), _signup_data(next=unsafe))

    assert unsafe not in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:product_list")
    assert User.objects.filter(username="ada").exists()


def test_an_htmx_sign_up_sends_the_browser_to_the_next_page(client):
    response = client.post(reverse("signup"), _signup_data(next="/products/mug/"), **HTMX)

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/products/mug/"
    assert response.wsgi_request.user.is_authenticated
    # Kept for the page the browser loads next, not spent on this empty response.
    assert b"Welcome" not in response.content


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"username": "ADA"}, "username", "A user with that username already exists."),
        ({"email": "Ada@Example.COM"}, "email", "A user with that email address already exists."),
        ({"password2": "plum-orchard-1849"}, "password2", PASSWORDS_DIFFER),
        (
            {"password1": "password", "password2": "password"},
            "password2",
            "This password is too common.",
        ),
        ({"password1": "8261947", "password2": "8261947"}, "password2", "too short"),
        ({"password1": "50284913", "password2": "50284913"}, "password2", "entirely numeric"),
        ({"email": ""}, "email", "This field is required."),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
    ],
    ids=[
        "username-taken-in-another-case",
        "email-taken-in-another-case",
        "passwords-differ",
        "common-password",
        "short-password",
        "numeric-password",
        "no-email",
        "bad-email",
    ],
)
def test_a_refused_sign_up_says_why_keeps_what_was_typed_and_creates_nothing(
    client, overrides, field, message
):
    existing = UserFactory(username="ada", email="ada@example.com")
    data = _signup_data(username="newcomer", email="newcomer@example.com") | overrides

    response = client.post(reverse("signup"), data)

    assert response.status_code == 422
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    assert f'value="{data["username"]}"' in response.content.decode()
    assert list(User.objects.all()) == [existing]
    assert Customer.objects.count() == 1
    assert not response.wsgi_request.user.is_authenticated


def test_a_refused_htmx_sign_up_gets_back_only_the_form_with_its_errors(client):
    response = client.post(
        reverse("signup"), _signup_data(password2="something-else-entirely"), **HTMX
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert html.lstrip().startswith("<form")
    assert "<html" not in html
    assert PASSWORDS_DIFFER in html
    assert 'value="ada@example.com"' in html
    assert not User.objects.exists()


def test_a_signed_in_shopper_is_sent_on_from_the_sign_up_page(client):
    client.force_login(UserFactory())

    response = client.get(reverse("signup"), {"next": reverse("account")})

    assert response["Location"] == reverse("account")


# Sign-up fields checked as the visitor leaves them


def test_leaving_the_username_field_says_at_once_when_it_is_taken(client):
    UserFactory(username="ada")

    response = client.post(reverse("signup_check", args=["username"]), {"username": "Ada"}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="signup-username"')
    assert "A user with that username already exists." in html
    assert 'value="Ada"' in html
    # Only this field comes back: the others are not the visitor's concern yet.
    assert "password" not in html.lower()


def test_leaving_the_email_field_says_at_once_when_it_is_taken_in_another_case(client):
    UserFactory(email="ada@example.com")

    response = client.post(
        reverse("signup_check", args=["email"]), {"email": "ADA@example.com"}, **HTMX
    )

    assert "A user with that email address already exists." in response.content.decode()


def test_a_free_username_comes_back_without_an_error_or_autofocus(client):
    response = client.post(
        reverse("signup_check", args=["username"]), {"username": "newcomer"}, **HTMX
    )

    html = response.content.decode()
    assert "is-invalid" not in html
    assert 'value="newcomer"' in html
    # htmx would move the cursor back into a swapped-in [autofocus] field.
    assert "autofocus" not in html
    assert not User.objects.exists()


@pytest.mark.parametrize("field_name", ["password1", "is_staff", "nonsense"])
def test_only_username_and_email_can_be_checked_on_their_own(client, field_name):
    response = client.post(reverse("signup_check", args=[field_name]), {field_name: "x"}, **HTMX)

    assert response.status_code == 404


def test_a_field_check_must_be_posted(client):
    response = client.get(reverse("signup_check", args=["username"]), {"username": "ada"})

    assert response.status_code == 405


# Sign in and out


def test_a_bad_password_and_an_unknown_username_get_the_same_answer(client):
    UserFactory(username="ada")

    wrong_password = client.post(reverse("login"), {"username": "ada", "password": "nope-nope"})
    unknown_user = client.post(reverse("login"), {"username": "nobody", "password": "nope-nope"})

    assert wrong_password.status_code == unknown_user.status_code == 200
    errors = wrong_password.context["form"].non_field_errors()
    assert errors == unknown_user.context["form"].non_field_errors()
    assert "Please enter a correct username and password." in errors[0]
    assert not wrong_password.wsgi_request.user.is_authenticated


def test_signing_in_goes_on_to_a_same_site_next_only(client):
    UserFactory(username="ada")
    credentials = {"username": "ada", "password": DEFAULT_PASSWORD}

    safe = client.post(reverse("login"), {**credentials, "next": reverse("account")})
    client.logout()
    unsafe = client.post(reverse("login"), {**credentials, "next": "https://evil.example/"})

    assert safe["Location"] == reverse("account")
    assert unsafe["Location"] == reverse("catalog:product_list")


def test_the_sign_in_page_links_to_sign_up_and_password_reset_keeping_next(client):
    html = client.get(reverse("login"), {"next": "/products/mug/"}).content.decode()

    assert f'href="{reverse("signup")}?next=/products/mug/"' in html
    assert f'href="{reverse("password_reset")}"' in html


def test_signing_out_takes_a_post(client):
    client.force_login(UserFactory())

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response["Location"] == reverse("catalog:product_list")
    assert not response.wsgi_request.user.is_authenticated


# Account page


def test_signed_out_visitors_are_sent_to_sign_in_and_back_to_their_account(client):
    UserFactory(username="ada")

    response = client.get(reverse("account"))
    assert response["Location"] == f"{reverse('login')}?next={reverse('account')}"

    signed_in = client.post(
        response["Location"],
        {"username": "ada", "password": DEFAULT_PASSWORD, "next": reverse("account")},
        follow=True,
    )
    assert signed_in.redirect_chain[-1][0] == reverse("account")
    assert b"Your account" in signed_in.content


def test_the_account_page_shows_the_profile(client):
    user = UserFactory(username="ada", email="ada@example.com")
    Customer.objects.filter(user=user).update(
        display_name="Ada Lovelace",
        phone="+44 20 7946 0000",
        address_line1="12 St James's Square",
        city="London",
        postal_code="SW1Y 4JH",
        country="GB",
    )
    client.force_login(user)

    html = client.get(reverse("account")).content.decode()

    for text in ["ada@example.com", "Ada Lovelace", "+44 20 7946 0000", "SW1Y 4JH London"]:
        assert text in html
    assert f'href="{reverse("account_edit")}"' in html
    assert f'href="{reverse("password_change")}"' in html


@pytest.mark.parametrize("url_name", ["account", "account_edit"])
def test_account_pages_make_a_missing_profile_instead_of_failing(client, url_name):
    user = UserFactory()
    Customer.objects.filter(user=user).delete()
    client.force_login(user)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert Customer.objects.filter(user=user).count() == 1


ADDRESS = {
    "display_name": "Ada Lovelace",
    "phone": "+44 20 7946 0000",
    "address_line1": "12 St James's Square",
    "address_line2": "",
    "city": "London",
    "postal_code": "SW1Y 4JH",
    "country": "GB",
}


def test_edit_opens_the_form_in_place_of_the_profile_card(client):
    client.force_login(UserFactory())

    response = client.get(reverse("account_edit"), **HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="profile"')
    assert f'hx-post="{reverse("account_edit")}"' in html
    assert f'action="{reverse("account_edit")}"' in html
    assert html.count("csrfmiddlewaretoken") == 1


def test_cancelling_an_edit_brings_back_the_profile_card(client):
    client.force_login(UserFactory())

    response = client.get(reverse("account"), **HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="profile"')
    assert "<form" not in html
    assert "HX-Request" in response["Vary"]


def test_saving_in_place_returns_the_updated_card_with_a_message(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("account_edit"), ADDRESS, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="profile"')
    assert "SW1Y 4JH London" in html
    assert 'hx-swap-oob="innerHTML:#messages"' in html
    assert "Your details are saved." in html
    customer = Customer.objects.get(user=user)
    assert (customer.city, customer.phone) == ("London", "+44 20 7946 0000")
    # And after a reload:
    assert "12 St James&#x27;s Square" in client.get(reverse("account")).content.decode()


def test_saving_without_javascript_returns_to_the_account_page(client):
    client.force_login(UserFactory())

    page = client.get(reverse("account_edit"))
    response = client.post(reverse("account_edit"), ADDRESS)

    assert b"<html" in page.content and b'name="address_line1"' in page.content
    assert response["Location"] == reverse("account")
    assert _messages(response) == ["Your details are saved."]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"phone": "call me maybe"}, "phone", "Enter a phone number"),
        ({"city": ""}, "city", "Needed for a shipping address."),
        ({"country": "Narnia"}, "country", "Select a valid choice"),
    ],
)
def test_a_refused_edit_shows_errors_inline_and_changes_nothing(client, overrides, field, message):
    user = UserFactory()
    client.force_login(user)
    data = ADDRESS | overrides

    response = client.post(reverse("account_edit"), data, **HTMX)

    html = response.content.decode()
    assert response.status_code == 422
    assert html.lstrip().startswith('<section id="profile"')
    assert any(message in error for error in response.context["form"].errors[field])
    assert 'value="Ada Lovelace"' in html
    assert Customer.objects.get(user=user).display_name == ""


def test_an_empty_profile_is_a_valid_profile(client):
    user = UserFactory()
    user.customer.city = "London"
    user.customer.save()
    client.force_login(user)

    response = client.post(reverse("account_edit"), dict.fromkeys(ADDRESS, ""), **HTMX)

    assert response.status_code == 200
    assert Customer.objects.get(user=user).city == ""


def test_signed_out_visitors_cannot_edit_a_profile(client):
    response = client.post(reverse("account_edit"), ADDRESS)

    assert response["Location"].startswith(reverse("login"))
    assert not Customer.objects.filter(city="London").exists()


# Passwords


def test_changing_the_password_needs_the_old_one_and_keeps_the_shopper_signed_in(client):
    user = UserFactory()
    client.force_login(user)

    refused = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    changed = client.post(
        reverse("password_change"),
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert "old_password" in refused.context["form"].errors
    assert changed["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("account")).status_code == 200


def test_the_password_change_page_needs_a_signed_in_shopper(client):
    response = client.get(reverse("password_change"))

    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("orders", [10, 100])
def test_the_account_page_runs_the_same_queries_however_much_the_shopper_bought(
    client, django_assert_num_queries, orders
):
    from catalog.tests.factories import ProductFactory
    from checkout.tests.factories import OrderFactory

    user = UserFactory()
    product = ProductFactory()
    for _ in range(orders):
        OrderFactory(customer=user, lines={product: 1})
    client.force_login(user)
    client.get(reverse("account"))  # copies the cart's size into the cache

    # The session with its user, the profile and the back-in-stock subscriptions, never one
    # per order. The navbar's cart count comes from its copy in the cache.
    with django_assert_num_queries(3):
        response = client.get(reverse("account"))
    assert response.status_code == 200
