"""Sign-in lockout and the sign-up rate limit, through the pages a visitor uses."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.models import Customer, User

from .factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
WRONG = {"password": "not-the-password"}
LOCKED_OUT = "Too many failed sign-ins."
INVALID_LOGIN = "Please enter a correct username and password."


@pytest.fixture
def ada():
    return UserFactory(username="ada", email="ada@example.com")


def _sign_in(client, username: str, password: str = DEFAULT_PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def _fail(client, username: str, times: int, **extra) -> None:
    """Sign in with a wrong password `times` times: refused as invalid, the last maybe locked."""
    for attempt in range(1, times + 1):
        response = _sign_in(client, username, WRONG["password"], **extra)
        expected = LOCKED_OUT if attempt >= 5 else INVALID_LOGIN
        assert expected in response.content.decode()


# Sign-in lockout


def test_the_fifth_failure_locks_the_username_out_for_fifteen_minutes(client, ada):
    _fail(client, "ada", 4)

    response = _sign_in(client, "ada", WRONG["password"])

    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    html = response.content.decode()
    assert LOCKED_OUT in html
    assert "please try again in 15 minutes, or reset your password." in html
    assert INVALID_LOGIN not in html


def test_while_locked_out_the_right_password_is_refused_without_being_tested(client, ada):
    _fail(client, "ada", 5)

    with CaptureQueriesContext(connection) as queries:
        response = _sign_in(client, "ada")

    assert response.status_code == 429
    assert LOCKED_OUT in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    # The user was never looked up, so the answer cannot depend on the password.
    assert not [q for q in queries if User._meta.db_table in q["sql"]]


def test_an_unknown_username_is_locked_out_exactly_like_a_real_one(client, ada):
    _fail(client, "ada", 5)
    _fail(client, "nobody", 5)

    real = _sign_in(client, "ada", WRONG["password"])
    unknown = _sign_in(client, "nobody", WRONG["password"])

    assert real.status_code == unknown.status_code == 429
    assert real.context["form"].errors == unknown.context["form"].errors


def test_the_lockout_holds_one_username_at_one_address_only(client, ada):
    UserFactory(username="grace")
    _fail(client, "ada", 5)

    # Another account from the same address, and the same account from elsewhere, still work.
    assert _sign_in(client, "grace").status_code == 302
    client.logout()
    assert _sign_in(client, "ada", REMOTE_ADDR="198.51.100.20").status_code == 302


def test_a_username_is_counted_in_any_case(client, ada):
    _fail(client, "ada", 2)
    _fail(client, "ADA", 2)

    assert _sign_in(client, "Ada", WRONG["password"]).status_code == 429


def test_a_successful_sign_in_forgets_the_failures(client, ada):
    _fail(client, "ada", 4)
    assert _sign_in(client, "ada").status_code == 302
    client.logout()

    _fail(client, "ada", 4)

    assert _sign_in(client, "ada").status_code == 302


def test_the_lockout_ends_after_fifteen_minutes(client, ada, monkeypatch):
    _fail(client, "ada", 5)
    now = time.time()

    monkeypatch.setattr(time, "time", lambda: now + 14 * 60)
    assert _sign_in(client, "ada").status_code == 429
    monkeypatch.setattr(time, "time", lambda: now + 15 * 60 + 1)
    assert _sign_in(client, "ada").status_code == 302


def test_the_limit_and_the_lockout_come_from_the_settings(client, ada, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "sign-in": {"limit": 2, "window": timedelta(hours=1)},
    }
    _fail(client, "ada", 1)

    response = _sign_in(client, "ada", WRONG["password"])

    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    assert "try again in 60 minutes" in response.content.decode()


def test_behind_the_proxy_each_visitor_is_counted_by_the_address_the_proxy_gave(
    client, ada, settings
):
    settings.BEHIND_TLS_PROXY = True
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    _fail(client, "ada", 5, **attacker)

    # Writing a fresh address in front of the proxy's does not start a fresh count...
    forged = _sign_in(client, "ada", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.66")
    # ...and the owner, at another address behind the same proxy, is not locked out.
    owner = _sign_in(client, "ada", HTTP_X_FORWARDED_FOR="198.51.100.20")

    assert forged.status_code == 429
    assert owner.status_code == 302


def test_failures_at_the_admin_sign_in_count_and_lock_it_too(client, ada):
    ada.is_staff = True
    ada.save()
    admin_login = reverse("admin:login")
    for _ in range(5):
        client.post(admin_login, {"username": "ada", **WRONG})

    response = client.post(admin_login, {"username": "ada", "password": DEFAULT_PASSWORD})

    assert LOCKED_OUT in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    assert _sign_in(client, "ada").status_code == 429


def test_authenticating_without_a_request_counts_nothing(client, ada):
    for _ in range(5):
        assert authenticate(None, username="ada", **WRONG) is None

    assert _sign_in(client, "ada").status_code == 302


# Sign-up rate limit


def _signup_data(username: str) -> dict[str, str]:
    return {
        "username": username,
        "email": f"{username}@example.com",
        "password1": "plum-orchard-1848",
        "password2": "plum-orchard-1848",
    }


def _sign_up(client, username: str, **extra):
    response = client.post(reverse("signup"), _signup_data(username), **extra)
    client.logout()
    return response


def test_an_address_may_create_five_accounts_an_hour(client):
    for number in range(5):
        assert _sign_up(client, f"reader{number}").status_code == 302

    response = _sign_up(client, "reader5")

    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    html = response.content.decode()
    assert "Too many accounts have been created from your network just now." in html
    assert "Please try again in 60 minutes." in html
    # What was typed stays in the form; no account was made.
    assert 'value="reader5"' in html
    assert not User.objects.filter(username="reader5").exists()
    assert User.objects.count() == Customer.objects.count() == 5


def test_a_refused_htmx_sign_up_comes_back_as_the_form_with_the_message(client):
    for number in range(5):
        _sign_up(client, f"reader{number}")

    response = _sign_up(client, "reader5", **HTMX)

    assert response.status_code == 429
    html = response.content.decode()
    assert html.lstrip().startswith("<form")
    assert "Please try again in 60 minutes." in html


def test_only_complete_valid_sign_ups_count(client):
    for _ in range(10):
        refused = client.post(reverse("signup"), {**_signup_data("ada"), "password2": "typo"})
        assert refused.status_code == 422

    assert _sign_up(client, "ada").status_code == 302


def test_the_sign_up_limit_is_per_address(client):
    for number in range(5):
        _sign_up(client, f"reader{number}")

    assert _sign_up(client, "elsewhere", REMOTE_ADDR="198.51.100.20").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_simultaneous_guesses_tests_at_most_five_passwords(monkeypatch, race):
    """30 wrong passwords at once from 30 threads (each its own connection and transaction)."""
    UserFactory(username="ada")
    tested = []
    real_check_password = User.check_password

    def counting_check_password(user, raw_password):
        tested.append(raw_password)
        return real_check_password(user, raw_password)

    monkeypatch.setattr(User, "check_password", counting_check_password)
    guesses = 30

    def guess(number):
        client = Client(REMOTE_ADDR="203.0.113.7")
        return _sign_in(client, "ada", f"guess-{number}").status_code

    burst = race(guess, range(guesses))
    statuses, unexpected = burst.returned, burst.raised  # a 500 raises in the test client

    assert unexpected == []
    assert len(tested) == 5
    # A tested guess is refused as invalid (200), or as locked if the others reached the
    # limit meanwhile (429); every untested one is refused as locked.
    assert len(statuses) == guesses
    assert set(statuses) <= {200, 429}
    assert statuses.count(429) >= guesses - 5
    right = _sign_in(Client(REMOTE_ADDR="203.0.113.7"), "ada")
    assert right.status_code == 429
    assert len(tested) == 5


# Availability checks and password resets: no oracle to run a list through, no mail flood


def test_sign_up_checks_are_limited_per_address(client, ada):
    check = reverse("signup_check", args=["email"])
    answers = [
        client.post(check, {"email": "ada@example.com"}, **HTMX, REMOTE_ADDR="203.0.113.7")
        for _ in range(21)
    ]

    assert {answer.status_code for answer in answers[:20]} == {200}
    assert "already exists" in answers[19].content.decode()
    refused = answers[20]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "600"
    assert "already exists" not in refused.content.decode()
    assert "checked often from your network" in refused.content.decode()
    other = client.post(check, {"email": "x@example.com"}, **HTMX, REMOTE_ADDR="198.51.100.1")
    assert other.status_code == 200


def test_sign_ups_refused_as_taken_count_as_checks_and_stop_answering_at_the_limit(client, ada):
    """A sign-up refused because the username has an account tells as much as a check: the
    same count, and past it the same 429 that tells nothing."""
    typo = {**_signup_data("ada"), "password2": "typo", "email": "someone@example.com"}
    answers = [client.post(reverse("signup"), typo, REMOTE_ADDR="203.0.113.7") for _ in range(21)]

    assert {answer.status_code for answer in answers[:20]} == {422}
    assert "A user with that username already exists." in answers[19].content.decode()
    refused = answers[20]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "600"
    html = refused.content.decode()
    assert "already exists" not in html
    assert "checked often from your network" in html
    assert 'value="ada"' in html  # what was typed stays
    other = client.post(reverse("signup"), typo, REMOTE_ADDR="198.51.100.1")
    assert "A user with that username already exists." in other.content.decode()


def test_sign_ups_refused_as_taken_and_checks_share_one_count(client, ada):
    check = reverse("signup_check", args=["email"])
    for _ in range(19):
        client.post(check, {"email": "ada@example.com"}, **HTMX)
    taken = {**_signup_data("grace"), "email": "ADA@example.com"}

    answers = [client.post(reverse("signup"), taken, **HTMX) for _ in range(2)]

    assert [answer.status_code for answer in answers] == [422, 429]
    assert "A user with that email address already exists." in answers[0].content.decode()
    assert "already exists" not in answers[1].content.decode()
    assert "checked often from your network" in answers[1].content.decode()
    assert client.post(check, {"email": "ada@example.com"}, **HTMX).status_code == 429
    assert not User.objects.filter(username="grace").exists()


def test_sign_ups_refused_for_other_reasons_are_not_counted_as_checks(client, ada):
    typo = {**_signup_data("grace"), "password2": "typo"}
    for _ in range(25):
        assert client.post(reverse("signup"), typo).status_code == 422

    check = client.post(reverse("signup_check", args=["username"]), {"username": "ada"}, **HTMX)

    assert check.status_code == 200
    assert "already exists" in check.content.decode()


def _reset(client, email: str, address: str = "203.0.113.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_password_resets_are_limited_per_address(client, ada):
    answers = [_reset(client, f"someone{n}@example.com") for n in range(6)]

    assert [answer.status_code for answer in answers] == [302] * 5 + [429]
    assert "Several password resets were asked for" in answers[5].content.decode()
    assert _reset(client, "ada@example.com", address="198.51.100.1").status_code == 302


def test_password_resets_are_limited_per_account_from_any_address(client, ada):
    answers = [_reset(client, "ADA@example.com", address=f"203.0.113.{n}") for n in range(4)]

    assert [answer.status_code for answer in answers] == [302, 302, 302, 429]
    # Three resets queued, the fourth never was.
    assert DBTaskResult.objects.filter(task_path="accounts.tasks.send_password_reset").count() == 3


def test_the_reset_limit_answers_alike_for_an_address_without_an_account(client, ada):
    known = [_reset(client, "ada@example.com", address=f"203.0.113.{n}") for n in range(4)]
    unknown = [_reset(client, "nobody@example.com", address=f"198.51.100.{n}") for n in range(4)]

    assert [r.status_code for r in known] == [r.status_code for r in unknown]
    assert known[3].context["form"].errors == unknown[3].context["form"].errors
    assert known[3]["Retry-After"] == unknown[3]["Retry-After"]
