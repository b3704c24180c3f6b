"""Bad input to sign-up, sign-in, the account and password pages gets a clear answer and
changes nothing; the cases' helper is storefront/tests/badinput.py.
"""

import pytest
from django.utils.html import escape

from storefront.tests.badinput import (
    ATTRIBUTE_BREAKOUT,
    BAD_USERNAME,
    LONE_SURROGATE,
    NOT_FOUND,
    NUL_REFUSED,
    OFF_SITE,
    REQUIRED,
    RTL_AND_EMOJI,
    SCRIPT,
    SQL,
    check_answer,
    check_csrf,
    check_wrong_method,
    p,
    v,
    wrong_methods,
)

pytestmark = pytest.mark.django_db

ACCOUNTS = [
    # Sign-up.
    v("signup-empty", "post", ("signup",), {}, status=422, says=REQUIRED),
    v(
        "signup-username-oversized",
        "post",
        ("signup",),
        {"username": "a" * 151},
        status=422,
        says="Ensure this value has at most 150 characters (it has 151).",
    ),
    v(
        "signup-username-rtl-emoji",
        "post",
        ("signup",),
        {"username": RTL_AND_EMOJI},
        status=422,
        says=BAD_USERNAME,
    ),
    v(
        "signup-username-nul",
        "post",
        ("signup",),
        {"username": "ada\x00"},
        status=422,
        says=NUL_REFUSED,
    ),
    v(
        "signup-username-lone-surrogate",
        "post",
        ("signup",),
        f"username=ada{LONE_SURROGATE}",
        status=422,
        says=BAD_USERNAME,
    ),
    v(
        "signup-username-script",
        "post",
        ("signup",),
        {"username": SCRIPT},
        status=422,
        says=BAD_USERNAME,
        escaped=SCRIPT,
    ),
    v(
        "signup-username-attribute-breakout",
        "post",
        ("signup",),
        {"username": ATTRIBUTE_BREAKOUT},
        status=422,
        says=BAD_USERNAME,
        escaped=ATTRIBUTE_BREAKOUT,
    ),
    v("signup-username-sql", "post", ("signup",), {"username": SQL}, status=422, says=BAD_USERNAME),
    v(
        "signup-username-taken",
        "post",
        ("signup",),
        {
            "username": "ADA",
            "email": "new@example.com",
            "password1": "plum-orchard-1848",
            "password2": "plum-orchard-1848",
        },
        status=422,
        says="A user with that username already exists.",
    ),
    v(
        "signup-email-invalid",
        "post",
        ("signup",),
        {"email": "ada@"},
        status=422,
        says="Enter a valid email address.",
    ),
    v(
        "signup-email-oversized",
        "post",
        ("signup",),
        {"email": "a" * 250 + "@example.com"},
        status=422,
        says="Ensure this value has at most 254 characters",
    ),
    v(
        "signup-email-nul",
        "post",
        ("signup",),
        {"email": "ada\x00@example.com"},
        status=422,
        says=NUL_REFUSED,
    ),
    v("signup-htmx-empty", "post", ("signup",), {}, status=422, htmx=True, says=REQUIRED),
    *[
        v(
            f"signup-off-site-next-{n}",
            "post",
            ("signup",),
            {"next": url},
            status=422,
            says=REQUIRED,
            absent=url,
        )
        for n, url in enumerate(OFF_SITE)
    ],
    *[
        v(
            f"signup-page-off-site-next-{n}",
            "get",
            ("signup",),
            {"next": url},
            says="Create your account",
            absent=url,
        )
        for n, url in enumerate(OFF_SITE)
    ],
    p(
        "signup-check-unknown-field",
        "post",
        ("signup_check", "is_staff"),
        {"is_staff": "on"},
        status=404,
        says=NOT_FOUND,
    ),
    p(
        "signup-check-password",
        "post",
        ("signup_check", "password1"),
        {"password1": "x"},
        status=404,
        says=NOT_FOUND,
    ),
    p(
        "signup-check-nul",
        "post",
        ("signup_check", "username"),
        {"username": "\x00"},
        says=NUL_REFUSED,
    ),
    p(
        "signup-check-script",
        "post",
        ("signup_check", "username"),
        {"username": SCRIPT},
        says=BAD_USERNAME,
        escaped=SCRIPT,
    ),
    # Sign-in (as a visitor: that is who signs in).
    v("login-empty", "post", ("login",), {}, says=REQUIRED),
    v("login-nul", "post", ("login",), {"username": "ada\x00", "password": "x"}, says=NUL_REFUSED),
    v(
        "login-nul-password",
        "post",
        ("login",),
        {"username": "ada", "password": "\x00"},
        says=NUL_REFUSED,
    ),
    v(
        "login-username-oversized",
        "post",
        ("login",),
        {"username": "a" * 5000, "password": "x"},
        says="Please enter a correct username and password.",
    ),
    v(
        "login-sql",
        "post",
        ("login",),
        {"username": SQL, "password": SQL},
        says="Please enter a correct username and password.",
    ),
    v(
        "login-script",
        "post",
        ("login",),
        {"username": SCRIPT, "password": "x"},
        says="Please enter a correct username and password.",
        escaped=SCRIPT,
    ),
    v(
        "login-lone-surrogate",
        "post",
        ("login",),
        f"username={LONE_SURROGATE}&password=x",
        says="Please enter a correct username and password.",
    ),
    *[
        v(
            f"login-off-site-next-{n}",
            "post",
            ("login",),
            {"username": "ada", "password": "wrong", "next": url},
            says="Please enter a correct username and password.",
            absent=url,
        )
        for n, url in enumerate(OFF_SITE)
    ],
    *[
        v(
            f"login-page-off-site-next-{n}",
            "get",
            ("login",),
            {"next": url},
            says="Sign in",
            absent=url,
        )
        for n, url in enumerate(OFF_SITE)
    ],
    # The account page.
    p(
        "account-oversized",
        "post",
        ("account_edit",),
        {"display_name": "x" * 151},
        status=422,
        says="Ensure this value has at most 150 characters (it has 151).",
    ),
    p(
        "account-phone-letters",
        "post",
        ("account_edit",),
        {"phone": "call me maybe"},
        status=422,
        says="Enter a phone number: digits, spaces and + ( ) - . / only.",
    ),
    p(
        "account-nul",
        "post",
        ("account_edit",),
        {"city": "Lon\x00don"},
        status=422,
        says=NUL_REFUSED,
    ),
    p(
        "account-half-an-address",
        "post",
        ("account_edit",),
        {"city": "London"},
        status=422,
        says="Needed for a shipping address.",
    ),
    p(
        "account-script-kept-escaped",
        "post",
        ("account_edit",),
        {"display_name": SCRIPT, "phone": "call me"},
        status=422,
        says="Enter a phone number",
        escaped=SCRIPT,
    ),
    p(
        "account-htmx-script-kept-escaped",
        "post",
        ("account_edit",),
        {"display_name": ATTRIBUTE_BREAKOUT, "phone": "call me"},
        status=422,
        htmx=True,
        says="Enter a phone number",
        escaped=ATTRIBUTE_BREAKOUT,
    ),
    # Passwords.
    p(
        "password-change-wrong-old",
        "post",
        ("password_change",),
        {
            "old_password": "not-it",
            "new_password1": "plum-orchard-1848",
            "new_password2": "plum-orchard-1848",
        },
        says="Your old password was entered incorrectly.",
    ),
    p(
        "password-change-nul",
        "post",
        ("password_change",),
        {"old_password": "x", "new_password1": "\x00", "new_password2": "\x00"},
        says=NUL_REFUSED,
    ),
    v(
        "password-reset-invalid-email",
        "post",
        ("password_reset",),
        {"email": SCRIPT},
        says="Enter a valid email address.",
        escaped=SCRIPT,
    ),
    v(
        "password-reset-nul",
        "post",
        ("password_reset",),
        {"email": "ada\x00@example.com"},
        says=NUL_REFUSED,
    ),
    v(
        "password-reset-bad-link",
        "get",
        ("password_reset_confirm", "MQ", "not-a-token"),
        says="This link no longer works",
    ),
    v(
        "password-reset-bad-link-post",
        "post",
        ("password_reset_confirm", "MQ", "not-a-token"),
        {"new_password1": "plum-orchard-1848", "new_password2": "plum-orchard-1848"},
        says="This link no longer works",
    ),
    v(
        "password-reset-junk-uid",
        "get",
        "/accounts/password/reset/%00%ff/x/",
        says="This link no longer works",
    ),
]


