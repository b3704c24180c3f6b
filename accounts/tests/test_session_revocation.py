"""A session the database no longer holds is never honoured, whatever the cache missed.

The shop in production: gunicorn with several workers sharing a real Redis. Redis is frozen
(SIGSTOP) while a shopper signs out or changes her password, so the cache misses whatever was
written then; it runs again with everything it held before. The old cookie must then be
refused by every worker, and still after a reload of the server (`kill -HUP`).
"""

import time
from urllib.parse import urlencode

import pytest
from django.conf import global_settings
from django.urls import reverse

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from loadtest.server import Session, fetch, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 3


def _get(server, path, session: Session):
    return fetch(server.url, "GET", path, headers={"Cookie": session.cookie})


def _post(server, path, session: Session, form: dict | None = None):
    return fetch(
        server.url,
        "POST",
        path,
        headers={
            "Cookie": session.cookie,
            "X-CSRFToken": session.csrf,
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=urlencode(form or {}),
    )


def _after(answer, session: Session) -> Session:
    """`session` with the cookies `answer` set, as a browser keeps them."""
    cookies = dict(pair.split("=", 1) for pair in session.cookie.split("; ")) | answer.cookies()
    return Session("; ".join(f"{name}={value}" for name, value in cookies.items()), session.csrf)


def _account_answers(server, session: Session, requests: int = 4 * WORKERS) -> list[int]:
    """The account page's status for `session`, asked often enough to reach every worker.

    Each request is a new connection, and gunicorn's sync workers take turns accepting them.
    """
    return [_get(server, reverse("account"), session).status for _ in range(requests)]


@pytest.fixture
def shop(production_server, redis_server, settings):
    # Passwords hashed as the server checks them (the tests' fast MD5 is the tests' own).
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    return production_server(workers=WORKERS, CACHE_URL=redis_server.url)


def _frozen_while(redis_server, change):
    """Run `change` with Redis frozen, then let Redis run again, its memory intact."""
    redis_server.freeze()
    try:
        answer = change()
        time.sleep(1)  # frozen for about as long as the probe froze it
    finally:
        redis_server.thaw()
    return answer


def test_a_session_signed_out_while_the_cache_stalled_stays_signed_out(shop, redis_server):
    UserFactory(username="ada")
    session = sign_in(shop.url, "ada", DEFAULT_PASSWORD)
    assert set(_account_answers(shop, session)) == {200}  # every worker has seen her

    signed_out = _frozen_while(redis_server, lambda: _post(shop, reverse("logout"), session))

    assert signed_out.status == 302
    assert set(_account_answers(shop, session)) == {302}
    time.sleep(2)  # longer than a worker waits before it tries the cache again
    assert set(_account_answers(shop, session)) == {302}
    shop.reload()
    assert set(_account_answers(shop, session)) == {302}


def test_a_password_changed_while_the_cache_stalled_signs_other_sessions_out(shop, redis_server):
    UserFactory(username="ada")
    laptop = sign_in(shop.url, "ada", DEFAULT_PASSWORD)
    phone = sign_in(shop.url, "ada", DEFAULT_PASSWORD)
    assert set(_account_answers(shop, phone)) == {200}

    changed = _frozen_while(
        redis_server,
        lambda: _post(
            shop,
            reverse("password_change"),
            laptop,
            {
                "old_password": DEFAULT_PASSWORD,
                "new_password1": "a-brand-new-passphrase",
                "new_password2": "a-brand-new-passphrase",
            },
        ),
    )

    assert changed.status == 302
    # The session that changed it stays signed in, under the new key it was given.
    laptop = _after(changed, laptop)
    assert set(_account_answers(shop, laptop)) == {200}
    assert set(_account_answers(shop, phone)) == {302}
    time.sleep(2)
    assert set(_account_answers(shop, phone)) == {302}
    shop.reload()
    assert set(_account_answers(shop, phone)) == {302}
