"""Two people signing up with the same details at the same moment, with real transactions.

Both submissions pass the form's "is it free?" checks before either is saved (a barrier holds
them there), so the database's unique constraints decide. Runs on SQLite and PostgreSQL.
"""

import threading

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import User

PASSWORD = "a-long-new-password"


def _sign_up_together(monkeypatch, race, forms: list[dict]) -> list:
    """Submit `forms` at once (with the `race` fixture); each is saved only once every one of
    them has passed the form's checks. The responses, in the order of `forms`."""
    both_validated = threading.Barrier(len(forms), timeout=30)
    real_sign_up = services.user_sign_up

    def sign_up_after_the_others_validated(*, form):
        both_validated.wait()
        return real_sign_up(form=form)

    monkeypatch.setattr(services, "user_sign_up", sign_up_after_the_others_validated)

    def submit(numbered):
        index, data = numbered
        client = Client(REMOTE_ADDR=f"203.0.113.{index + 1}")
        return client.post(
            reverse("signup"), {**data, "password1": PASSWORD, "password2": PASSWORD}
        )

    submissions = race(submit, enumerate(forms))
    unexpected = submissions.raised  # a 500 raises in the test client: the failure looked for
    assert unexpected == []
    return submissions.returned


def _errors(response) -> list[str]:
    form = response.context["form"]
    return [error for errors in form.errors.values() for error in errors]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_sign_ups_with_one_username_get_the_usual_form_error(monkeypatch, race):
    responses = _sign_up_together(
        monkeypatch,
        race,
        [
            {"username": "grace", "email": "grace@example.com"},
            {"username": "grace", "email": "hopper@example.com"},
        ],
    )

    assert sorted(response.status_code for response in responses) == [302, 422]
    refused = next(response for response in responses if response.status_code == 422)
    assert _errors(refused) == ["A user with that username already exists."]
    assert User.objects.filter(username="grace").count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_sign_ups_with_usernames_differing_only_in_case_make_one_account(
    monkeypatch, race
):
    responses = _sign_up_together(
        monkeypatch,
        race,
        [
            {"username": "Casey", "email": "casey@example.com"},
            {"username": "casey", "email": "jones@example.com"},
        ],
    )

    assert sorted(response.status_code for response in responses) == [302, 422]
    refused = next(response for response in responses if response.status_code == 422)
    assert _errors(refused) == ["A user with that username already exists."]
    assert User.objects.filter(username__iexact="casey").count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_sign_ups_with_one_address_get_the_usual_form_error(monkeypatch, race):
    responses = _sign_up_together(
        monkeypatch,
        race,
        [
            {"username": "grace", "email": "grace@example.com"},
            {"username": "hopper", "email": "GRACE@example.com"},
        ],
    )

    assert sorted(response.status_code for response in responses) == [302, 422]
    refused = next(response for response in responses if response.status_code == 422)
    assert _errors(refused) == ["A user with that email address already exists."]
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_a_sequential_duplicate_gets_the_same_error(client):
    User.objects.create_user("grace", "grace@example.com", PASSWORD)

    response = client.post(
        reverse("signup"),
        {
            "username": "grace",
            "email": "other@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 422
    assert _errors(response) == ["A user with that username already exists."]