@pytest.mark.parametrize("case", ACCOUNTS)
def test_bad_input_gets_a_clear_answer_and_changes_nothing(client, shop, case):
    check_answer(client, shop, case)


@pytest.mark.parametrize(
    ("method", "url"),
    wrong_methods(
        posts=[("account",)],
        gets=[("signup_check", "username"), ("logout",)],
        writes=[("signup",), ("account_edit",)],
    ),
)
def test_a_wrong_method_is_refused_with_405_and_changes_nothing(client, shop, method, url):
    check_wrong_method(client, shop, method, url)


@pytest.mark.parametrize(
    "case",
    [
        v(
            "signup",
            "post",
            ("signup",),
            {
                "username": "newcomer",
                "email": "new@example.com",
                "password1": "plum-orchard-1848",
                "password2": "plum-orchard-1848",
            },
        ),
        v("signup-check", "post", ("signup_check", "username"), {"username": "newcomer"}),
        v(
            "login",
            "post",
            ("login",),
            {"username": "ada", "password": "correct-horse-battery-staple"},
        ),
        v("password-reset", "post", ("password_reset",), {"email": "ada@example.com"}),
        p("logout", "post", ("logout",), {}),
        p("account-edit", "post", ("account_edit",), {"display_name": "Countess"}),
        p(
            "password-change",
            "post",
            ("password_change",),
            {
                "old_password": "correct-horse-battery-staple",
                "new_password1": "plum-orchard-1848",
                "new_password2": "plum-orchard-1848",
            },
        ),
    ],
)
def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(shop, case):
    check_csrf(shop, case)


def test_a_display_name_full_of_markup_is_kept_as_typed_and_shown_as_text(client, shop):
    client.force_login(shop.ada)
    address = {
        "address_line1": "12 Square",
        "city": "London",
        "postal_code": "SW1",
        "country": "GB",
    }

    client.post(shop.resolve(("account_edit",)), {"display_name": SCRIPT, **address})

    assert shop.ada.customer.__class__.objects.get(user=shop.ada).display_name == SCRIPT
    account = client.get(shop.resolve(("account",))).content.decode()
    assert escape(SCRIPT) in account and SCRIPT not in account
